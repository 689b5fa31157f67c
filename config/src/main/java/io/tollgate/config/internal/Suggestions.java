package io.tollgate.config.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?" for misspelt keys and component types. */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The candidate closest to {@code typed}, if it is close enough to be what the user meant.
   * Spelling variants count as exact ({@code maxInterval}, {@code max-interval} →
   * {@code max_interval}); a key with a unit suffix matches its stem ({@code timeout_ms} →
   * {@code timeout}); otherwise up to 1, 2 or 3 edits depending on the length.
   */
  public static Optional<String> closest(String typed, Collection<String> candidates) {
    String t = normalize(typed);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int bestRaw = Integer.MAX_VALUE;
    for (String c : candidates) {
      String n = normalize(c);
      int d;
      if (n.equals(t)) {
        d = 0;
      } else if (typed.startsWith(c + "_") || typed.startsWith(c + "-")) {
        d = 1;
      } else {
        d = distance(t, n);
      }
      // Ties: the spelling closest to what was typed, then the alphabetically first.
      int raw = distance(typed, c);
      if (d < bestDistance
          || (d == bestDistance
              && (raw < bestRaw || (raw == bestRaw && c.compareTo(best) < 0)))) {
        best = c;
        bestDistance = d;
        bestRaw = raw;
      }
    }
    if (best == null || bestDistance > allowed(typed.length())) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  private static int allowed(int length) {
    if (length <= 4) {
      return 1;
    }
    return length <= 8 ? 2 : 3;
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}
