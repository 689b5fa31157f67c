package io.tollgate.core.model;

/**
 * Eight bytes of UTF-8 at a time, for the scanners that walk text byte by byte: core's check of
 * every string a receiver accepts, and the processors' pre-filters.
 */
public final class Utf8Words {

  /** What {@link #twoByteLeads} answers for a word that is not ASCII and two-byte characters. */
  public static final long NOT_ASCII_OR_TWO_BYTE = -1L;

  private static final long HIGH = 0x8080808080808080L;

  private Utf8Words() {}

  /**
   * Whether the little-endian word {@code w} (eight bytes, the first in the lowest bits) is four
   * well-formed two-byte characters: leads C2–DF (110xxxxx, but not C0 or C1, whose bits 1–4 are
   * zero), each followed by a continuation byte (10xxxxxx).
   *
   * <p>Why: words in Cyrillic, Greek, Hebrew or Arabic script are runs of such characters, and a
   * walk that takes them one at a time spent two to five times as long per byte on them as on
   * English prose.
   */
  public static boolean fourTwoByteCharacters(long w) {
    // A lead in every even byte, and (twoByteLeads checks) a continuation after each.
    return twoByteLeads(w, 0) == 0x0080008000800080L;
  }

  /**
   * The two-byte leads of the little-endian word {@code w} (bit 7 of each lead byte), when the word
   * holds nothing but ASCII bytes and well-formed two-byte characters: every lead C2–DF is followed
   * by a continuation byte, in the word or, for a lead in the last byte, in the next one; and every
   * continuation byte follows such a lead, in the word or, for the first byte, at the end of the
   * previous word ({@code carriedLead}: 0x80 when the previous word's last byte was a lead, else
   * 0). Otherwise {@link #NOT_ASCII_OR_TWO_BYTE} (a three- or four-byte character, or anything
   * malformed, somewhere in the word). A walk passes {@code leads >>> 56} on as the next word's
   * {@code carriedLead}.
   *
   * <p>Why: text in a two-byte script has a space or a punctuation mark every few characters, so a
   * test of pure two-byte runs ({@link #fourTwoByteCharacters}) fails at every word's end; and a
   * walk whose step depends on the word it read (seven bytes when a character straddles the end)
   * waits for each word before it can read the next.
   */
  public static long twoByteLeads(long w, long carriedLead) {
    long shifted1 = w << 1; // each byte's bit 6 in its bit 7
    long shifted2 = w << 2; // each byte's bit 5 in its bit 7
    long high = w & HIGH;
    long continuation = high & ~shifted1; // 10xxxxxx
    long leadOfTwo = high & shifted1 & ~shifted2; // 110xxxxx
    long longerLead = high & shifted1 & shifted2; // 111xxxxx: three or four bytes, or invalid
    // A lead's bits 1-4 are zero for C0 and C1 (overlong): per byte, adding 0x7F to them (at most
    // 0x1E) sets bit 7 exactly when one is set, and never carries into the next byte.
    long leadIsNotOverlong = ((w & 0x1E1E1E1E1E1E1E1EL) + 0x7F7F7F7F7F7F7F7FL) & HIGH;
    if (longerLead != 0
        || (leadOfTwo & ~leadIsNotOverlong) != 0
        // each lead's next byte, and nothing else, continues
        || continuation != (leadOfTwo << 8 | carriedLead)) {
      return NOT_ASCII_OR_TWO_BYTE;
    }
    return leadOfTwo;
  }
}
