package io.tollgate.processor.redaction.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Settles overlapping findings.
 *
 * <p>Overlapping findings are merged into one span that covers all of them, labelled with the
 * finding that {@linkplain Finding#beats beats} the others (longest, then highest score). Dropping
 * the loser instead would leave its part outside the winner in clear text.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class Findings {

  private static final Comparator<Finding> BY_START =
      Comparator.comparingInt(Finding::start)
          .thenComparing(Comparator.comparingInt(Finding::end).reversed());

  private Findings() {}

  /** Non-overlapping findings in text order. */
  public static List<Finding> resolve(List<Finding> findings) {
    int n = findings.size();
    if (n == 0) {
      return Collections.emptyList();
    }
    if (n == 1) {
      return findings;
    }
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(BY_START);
    List<Finding> out = new ArrayList<>(n);
    Finding best = sorted.get(0);
    int start = best.start();
    int end = best.end();
    for (int k = 1; k < n; k++) {
      Finding f = sorted.get(k);
      if (f.start() < end) {
        end = Math.max(end, f.end());
        if (f.beats(best)) {
          best = f;
        }
      } else {
        out.add(cluster(start, end, best));
        best = f;
        start = f.start();
        end = f.end();
      }
    }
    out.add(cluster(start, end, best));
    return out;
  }

  private static Finding cluster(int start, int end, Finding best) {
    return start == best.start() && end == best.end()
        ? best
        : new Finding(start, end, best.entityType(), best.score());
  }

  /** Both lists together; either may be empty. */
  public static List<Finding> concat(List<Finding> a, List<Finding> b) {
    if (b == null || b.isEmpty()) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    List<Finding> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }
}
