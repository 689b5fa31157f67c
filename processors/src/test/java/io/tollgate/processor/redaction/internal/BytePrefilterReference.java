package io.tollgate.processor.redaction.internal;

import static io.tollgate.processor.redaction.internal.BytePrefilter.CLASS;
import static io.tollgate.processor.redaction.internal.BytePrefilter.DIGIT;
import static io.tollgate.processor.redaction.internal.BytePrefilter.LETTER;
import static io.tollgate.processor.redaction.internal.BytePrefilter.OTHER;
import static io.tollgate.processor.redaction.internal.BytePrefilter.WORD;
import static io.tollgate.processor.redaction.internal.BytePrefilter.mayFindAt;
import static io.tollgate.processor.redaction.internal.BytePrefilter.numberRunMayFind;
import static io.tollgate.processor.redaction.internal.BytePrefilter.sequenceLength;
import static io.tollgate.processor.redaction.internal.BytePrefilter.wordEnd;
import static io.tollgate.processor.redaction.internal.BytePrefilter.wordMayFind;
import static io.tollgate.processor.redaction.internal.BytePrefilter.wordStart;

/**
 * The byte pre-filter as it was before its SWAR skim (main at {@code 09914ac}): one word at a time,
 * a class switch per word start. Kept as the oracle for {@code BytePrefilterEquivalenceTest},
 * which holds the new walk to the same answer, position for position, on generated inputs. Only
 * the walk is kept: the tests it runs at each position are {@link BytePrefilter}'s own (they did
 * not change with the skim, and {@code BytePrefilterTest} holds them to {@link BuiltinScanner}).
 */
final class BytePrefilterReference {

  private BytePrefilterReference() {}

  /** {@link BytePrefilter#firstTrigger(byte[], int, int, int)}, by the old walk. */
  static int firstTrigger(byte[] b, int from, int to, int start) {
    int i = start;
    // Whether b[i - 1] is known to be an ASCII non-word byte: then a word starts at i.
    boolean boundary = start == from;
    // Up to here a word may start inside a word: the five bytes after a backslash (wordStart).
    int stepUntil = -1;
    while (i < to) {
      int c = b[i];
      if (c < 0) {
        int len = sequenceLength(b, i, to);
        if (len < 0) {
          return i;
        }
        i += len;
        boundary = false;
        continue;
      }
      byte cls = CLASS[c];
      if (cls == LETTER || cls == DIGIT) {
        if ((boundary || wordStart(b, from, i))
            && (cls == LETTER ? wordMayFind(b, i, to) : numberRunMayFind(b, i, to))) {
          return i;
        }
        if (i > from && b[i - 1] == '\\') {
          stepUntil = i + 6;
        }
        if (i < stepUntil) {
          i++;
          boundary = false;
          continue;
        }
        int j = wordEnd(b, i + 1, to);
        if (j + 1 < to && b[j] == ' ') {
          i = j + 1; // a space starts nothing, and a word may start after it
          boundary = true;
        } else {
          i = j;
          boundary = false;
        }
        continue;
      }
      if (cls != OTHER && mayFindAt(b, from, to, i)) {
        return i;
      }
      boundary = !WORD[c];
      i++;
    }
    return -1;
  }
}
