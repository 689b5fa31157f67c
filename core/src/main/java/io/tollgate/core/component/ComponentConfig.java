package io.tollgate.core.component;

/**
 * A component's configuration: a record bound from the component's YAML section (keys in
 * snake_case, records in camelCase), deep-merged over {@link ComponentFactory#defaultConfig()}.
 */
public interface ComponentConfig {

  /**
   * Reports every problem with this configuration to {@code issues}, with the key it concerns.
   * Structural problems (unknown keys, wrong types) are found by the config loader before this is
   * called; this checks values and their combinations.
   */
  default void validate(ConfigIssues issues) {}
}
