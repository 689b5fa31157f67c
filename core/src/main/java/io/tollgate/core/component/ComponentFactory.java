package io.tollgate.core.component;

import java.util.List;

/**
 * Creates one type of component, Go-collector style: a type name, a default config and a
 * constructor. Factories are found with {@link java.util.ServiceLoader}, so a jar on the class
 * path can add components.
 *
 * @param <C> the config record
 */
public interface ComponentFactory<C extends ComponentConfig> {

  /** The type name used in config files, e.g. {@code otlp_grpc}. */
  String type();

  /** Other names this type answers to, e.g. {@code otlp} for {@code otlp_grpc}. */
  default List<String> aliases() {
    return List.of();
  }

  ComponentKind kind();

  Stability stability();

  /** The config record class that the YAML section binds to. */
  Class<C> configClass();

  /** The configuration used for every key the user does not set. */
  C defaultConfig();

  /** One line for {@code tollgate components}. */
  default String description() {
    return "";
  }
}
