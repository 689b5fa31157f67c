package io.tollgate.core.component;

import java.util.Locale;

/** The sections of a config file, one per kind of component. */
public enum ComponentKind {
  RECEIVER,
  PROCESSOR,
  EXPORTER,
  EXTENSION;

  /** The YAML section name: {@code receivers}, {@code processors}, … */
  public String section() {
    return name().toLowerCase(Locale.ROOT) + "s";
  }

  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
