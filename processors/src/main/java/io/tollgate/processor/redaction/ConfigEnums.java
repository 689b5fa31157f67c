package io.tollgate.processor.redaction;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Shared parsing for the lower-case enum values of this package's config. */
final class ConfigEnums {

  private ConfigEnums() {}

  static String configName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static <E extends Enum<E>> E parse(Class<E> type, String key, String text) {
    if (text == null) {
      return null;
    }
    String wanted = text.trim();
    for (E e : type.getEnumConstants()) {
      if (configName(e).equalsIgnoreCase(wanted)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "\""
            + text
            + "\" is not a valid "
            + key
            + "; use one of "
            + Arrays.stream(type.getEnumConstants())
                .map(ConfigEnums::configName)
                .collect(Collectors.joining(", ")));
  }
}
