package io.tollgate.processor.redaction.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generator of texts for the differential tests: prose with every kind of entity the
 * built-in recognisers know, valid and near-miss (bad Luhn or IBAN checksum, a digit too many, a
 * fifth octet), at string boundaries, glued to Unicode letters, behind escapes written out as text
 * ({@code \n}, {@code \u00e9}), plus random noise over the characters the recognisers react to.
 */
public final class RedactionTexts {

  private static final String[] WORDS = {
    "the",
    "and",
    "a",
    "be",
    "can",
    "for",
    "customer",
    "order",
    "deadbeef",
    "face",
    "cafe",
    "add",
    "phone",
    "call",
    "SSN",
    "ss#",
    "contact",
    "number",
    "tel",
    "Bearer",
    "bearer",
    "Basic",
    "eye",
    "eyes",
    "skip",
    "sky",
    "AKIAN",
    "ASIA",
    "AIza",
    "github",
    "ghost",
    "glass",
    "xox",
    "xapp",
    "hf",
    "npm",
    "rk",
    "sk",
    "GB",
    "DE",
    "FR",
    "AB12",
    "IBAN",
    "São",
    "résumé",
    "Zürich",
    "naïve",
    "日本語",
    "Привет",
    "😀",
    "€5",
    "1093",
    "2024",
    "49.99",
    "$1,299.00",
    "1.2.3.4.5",
    "10.0.19045",
    "10:30:00",
    "2024-05-01",
    "ORD-12345678",
    "v2.3.4",
    "a::b",
    "std::vector",
    "x=1",
    "i==j",
    "password",
    "token",
    "api_key",
    "max_tokens",
    "passwordless",
    "key:",
    "note:",
    "e.g.",
    "i.e.",
    "fe80",
    "beef:",
    "abcd.",
    "ab-",
    "12-",
    "123.",
    "(1)",
    "+",
    "(",
    "-",
    "--",
    "-----",
    "@",
    "@@",
    "://",
    "_",
    "__init__",
    "\\",
    "\\\\",
    "\\n",
    "\\t",
    "\\r",
    "\\u00e9",
    "\\u00a0",
    "\\uZZZZ",
    "n",
    "u00e9",
    "<EMAIL_ADDRESS>",
    "****",
    "xxxx",
    "###",
    "•••",
    "null",
    "true",
    "[]",
    "{}",
  };

  private static final String[] JOINERS = {
    " ", " ", " ", " ", "\n", "\\n", "\\t", "\\r", "\\u00a0", "\\u00e9", "\t", ", ", ". ", "(", ")",
    "\"", "'", "", "_", "é", "日本", "😀", "-", ":", "=", "@", "/", ".", "\\", "<", ">", "#", ": ",
    "=\"", "\\\"", "?", "&", "%", "+", "\u00a0", "\u2003", "•",
  };

  private static final String NOISE =
      "0123456789abcdefABCDEF:.-_@/+()= \\\"'nutrxXyJ*#<>%~\n\té😀,;[]{}sk";
  private static final int NOISE_CODE_POINTS = NOISE.codePointCount(0, NOISE.length());

  private static final Map<String, Integer> IBAN_LENGTHS =
      Map.of("DE", 22, "GB", 22, "FR", 27, "CH", 21, "NL", 18, "NO", 15, "MT", 31, "BE", 16);

  private final Random random;

  public RedactionTexts(long seed) {
    this.random = new Random(seed);
  }

  /** A text of a few to a few dozen pieces: words, entities and joiners. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    int pieces = 1 + random.nextInt(random.nextInt(10) < 8 ? 12 : 60);
    for (int k = 0; k < pieces; k++) {
      if (k > 0 || random.nextInt(4) == 0) {
        sb.append(pick(JOINERS));
      }
      int r = random.nextInt(10);
      if (r < 4) {
        sb.append(pick(WORDS));
      } else if (r < 9) {
        sb.append(entity());
      } else {
        sb.append(noise(1 + random.nextInt(12)));
      }
    }
    if (random.nextInt(5) == 0) {
      sb.append(pick(JOINERS));
    }
    String s = sb.toString();
    return random.nextInt(4) == 0 ? mutate(s) : s;
  }

  /** One entity of a random kind, valid or a near miss. */
  public String entity() {
    switch (random.nextInt(17)) {
      case 0:
        return email();
      case 1:
        return phone();
      case 2:
        return card();
      case 3:
        return ssn();
      case 4:
        return iban();
      case 5:
        return ipv4();
      case 6:
        return ipv6();
      case 7:
        return mac();
      case 8:
        return url();
      case 9:
      case 10:
        return vendorKey();
      case 11:
        return jwt();
      case 12:
        return authScheme();
      case 13:
        return assignment();
      case 14:
        return pem();
      case 15:
        return digitGroups();
      default:
        return hexGroups();
    }
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private String noise(int len) {
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      sb.appendCodePoint(
          NOISE.codePointAt(NOISE.offsetByCodePoints(0, random.nextInt(NOISE_CODE_POINTS))));
    }
    return sb.toString();
  }

  /** Inserts, deletes or replaces a few characters: near misses of whatever the text held. */
  private String mutate(String s) {
    StringBuilder sb = new StringBuilder(s);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && sb.length() > 0; e++) {
      int at = random.nextInt(sb.length());
      switch (random.nextInt(3)) {
        case 0:
          sb.insert(at, noise(1));
          break;
        case 1:
          sb.deleteCharAt(at);
          break;
        default:
          sb.setCharAt(at, NOISE.charAt(random.nextInt(48)));
      }
    }
    return sb.toString();
  }

  private String digits(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }

  private String chars(String alphabet, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final String DIGITS = "0123456789";
  private static final String HEX = "0123456789abcdefABCDEF";
  private static final String ALNUM = LOWER + UPPER + DIGITS;

  String email() {
    String local =
        random.nextInt(6) == 0
            ? pick(new String[] {"jose", "o'brien", "a.b", ".x", "x.", "first.last+tag", "ü", ""})
            : chars(LOWER + DIGITS + "._%+-", 1 + random.nextInt(12));
    String domain;
    switch (random.nextInt(8)) {
      case 0:
        domain = "example";
        break;
      case 1:
        domain = "x-y.example";
        break;
      case 2:
        domain = "xn--exmple-cua.com";
        break;
      case 3:
        domain = "exam"; // cut short
        break;
      case 4:
        domain = "github.com:org/repo.git";
        break;
      case 5:
        domain = "-bad.com";
        break;
      case 6:
        domain = "mail.example.co.uk.";
        break;
      default:
        domain =
            chars(LOWER, 1 + random.nextInt(8))
                + "."
                + chars(LOWER + DIGITS, 1 + random.nextInt(4));
    }
    String prefix = pick(new String[] {"", "", "", "\\n", "\\u00e9", "\\t", "mailto:", "<"});
    return prefix + local + "@" + domain;
  }

  String phone() {
    int area = random.nextInt(1000);
    switch (random.nextInt(12)) {
      case 0:
        return "+44 20 7946 " + digits(4);
      case 1:
        return "(" + String.format("%03d", area) + ") 555-" + digits(4);
      case 2:
        return String.format("%03d", area) + "-555-" + digits(4);
      case 3:
        return "1-800-555-" + digits(4);
      case 4:
        return "0049 30 " + digits(6);
      case 5:
        return "020 7946 " + digits(4);
      case 6:
        return "06 12 34 56 " + digits(2);
      case 7:
        return "030/" + digits(7);
      case 8:
        return "+"
            + digits(1 + random.nextInt(3))
            + pick(new String[] {" ", "-", ".", ""})
            + digits(8);
      case 9:
        return String.format("%03d", area) + ".555." + digits(4);
      case 10:
        return "(" + String.format("%03d", area) + ")555-" + digits(4);
      default:
        return digits(9 + random.nextInt(8));
    }
  }

  String card() {
    String[] prefixes = {
      "4", "51", "55", "2221", "2720", "34", "37", "3528", "36", "38", "300", "6011", "65", "50",
      "58", "9", "1"
    };
    String prefix = pick(prefixes);
    int len = 13 + random.nextInt(7);
    if (random.nextBoolean()) {
      len = prefix.startsWith("3") && (prefix.equals("34") || prefix.equals("37")) ? 15 : 16;
    }
    String body = prefix + digits(Math.max(0, len - prefix.length() - 1));
    int check = luhnCheck(body);
    if (random.nextInt(4) == 0) {
      check = (check + 1 + random.nextInt(9)) % 10; // invalid
    }
    String number = body + check;
    switch (random.nextInt(4)) {
      case 0:
        return number;
      case 1:
        return group(number, pick(new String[] {" ", "-"}), 4);
      case 2:
        return number.length() == 15
            ? number.substring(0, 4) + " " + number.substring(4, 10) + " " + number.substring(10)
            : group(number, " ", 4);
      default:
        return group(number, pick(new String[] {" ", "-", "."}), 3 + random.nextInt(3));
    }
  }

  private static int luhnCheck(String body) {
    int sum = 0;
    boolean doubleIt = true;
    for (int i = body.length() - 1; i >= 0; i--) {
      int d = body.charAt(i) - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return (10 - sum % 10) % 10;
  }

  private static String group(String s, String sep, int size) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i += size) {
      if (i > 0) {
        sb.append(sep);
      }
      sb.append(s, i, Math.min(s.length(), i + size));
    }
    return sb.toString();
  }

  String ssn() {
    String area = pick(new String[] {"123", "000", "666", "901", digits(3)});
    String g = pick(new String[] {"45", "00", digits(2)});
    String serial = pick(new String[] {"6789", "0000", digits(4)});
    switch (random.nextInt(4)) {
      case 0:
        return area + "-" + g + "-" + serial;
      case 1:
        return area + " " + g + " " + serial;
      case 2:
        return pick(new String[] {"SSN ", "ssn: ", "social security ", "ss# ", ""})
            + area
            + g
            + serial;
      default:
        return area + "-" + g + "-" + serial + "-" + digits(2);
    }
  }

  String iban() {
    String[] countries = IBAN_LENGTHS.keySet().toArray(new String[0]);
    java.util.Arrays.sort(countries);
    String cc = random.nextInt(10) == 0 ? "ZZ" : pick(countries);
    int len = IBAN_LENGTHS.getOrDefault(cc, 20) + (random.nextInt(8) == 0 ? 1 : 0);
    String bban = chars(random.nextBoolean() ? DIGITS : DIGITS + UPPER, len - 4);
    int mod = mod97(bban + cc + "00");
    String check = String.format("%02d", 98 - mod);
    if (random.nextInt(4) == 0) {
      check = String.format("%02d", (98 - mod + 1 + random.nextInt(50)) % 100);
    }
    String iban = cc + check + bban;
    switch (random.nextInt(4)) {
      case 0:
        return iban;
      case 1:
        return group(iban, " ", 4);
      case 2:
        return group(iban, "-", 4);
      default:
        return iban.toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static int mod97(String s) {
    int mod = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      mod = c <= '9' ? (mod * 10 + (c - '0')) % 97 : (mod * 100 + (c - 'A' + 10)) % 97;
    }
    return mod;
  }

  String ipv4() {
    int parts = random.nextInt(6) == 0 ? 3 + random.nextInt(3) : 4;
    StringBuilder sb = new StringBuilder();
    for (int p = 0; p < parts; p++) {
      if (p > 0) {
        sb.append('.');
      }
      sb.append(random.nextInt(8) == 0 ? 256 + random.nextInt(800) : random.nextInt(256));
    }
    return sb + pick(new String[] {"", "", "", ":443", "/24", ".", ".5"});
  }

  String ipv6() {
    switch (random.nextInt(9)) {
      case 0:
        return "::1";
      case 1:
        return "fe80::1%eth0";
      case 2:
        return "::ffff:" + random.nextInt(300) + ".0.0." + random.nextInt(256);
      case 3:
        return "2001:db8::" + chars(HEX, 1 + random.nextInt(4));
      case 4:
        {
          StringBuilder sb = new StringBuilder();
          int groups = 6 + random.nextInt(4);
          for (int g = 0; g < groups; g++) {
            if (g > 0) {
              sb.append(':');
            }
            sb.append(chars(HEX, 1 + random.nextInt(5)));
          }
          return sb.toString();
        }
      case 5:
        return chars(HEX, 1 + random.nextInt(4)) + "::" + chars(HEX, 1 + random.nextInt(4));
      case 6:
        return "2001:db8::1::2";
      case 7:
        return chars(HEX, 4) + ":" + chars(HEX, 4) + "::";
      default:
        return ":::" + chars(HEX, 2);
    }
  }

  String mac() {
    switch (random.nextInt(4)) {
      case 0:
        return group(chars(HEX, 12), ":", 2);
      case 1:
        return group(chars(HEX, 12), "-", 2);
      case 2:
        return group(chars(HEX, 12), ".", 4);
      default:
        return group(chars(HEX, 14), pick(new String[] {":", "-"}), 2);
    }
  }

  String url() {
    switch (random.nextInt(5)) {
      case 0:
        return "postgres://app:" + chars(ALNUM, 8) + "@db:5432/x";
      case 1:
        return "https://hooks.slack.com/services/T"
            + chars(UPPER + DIGITS, 8)
            + "/B"
            + chars(ALNUM, 24);
      case 2:
        return "https://user@" + chars(LOWER, 6) + ".com/path?q=1";
      case 3:
        return "redis://:" + chars(ALNUM, 6) + "@cache";
      default:
        return "http://" + chars(LOWER, 5) + ".com:8080/a.b).";
    }
  }

  private static final String[][] PREFIXES = {
    {"sk-ant-", ALNUM + "-_", "32", "300"},
    {"sk_live_", ALNUM, "16", "255"},
    {"sk_test_", ALNUM, "16", "255"},
    {"sk-", ALNUM + "-_", "20", "300"},
    {"rk_live_", ALNUM, "16", "255"},
    {"AKIA", UPPER + DIGITS, "16", "16"},
    {"ASIA", UPPER + DIGITS, "16", "16"},
    {"AIza", ALNUM + "-_", "35", "35"},
    {"github_pat_", ALNUM + "_", "50", "255"},
    {"ghp_", ALNUM, "36", "255"},
    {"ghs_", ALNUM, "36", "255"},
    {"glpat-", ALNUM + "-_", "20", "64"},
    {"xoxb-", ALNUM + "-", "10", "255"},
    {"xapp-", ALNUM + "-", "10", "255"},
    {"hf_", ALNUM, "30", "64"},
    {"npm_", ALNUM, "36", "36"},
  };

  String vendorKey() {
    String[] p = PREFIXES[random.nextInt(PREFIXES.length)];
    int min = Integer.parseInt(p[2]);
    int max = Integer.parseInt(p[3]);
    int len =
        switch (random.nextInt(5)) {
          case 0 -> min - 1;
          case 1 -> min;
          case 2 -> max;
          case 3 -> max + 1;
          default -> min + random.nextInt(Math.max(1, Math.min(max, min + 40) - min + 1));
        };
    return p[0] + chars(p[1], Math.max(0, len));
  }

  String jwt() {
    String b64 = ALNUM + "-_";
    String header = "eyJ" + chars(b64, 5 + random.nextInt(20));
    String payload = chars(b64, 2 + random.nextInt(30));
    String sig = chars(b64, random.nextInt(40));
    String jwt = header + "." + payload + "." + sig;
    return random.nextInt(6) == 0 ? jwt + "." + chars(b64, 3) : jwt;
  }

  String authScheme() {
    switch (random.nextInt(6)) {
      case 0:
        return "Bearer " + chars(ALNUM + "._~+/-=", 10 + random.nextInt(30));
      case 1:
        return "bearer authentication_mechanisms";
      case 2:
        return "Authorization: Bearer " + jwt();
      case 3:
        return "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (chars(LOWER, 4) + ":" + chars(ALNUM, 8)).getBytes(StandardCharsets.UTF_8));
      case 4:
        return "Basic "
            + Base64.getEncoder().encodeToString(chars(LOWER, 9).getBytes(StandardCharsets.UTF_8));
      default:
        return "BASIC " + chars(ALNUM + "+/", 5 + random.nextInt(20)) + "==";
    }
  }

  String assignment() {
    String key =
        pick(
            new String[] {
              "password",
              "db_password",
              "userPassword",
              "api_key",
              "x-api-key",
              "AWS_SECRET_ACCESS_KEY",
              "token",
              "access_token",
              "passwordless",
              "max_tokens",
              "OPENAI_API_KEY",
              "secret",
              "pwd",
              "Authorization",
              "credentials",
              "user"
            });
    String sep = pick(new String[] {"=", ": ", "\": \"", "='", "=\\\"", " = ", ":", "==", "=   "});
    String value =
        pick(
            new String[] {
              chars(ALNUM + "!$%", 4 + random.nextInt(20)),
              "getpass()",
              "settings.OPENAI_KEY",
              "<SECRET>",
              "****",
              vendorKey(),
              "hunter2",
              "abc",
              "os.environ[\"X\"]",
              "s3cr3t&x=1",
            });
    String prefix = pick(new String[] {"", "", "?", "&", "\"", "export "});
    return prefix + key + sep + value + (sep.contains("\"") ? "\"" : sep.contains("'") ? "'" : "");
  }

  String pem() {
    String kind =
        pick(new String[] {"RSA PRIVATE KEY", "PRIVATE KEY", "PUBLIC KEY", "EC PRIVATE KEY"});
    String body = chars(ALNUM + "+/", 20 + random.nextInt(60));
    switch (random.nextInt(4)) {
      case 0:
        return "-----BEGIN " + kind + "-----\n" + body + "\n-----END " + kind + "-----";
      case 1:
        return "-----BEGIN " + kind + "-----\\n" + body; // cut
      case 2:
        return "-----BEGIN " + kind + "----";
      default:
        return "-----BEGIN " + kind + "-----" + body + "-----END ";
    }
  }

  String digitGroups() {
    StringBuilder sb = new StringBuilder(random.nextBoolean() ? "+" : "");
    int groups = 1 + random.nextInt(7);
    for (int g = 0; g < groups; g++) {
      if (g > 0) {
        sb.append(pick(new String[] {" ", "-", ".", "/", "", " ("}));
      }
      boolean paren = random.nextInt(6) == 0;
      sb.append(paren ? "(" : "").append(digits(1 + random.nextInt(5))).append(paren ? ")" : "");
    }
    return sb.toString();
  }

  String hexGroups() {
    StringBuilder sb = new StringBuilder();
    int groups = 1 + random.nextInt(9);
    for (int g = 0; g < groups; g++) {
      if (g > 0) {
        sb.append(pick(new String[] {":", "::", ".", "-"}));
      }
      sb.append(chars(HEX, 1 + random.nextInt(5)));
    }
    return sb.toString();
  }

  /** A JSON document whose string leaves (and some keys) are generated texts. */
  public String json() {
    StringBuilder sb = new StringBuilder();
    value(sb, 0);
    return sb.toString();
  }

  private void value(StringBuilder sb, int depth) {
    int r = depth > 3 ? 4 + random.nextInt(4) : random.nextInt(8);
    switch (r) {
      case 0:
      case 1:
        {
          sb.append('{');
          int fields = random.nextInt(4);
          for (int f = 0; f < fields; f++) {
            if (f > 0) {
              sb.append(',');
            }
            quote(
                sb,
                pick(
                    new String[] {
                      "role",
                      "content",
                      "text",
                      "password",
                      "token",
                      "api_key",
                      "parts",
                      "arguments",
                      "email",
                      "type",
                      "authorization",
                      "x",
                      "é"
                    }));
            sb.append(random.nextInt(4) == 0 ? " : " : ":");
            value(sb, depth + 1);
          }
          sb.append('}');
          break;
        }
      case 2:
      case 3:
        {
          sb.append('[');
          int items = random.nextInt(4);
          for (int k = 0; k < items; k++) {
            if (k > 0) {
              sb.append(random.nextBoolean() ? "," : ", ");
            }
            value(sb, depth + 1);
          }
          sb.append(']');
          break;
        }
      case 4:
        sb.append(pick(new String[] {"1", "-0.25", "1e9", "true", "false", "null", "NaN"}));
        break;
      default:
        quote(sb, text());
    }
  }

  private void quote(StringBuilder sb, String s) {
    sb.append('"');
    escapeJson(sb, s, random, false);
    sb.append('"');
  }

  /**
   * Appends {@code s} as a JSON string's contents, escaped as SDKs do, several styles mixed at
   * random: {@code \\uXXXX} for some non-ASCII characters, {@code \\/} for some slashes, and (with
   * {@code escapeTabs}) {@code \\t} or {@code \\u0009} for tabs.
   */
  static void escapeJson(StringBuilder sb, String s, Random random, boolean escapeTabs) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (escapeTabs && c == '\t' && random.nextBoolean()) {
        sb.append("\\t");
      } else if (c < 0x20 || (c > 126 && random.nextInt(3) == 0)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else if (c == '/' && random.nextInt(3) == 0) {
        sb.append("\\/");
      } else {
        sb.append(c);
      }
    }
  }

  /** Random enabled sets, so that the pre-filters are tested with recognisers switched off. */
  public java.util.EnumSet<Builtin> someBuiltins() {
    java.util.EnumSet<Builtin> set = java.util.EnumSet.noneOf(Builtin.class);
    for (Builtin b : Builtin.values()) {
      if (random.nextInt(3) > 0) {
        set.add(b);
      }
    }
    return set;
  }
}
