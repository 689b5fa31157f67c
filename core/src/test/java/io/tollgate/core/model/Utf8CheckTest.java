package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8Check} against the contract, protobuf-java's own check ({@code
 * ByteString.isValidUtf8}, what {@code parseFrom} applies to proto3 strings), over every 1- and
 * 2-byte sequence, every 3- and 4-byte one with edge bytes where the full range would be too many,
 * each malformed class at every position of ranges that straddle the 16- and 8-byte steps and the
 * final overlapping word, with non-ASCII bytes just outside the range (which the word reads touch
 * and must not count), and over generated prose with one byte changed.
 */
class Utf8CheckTest {

  /** Bytes at the edges of the classes the check tells apart. */
  private static final int[] EDGES = {
    0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec,
    0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xfe, 0xff
  };

  /**
   * Bytes after a lead byte: ASCII, the continuation range's edges and its narrowed ones, leads.
   */
  private static final int[] FOLLOWING = {0x41, 0x7f, 0x80, 0x8f, 0x90, 0xbf, 0xc0, 0xff};

  /** Well-formed characters and every class of malformed sequence. */
  private static final byte[][] SEQUENCES = {
    bytes(0xc3, 0xa9), // é
    bytes(0xc2, 0x80), // U+0080, the smallest 2-byte
    bytes(0xdf, 0xbf), // U+07FF
    bytes(0xe6, 0x9d, 0xb1, 0xe4, 0xba, 0xac), // 東京
    bytes(0xe0, 0xa0, 0x80), // U+0800, the smallest 3-byte
    bytes(0xed, 0x9f, 0xbf), // U+D7FF, just below the surrogates
    bytes(0xee, 0x80, 0x80), // U+E000, just above them
    bytes(0xef, 0xbf, 0xbf), // U+FFFF
    bytes(0xf0, 0x90, 0x80, 0x80), // U+10000, the smallest 4-byte
    bytes(0xf0, 0x9f, 0x98, 0x80), // 😀
    bytes(0xf4, 0x8f, 0xbf, 0xbf), // U+10FFFF, the largest
    bytes(0xc0, 0x80), // overlong NUL
    bytes(0xc1, 0xbf), // overlong 2-byte
    bytes(0xe0, 0x9f, 0xbf), // overlong 3-byte
    bytes(0xf0, 0x8f, 0xbf, 0xbf), // overlong 4-byte
    bytes(0xed, 0xa0, 0x80), // a high surrogate
    bytes(0xed, 0xbf, 0xbf), // a low surrogate
    bytes(0xf4, 0x90, 0x80, 0x80), // U+110000
    bytes(0xf5, 0x80, 0x80, 0x80), // a lead byte that cannot occur
    bytes(0xff),
    bytes(0x80), // a stray continuation byte
    bytes(0xbf, 0xbf),
    bytes(0xc3), // truncated 2-byte
    bytes(0xe6, 0x9d), // truncated 3-byte
    bytes(0xf0, 0x9f, 0x98), // truncated 4-byte
    bytes(0xc3, 0x41), // a lead byte followed by ASCII
    bytes(0xe6, 0x9d, 0x41),
    bytes(0xf0, 0x9f, 0x98, 0x41),
    bytes(0xe6, 0xc3, 0xa9), // a lead byte followed by another lead byte
    bytes(0xc3, 0xa9, 0xa9) // one continuation byte too many
  };

  @Test
  void everyOneAndTwoByteSequenceAndThreeByteOnesWithAnEdgeByteLast() {
    int valid = 0;
    for (int first = 0; first < 256; first++) {
      valid += check(bytes(first)) ? 1 : 0;
      for (int second = 0; second < 256; second++) {
        valid += check(bytes(first, second)) ? 1 : 0;
        for (int third : FOLLOWING) {
          valid += check(bytes(first, second, third)) ? 1 : 0;
        }
      }
    }
    // 128 + 128² + 1,920 two-byte characters + the 3-byte forms among them: many of each kind.
    assertThat(valid).isGreaterThan(128 + 128 * 128 + 1920);
  }

  @Test
  void everyFourByteSequenceOfEdgeBytes() {
    int valid = 0;
    for (int first : EDGES) {
      for (int second = 0; second < 256; second++) {
        for (int third : FOLLOWING) {
          for (int fourth : FOLLOWING) {
            valid += check(bytes(first, second, third, fourth)) ? 1 : 0;
          }
        }
      }
    }
    assertThat(valid).isGreaterThan(1000);
  }

  @Test
  void everySequenceAtEveryPositionOfEveryRangeUpToFourSteps() {
    // Ranges of every length up to 4 steps of 16 bytes (the 16-byte loop, the 8-byte word, the
    // overlapping last word, the shifted word of a short range, and the byte loop of an array too
    // short for a word), each sequence at every position, also cut by the range's end. The bytes
    // around the range are non-ASCII (0x80 and 0xff: word reads touch them; they must not count)
    // or ASCII, or absent (the range ends at the array's end: the 4-byte read must not run past
    // it).
    int checked = 0;
    for (int length = 0; length <= 64; length++) {
      for (byte[] seq : SEQUENCES) {
        for (int at = 0; at <= length; at++) {
          for (int before : new int[] {0, 3, 9}) {
            for (int after : new int[] {0, 1, 3, 8}) {
              for (int outside : new int[] {0x80, 0xff, 'x'}) {
                byte[] b = new byte[before + length + after];
                Arrays.fill(b, (byte) outside);
                Arrays.fill(b, before, before + length, (byte) 'a');
                System.arraycopy(seq, 0, b, before + at, Math.min(seq.length, length - at));
                check(b, before, before + length);
                checked++;
              }
            }
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(500_000);
  }

  @Test
  void twoSequencesAtEveryPairOfPositions() {
    // A non-ASCII word, then a malformed sequence (or another good one) anywhere after it: the
    // check must go back to the word steps after the first one and still find the second.
    int checked = 0;
    for (byte[] first : SEQUENCES) {
      for (byte[] second : SEQUENCES) {
        for (int at1 = 0; at1 < 24; at1 += 3) {
          for (int at2 = at1 + first.length; at2 < 48; at2 += 5) {
            byte[] b = new byte[52];
            Arrays.fill(b, (byte) 'a');
            System.arraycopy(first, 0, b, at1, first.length);
            System.arraycopy(second, 0, b, at2, Math.min(second.length, b.length - at2));
            check(b, 0, b.length);
            check(b, 1, b.length - 2);
            checked += 2;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(50_000);
  }

  @Test
  void generatedProseWithOneByteChanged() {
    // Text shaped like the prompts the receiver sees: ASCII words with a multi-byte word now and
    // then (2-, 3- and 4-byte characters, several in a row), checked whole and with one byte
    // replaced by an edge byte at a random place, in a range at a random offset of the array.
    String[] words = {
      "the",
      "order",
      "status",
      "of",
      "café",
      "Zürich",
      "東京",
      "データ",
      "naïve",
      "😀👍",
      "ok",
      "a",
      "translation",
      "résumé",
      "€",
      "ß",
      "\u07ff",
      "\uffff",
      "\ud83d\ude00",
      "x",
      "Клиент",
      "спросил",
      "доставки",
      "Ωμέγα",
      "שלום",
      "\u0080\u0080\u0080\u0080é"
    };
    SplittableRandom random = new SplittableRandom(5);
    int valid = 0;
    int invalid = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      int count = random.nextInt(1, 40);
      for (int w = 0; w < count; w++) {
        text.append(words[random.nextInt(words.length)]).append(' ');
      }
      byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
      int before = random.nextInt(0, 12);
      int after = random.nextInt(0, 12);
      byte[] b = new byte[before + utf8.length + after];
      Arrays.fill(b, (byte) 0xe6);
      System.arraycopy(utf8, 0, b, before, utf8.length);
      assertThat(check(b, before, before + utf8.length)).isTrue();
      b[before + random.nextInt(utf8.length)] = (byte) EDGES[random.nextInt(EDGES.length)];
      if (check(b, before, before + utf8.length)) {
        valid++;
      } else {
        invalid++;
      }
    }
    assertThat(valid).isGreaterThan(1000);
    assertThat(invalid).isGreaterThan(1000);
  }

  @Test
  void theEightByteTestForTwoByteCharactersAgreesWithTheDefinition() {
    // Words made of bytes at the class edges, mostly pairs that are nearly two-byte characters.
    int[] leads = {0xc0, 0xc1, 0xc2, 0xd0, 0xdf, 0xe0, 0x80, 0x41};
    int[] conts = {0x80, 0xbf, 0xc0, 0x7f, 0xa9, 0x00};
    SplittableRandom random = new SplittableRandom(8);
    int yes = 0;
    for (int n = 0; n < 500_000; n++) {
      byte[] b = new byte[8];
      for (int k = 0; k < 8; k += 2) {
        boolean likely = random.nextInt(8) != 0;
        b[k] = (byte) (likely ? 0xc2 + random.nextInt(0x1e) : leads[random.nextInt(leads.length)]);
        b[k + 1] =
            (byte) (likely ? 0x80 + random.nextInt(0x40) : conts[random.nextInt(conts.length)]);
      }
      boolean expected = true;
      for (int k = 0; k < 8; k += 2) {
        int lead = b[k] & 0xff;
        int cont = b[k + 1] & 0xff;
        expected &= lead >= 0xc2 && lead <= 0xdf && cont >= 0x80 && cont <= 0xbf;
      }
      long w = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
      assertThat(Utf8Words.fourTwoByteCharacters(w)).as(hex(b)).isEqualTo(expected);
      yes += expected ? 1 : 0;
    }
    assertThat(yes).isGreaterThan(50_000);
  }

  @Test
  void theEightByteStepOverAsciiAndTwoByteCharactersAgreesWithTheDefinition() {
    // Bytes at the class edges: ASCII, continuations, two-byte leads (C0 and C1 overlong), longer
    // leads; mostly whole two-byte characters and ASCII, so that both answers are common; with and
    // without a lead carried from the word before.
    int[] edges = {0x00, 0x20, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xd0, 0xdf, 0xe0, 0xef, 0xf0};
    SplittableRandom random = new SplittableRandom(9);
    int yes = 0;
    for (int n = 0; n < 1_000_000; n++) {
      boolean carried = random.nextBoolean();
      byte[] b = new byte[8];
      int k = 0;
      if (carried && random.nextInt(4) != 0) {
        b[k++] = (byte) (0x80 + random.nextInt(0x40));
      }
      while (k < 8) {
        int kind = random.nextInt(10);
        if (kind < 4) {
          b[k++] = (byte) random.nextInt(0x80);
        } else if (kind < 8) {
          b[k++] = (byte) (0xc2 + random.nextInt(0x1e));
          if (k < 8) {
            b[k++] = (byte) (0x80 + random.nextInt(0x40));
          }
        } else {
          b[k++] = (byte) edges[random.nextInt(edges.length)];
        }
      }
      long w = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
      long expected = twoByteLeadsByDefinition(b, carried);
      assertThat(Utf8Words.twoByteLeads(w, carried ? 0x80 : 0))
          .as("%s carried %s", hex(b), carried)
          .isEqualTo(expected);
      yes += expected != Utf8Words.NOT_ASCII_OR_TWO_BYTE ? 1 : 0;
    }
    assertThat(yes).isGreaterThan(100_000);
  }

  /**
   * The definition, walked byte by byte: ASCII, or C2–DF followed by 80–BF (the last byte's
   * continuation may be in the next word, the first byte may continue a carried lead).
   */
  private static long twoByteLeadsByDefinition(byte[] b, boolean carried) {
    long leads = 0;
    int k = 0;
    if (carried) {
      int first = b[0] & 0xff;
      if (first < 0x80 || first > 0xbf) {
        return Utf8Words.NOT_ASCII_OR_TWO_BYTE;
      }
      k = 1;
    }
    for (; k < 8; k++) {
      int c = b[k] & 0xff;
      if (c < 0x80) {
        continue;
      }
      if (c < 0xc2 || c > 0xdf) {
        return Utf8Words.NOT_ASCII_OR_TWO_BYTE;
      }
      leads |= 0x80L << (8 * k);
      if (k == 7) {
        break; // its continuation is in the next word
      }
      int next = b[++k] & 0xff;
      if (next < 0x80 || next > 0xbf) {
        return Utf8Words.NOT_ASCII_OR_TWO_BYTE;
      }
    }
    return leads;
  }

  /** Checks {@code b[from, to)} against protobuf; returns the verdict. */
  private static boolean check(byte[] b, int from, int to) {
    boolean expected = ByteString.copyFrom(b, from, to - from).isValidUtf8();
    if (Utf8Check.isValid(b, from, to) != expected) {
      throw new AssertionError(
          "protobuf says " + expected + " for [" + from + ", " + to + ") of " + hex(b));
    }
    return expected;
  }

  private static boolean check(byte[] b) {
    return check(b, 0, b.length);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }
}
