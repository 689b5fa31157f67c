package io.tollgate.processor.redaction.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits texts longer than Presidio accepts into overlapping chunks, so that an entity cut by one
 * boundary is whole in the neighbouring chunk. Cuts prefer whitespace and never split a surrogate
 * pair (a chunk of at most {@code max} UTF-16 units has at most {@code max} code points).
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class Chunker {

  /** Characters shared by neighbouring chunks: longer than any name, address or key we expect. */
  public static final int OVERLAP = 256;

  private Chunker() {}

  /** {@code [start, end)} UTF-16 ranges covering {@code text}, each at most {@code max} long. */
  public static List<int[]> chunks(String text, int max) {
    int n = text.length();
    List<int[]> out = new ArrayList<>();
    if (n <= max) {
      out.add(new int[] {0, n});
      return out;
    }
    int overlap = Math.min(OVERLAP, max / 4);
    int start = 0;
    while (true) {
      int end = Math.min(n, start + max);
      if (end < n) {
        int floor = end - max / 10;
        for (int k = end - 1; k > floor && k > start; k--) {
          if (Character.isWhitespace(text.charAt(k))) {
            end = k + 1;
            break;
          }
        }
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
          end--;
        }
      }
      out.add(new int[] {start, end});
      if (end >= n) {
        return out;
      }
      int next = Math.max(end - overlap, start + 1);
      if (Character.isLowSurrogate(text.charAt(next))) {
        next++;
      }
      start = next;
    }
  }
}
