package io.tollgate.config;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentFactory;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import java.util.Objects;

/**
 * A component as configured: its id as written ({@code otlp/tempo}), the factory its type (or
 * alias) resolved to, and its bound, validated config.
 */
public record ConfiguredComponent(
    ComponentKind kind, ComponentId id, ComponentFactory<?> factory, ComponentConfig config) {

  public ConfiguredComponent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(config, "config");
  }

  /** {@code exporters.otlp/tempo}: where this component's settings are in the file. */
  public String path() {
    return kind.section() + "." + id;
  }
}
