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

  /**
   * False when no built-in recogniser can find anything in {@code b[from, to)}, as plain text or
   * as the string leaves of a JSON document (not counting a secret context key, which the caller
   * checks); true when the char path must decide, also for bytes that are not well-formed UTF-8.
   *
   * <p>Steps a word at a time, as {@code Scan.loop} does: a word is looked at only where it
   * starts, its end found eight bytes per step, and a space after it skipped.
   */
  static boolean mayFind(byte[] b, int from, int to) {
    return firstTrigger(b, from, to) >= 0;
  }

  /**
   * Where {@link #mayFind} says true: the first position at which a test above passes (or a byte
   * that is not well-formed UTF-8 starts), or -1 when none does.
   *
   * <p>Every test at a position looks back no further than {@code from} and ahead no further than
   * {@code to}, and the fewer bytes it may look at, the fewer it passes. So for any part {@code
   * b[f, t)} of the text that ends at or before that position, {@code mayFind(b, f, t)} is false:
   * in the part, the loop starts at a word start, as it does after a non-word byte in the whole
   * (a JSON leaf's opening quote), and visits no position the whole walk did not visit (the walk
   * over the whole may step byte by byte where the part's walk skips a word, never the reverse),
   * and each test there sees no more bytes than it did in the whole. {@code Utf8JsonTest} checks
   * that for the leaves of generated documents.
   */
  static int firstTrigger(byte[] b, int from, int to) {
    return firstTrigger(b, from, to, from);
  }

  /**
   * {@link #firstTrigger(byte[], int, int)} of {@code b[from, to)} when no test passes before
   * {@code start} (an ASCII byte, or {@code to}): the walk starts there. It then visits every
   * position from {@code start} on that the walk from {@code from} visits (inside a word it
   * goes to the word's end, as that walk does from the word's start), so it finds the same first
   * position, or an earlier one, which is as good for every caller.
   */
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
