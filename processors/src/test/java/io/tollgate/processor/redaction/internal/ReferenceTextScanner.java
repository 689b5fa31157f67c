package io.tollgate.processor.redaction.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@link TextScanner} as it was before the scanner's pre-filters, over {@link ReferenceScanner}:
 * the oracle of the processor-level differential test. Kept verbatim; do not optimise.
 */
public final class ReferenceTextScanner {

  private final ReferenceScanner builtins;
  private final List<TextScanner.CustomPattern> custom;
  private final Set<String> allowList;

  public ReferenceTextScanner(
      Set<Builtin> enabled, List<TextScanner.CustomPattern> custom, Collection<String> allowList) {
    this.builtins = new ReferenceScanner(enabled);
    this.custom = List.copyOf(custom);
    this.allowList =
        allowList.stream()
            .map(a -> a.trim().toLowerCase(Locale.ROOT))
            .filter(a -> !a.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Raw findings (may overlap) in {@code text}; {@code contextKey} is the key that holds it. */
  public List<Finding> scan(String text, String contextKey) {
    List<Finding> found = builtins.scan(text, contextKey);
    if (!custom.isEmpty()) {
      found = scanCustom(text, found);
    }
    if (!allowList.isEmpty() && !found.isEmpty()) {
      found = withoutAllowed(text, found);
    }
    return found;
  }

  private List<Finding> scanCustom(String text, List<Finding> found) {
    List<Finding> out = null;
    for (TextScanner.CustomPattern c : custom) {
      Matcher m = c.pattern().matcher(text);
      while (m.find()) {
        if (m.end() > m.start() && c.validator().accepts(text.subSequence(m.start(), m.end()))) {
          if (out == null) {
            out = new ArrayList<>(found);
          }
          out.add(new Finding(m.start(), m.end(), c.entityType(), c.score()));
        }
      }
    }
    return out == null ? found : out;
  }

  /** Drops findings whose text is on the allow-list (trimmed, case-insensitive). */
  public List<Finding> withoutAllowed(String text, List<Finding> found) {
    if (allowList.isEmpty() || found.isEmpty()) {
      return found;
    }
    List<Finding> out = null;
    for (int k = 0; k < found.size(); k++) {
      Finding f = found.get(k);
      boolean allowed =
          allowList.contains(text.substring(f.start(), f.end()).trim().toLowerCase(Locale.ROOT));
      if (allowed && out == null) {
        out = new ArrayList<>(found.subList(0, k));
      } else if (!allowed && out != null) {
        out.add(f);
      }
    }
    return out == null ? found : (out.isEmpty() ? Collections.emptyList() : out);
  }
}
