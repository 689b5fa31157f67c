package io.tollgate.core.component;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A component id as written in a config file: {@code type} or {@code type/name}, with the
 * OpenTelemetry Collector's rules for both parts.
 */
public record ComponentId(String type, String name) {

  private static final Pattern TYPE = Pattern.compile("[a-zA-Z][0-9a-zA-Z_]{0,62}");
  // No spaces, control characters or symbols beyond these, as the collector's identifiable.go.
  private static final Pattern NAME = Pattern.compile("[^\\s\\p{Cntrl}/]{1,1024}");

  public ComponentId {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "invalid component type \""
              + type
              + "\": a type starts with a letter and has only letters, digits and '_' (at most 63)");
    }
    if (!name.isEmpty() && !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid component name \"" + name + "\": no spaces, control characters or '/'");
    }
  }

  public static ComponentId of(String type) {
    return new ComponentId(type, "");
  }

  /**
   * Parses {@code type} or {@code type/name}.
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  public static ComponentId parse(String id) {
    Objects.requireNonNull(id, "id");
    int slash = id.indexOf('/');
    if (slash < 0) {
      return new ComponentId(id.trim(), "");
    }
    String name = id.substring(slash + 1).trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("invalid component id \"" + id + "\": empty name after '/'");
    }
    return new ComponentId(id.substring(0, slash).trim(), name);
  }

  /** The same id with another type (used to resolve aliases such as {@code otlp}). */
  public ComponentId withType(String newType) {
    return new ComponentId(newType, name);
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type : type + "/" + name;
  }
}
