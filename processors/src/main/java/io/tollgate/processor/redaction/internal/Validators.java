package io.tollgate.processor.redaction.internal;

import java.util.Map;

/**
 * Checksums and number-plan rules that turn loose digit patterns into confident findings.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class Validators {

  private Validators() {}

  /** Luhn (mod 10) over the ASCII digits of {@code s}; other characters are skipped. */
  public static boolean luhn(CharSequence s) {
    int sum = 0;
    int digits = 0;
    boolean doubleIt = false;
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
      digits++;
    }
    return digits >= 2 && sum % 10 == 0;
  }

  /** {@link #luhn(CharSequence)} over {@code digits[0, len)}, all ASCII digits. */
  static boolean luhn(char[] digits, int len) {
    int sum = 0;
    boolean doubleIt = false;
    for (int i = len - 1; i >= 0; i--) {
      int d = digits[i] - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return len >= 2 && sum % 10 == 0;
  }

  /** IBAN lengths by ISO 3166 country code (ISO 13616 registry). */
  static final Map<String, Integer> IBAN_LENGTHS =
      Map.ofEntries(
          Map.entry("AD", 24),
          Map.entry("AE", 23),
          Map.entry("AL", 28),
          Map.entry("AT", 20),
          Map.entry("AZ", 28),
          Map.entry("BA", 20),
          Map.entry("BE", 16),
          Map.entry("BG", 22),
          Map.entry("BH", 22),
          Map.entry("BR", 29),
          Map.entry("BY", 28),
          Map.entry("CH", 21),
          Map.entry("CR", 22),
          Map.entry("CY", 28),
          Map.entry("CZ", 24),
          Map.entry("DE", 22),
          Map.entry("DK", 18),
          Map.entry("DO", 28),
          Map.entry("EE", 20),
          Map.entry("EG", 29),
          Map.entry("ES", 24),
          Map.entry("FI", 18),
          Map.entry("FO", 18),
          Map.entry("FR", 27),
          Map.entry("GB", 22),
          Map.entry("GE", 22),
          Map.entry("GI", 23),
          Map.entry("GL", 18),
          Map.entry("GR", 27),
          Map.entry("GT", 28),
          Map.entry("HR", 21),
          Map.entry("HU", 28),
          Map.entry("IE", 22),
          Map.entry("IL", 23),
          Map.entry("IQ", 23),
          Map.entry("IS", 26),
          Map.entry("IT", 27),
          Map.entry("JO", 30),
          Map.entry("KW", 30),
          Map.entry("KZ", 20),
          Map.entry("LB", 28),
          Map.entry("LC", 32),
          Map.entry("LI", 21),
          Map.entry("LT", 20),
          Map.entry("LU", 20),
          Map.entry("LV", 21),
          Map.entry("MC", 27),
          Map.entry("MD", 24),
          Map.entry("ME", 22),
          Map.entry("MK", 19),
          Map.entry("MR", 27),
          Map.entry("MT", 31),
          Map.entry("MU", 30),
          Map.entry("NL", 18),
          Map.entry("NO", 15),
          Map.entry("PK", 24),
          Map.entry("PL", 28),
          Map.entry("PS", 29),
          Map.entry("PT", 25),
          Map.entry("QA", 29),
          Map.entry("RO", 24),
          Map.entry("RS", 22),
          Map.entry("SA", 24),
          Map.entry("SC", 31),
          Map.entry("SE", 24),
          Map.entry("SI", 19),
          Map.entry("SK", 24),
          Map.entry("SM", 27),
          Map.entry("ST", 25),
          Map.entry("SV", 28),
          Map.entry("TL", 23),
          Map.entry("TN", 24),
          Map.entry("TR", 26),
          Map.entry("UA", 29),
          Map.entry("VA", 22),
          Map.entry("VG", 24),
          Map.entry("XK", 20));

  /** Expected length of an IBAN of country {@code cc}, or 0 for an unknown country. */
  static int ibanLength(char c0, char c1) {
    Integer n = IBAN_LENGTHS.get(new String(new char[] {c0, c1}));
    return n == null ? 0 : n;
  }

  /**
   * ISO 13616 check: move the first four characters to the end, letters become 10..35, the number
   * mod 97 must be 1. Spaces are ignored; the country length is checked too.
   */
  public static boolean iban(CharSequence raw) {
    StringBuilder s = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      s.append(Character.toUpperCase(c));
    }
    if (s.length() < 15 || s.length() > 34) {
      return false;
    }
    int expected = ibanLength(s.charAt(0), s.charAt(1));
    if (expected != 0 && expected != s.length()) {
      return false;
    }
    int mod = 0;
    int n = s.length();
    for (int k = 0; k < n; k++) {
      char c = s.charAt((k + 4) % n);
      if (c >= '0' && c <= '9') {
        mod = (mod * 10 + (c - '0')) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        mod = (mod * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return mod == 1;
  }

  /**
   * Issuer prefixes of the card networks (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay,
   * Maestro) with their lengths. Requiring one keeps Luhn-valid order numbers out.
   */
  static boolean cardPrefix(CharSequence digits) {
    int len = digits.length();
    int d1 = digits.charAt(0) - '0';
    int d2 = d1 * 10 + (digits.charAt(1) - '0');
    int d4 = Integer.parseInt(digits.subSequence(0, 4).toString());
    switch (d1) {
      case 4: // Visa
        return len == 13 || len == 16 || len == 19;
      case 5: // Mastercard 51-55, Maestro 50 and 56-58
        return len >= 12 && (d2 >= 51 && d2 <= 55 ? len == 16 : d2 <= 58);
      case 2: // Mastercard 2221-2720
        return len == 16 && d4 >= 2221 && d4 <= 2720;
      case 3:
        if (d2 == 34 || d2 == 37) { // Amex
          return len == 15;
        }
        if (d2 == 35) { // JCB 3528-3589
          return len >= 16 && d4 >= 3528 && d4 <= 3589;
        }
        // Diners 300-305, 36, 38, 39
        return len >= 14 && (d2 == 36 || d2 == 38 || d2 == 39 || (d4 >= 3000 && d4 <= 3059));
      case 6: // Discover, UnionPay, Maestro, RuPay
        return len >= 16;
      default:
        return false;
    }
  }

  /**
   * {@link #cardPrefix(CharSequence)} over {@code digits[0, len)}, all ASCII digits, at least four
   * of them; without making a string of them.
   */
  static boolean cardPrefix(char[] digits, int len) {
    int d1 = digits[0] - '0';
    int d2 = d1 * 10 + (digits[1] - '0');
    int d4 = d2 * 100 + (digits[2] - '0') * 10 + (digits[3] - '0');
    switch (d1) {
      case 4:
        return len == 13 || len == 16 || len == 19;
      case 5:
        return len >= 12 && (d2 >= 51 && d2 <= 55 ? len == 16 : d2 <= 58);
      case 2:
        return len == 16 && d4 >= 2221 && d4 <= 2720;
      case 3:
        if (d2 == 34 || d2 == 37) {
          return len == 15;
        }
        if (d2 == 35) {
          return len >= 16 && d4 >= 3528 && d4 <= 3589;
        }
        return len >= 14 && (d2 == 36 || d2 == 38 || d2 == 39 || (d4 >= 3000 && d4 <= 3059));
      case 6:
        return len >= 16;
      default:
        return false;
    }
  }

  /** US SSN rules: no area 000, 666 or 900-999, no group 00, no serial 0000. */
  static boolean ssn(int area, int group, int serial) {
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
  }
}
