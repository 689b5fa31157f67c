package io.tollgate.processor.redaction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BuiltinScannerTest {

  private static final BuiltinScanner ALL = BuiltinScanner.all();

  /** The single finding in {@code text}, as "ENTITY:value". */
  private static List<String> found(BuiltinScanner scanner, String text) {
    return Findings.resolve(scanner.scan(text)).stream()
        .map(f -> f.entityType() + ":" + text.substring(f.start(), f.end()))
        .toList();
  }

  static Stream<Arguments> formats() {
    return Stream.of(
        // entity, value, surrounding text with {} where the value goes
        Arguments.of("PHONE_NUMBER", "+44 20 7946 0958", "call {} today"),
        Arguments.of("PHONE_NUMBER", "(415) 555-0132", "call {} today"),
        Arguments.of("PHONE_NUMBER", "+1-415-555-0132", "call {} today"),
        Arguments.of("PHONE_NUMBER", "0049 30 901820", "call {} today"),
        Arguments.of("PHONE_NUMBER", "+33 6 12 34 56 78", "tel:{}"),
        Arguments.of("PHONE_NUMBER", "+353 1 555 0123", "({})"),
        Arguments.of("PHONE_NUMBER", "415 555 0132", "\"{}\""),
        Arguments.of("CREDIT_CARD", "4111 1111 1111 1111", "Visa {}."),
        Arguments.of("CREDIT_CARD", "4111-1111-1111-1111", "Visa {}."),
        Arguments.of("CREDIT_CARD", "5105 1051 0510 5100", "Mastercard {}"),
        Arguments.of("CREDIT_CARD", "5105-1051-0510-5100", "Mastercard {}"),
        Arguments.of("CREDIT_CARD", "371449635398431", "Amex {}"),
        Arguments.of("CREDIT_CARD", "3714 496353 98431", "Amex {}"),
        Arguments.of("CREDIT_CARD", "3714-496353-98431", "Amex {}"),
        Arguments.of("US_SSN", "123-45-6789", "SSN {}"),
        Arguments.of("US_SSN", "123 45 6789", "{}"),
        Arguments.of("IBAN_CODE", "DE89 3704 0044 0532 0130 00", "IBAN: {}"),
        Arguments.of("IBAN_CODE", "GB82WEST12345698765432", "{}"),
        Arguments.of("IBAN_CODE", "FR14 2004 1010 0505 0001 3M02 606", "{};"),
        Arguments.of("IBAN_CODE", "CH93 0076 2011 6238 5295 7", "{}"),
        Arguments.of("IP_ADDRESS", "203.0.113.42", "from {}:443"),
        Arguments.of("IP_ADDRESS", "2001:db8::8a2e:370:7334", "[{}]:443"),
        Arguments.of("IP_ADDRESS", "::1", "bind {}"),
        Arguments.of("IP_ADDRESS", "fe80::", "prefix {} only"),
        Arguments.of("IP_ADDRESS", "2001:db8::", "net {}/32"),
        Arguments.of("IP_ADDRESS", "::ffff:10.0.0.1", "mapped {}."),
        Arguments.of("MAC_ADDRESS", "AA:BB:CC:DD:EE:FF", "mac {}"),
        Arguments.of("MAC_ADDRESS", "aa-bb-cc-dd-ee-ff", "mac {}"),
        Arguments.of("MAC_ADDRESS", "aabb.ccdd.eeff", "mac {}"),
        Arguments.of("EMAIL_ADDRESS", "first.last+tag@example.co.uk", "<{}>"),
        Arguments.of("EMAIL_ADDRESS", "a_b@x-y.example", "mailto:{}"),
        Arguments.of("EMAIL_ADDRESS", "jose@xn--exmple-cua.com", "{}"),
        Arguments.of("URL", "https://bob:pa55word@example.com/x?y=1", "see {}."),
        Arguments.of("URL", "amqp://guest:guest@rabbit:5672/", "broker={}"),
        Arguments.of("API_KEY", "sk-proj-1234567890abcdefghijABCDEFGHIJ_-xyz", "key {}"),
        Arguments.of("API_KEY", "sk-ant-api03-" + "a".repeat(80) + "-AAAA", "{}"),
        Arguments.of("API_KEY", "ASIAY34FZKBOKMUTVV7A", "{}"),
        Arguments.of("API_KEY", "gho_16C7e42F292c6912E7710c838347Ae178B4a", "'{}'"),
        Arguments.of("API_KEY", "xoxp-1234-5678-abcdefABCDEF", "{}"),
        Arguments.of("JWT", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "jwt={} "),
        Arguments.of("SECRET", "abcDEF1234567890ghiJKL", "Authorization: Bearer {}"),
        Arguments.of("SECRET", "s3cr3t-Passw0rd", "password: \"{}\""),
        Arguments.of("SECRET", "abc123!!xyz", "--password={} --user x"),
        Arguments.of(
            "PRIVATE_KEY",
            "-----BEGIN PRIVATE KEY-----\n"
                + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"
                + "-----END PRIVATE KEY-----",
            "key:\n{}\n"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("formats")
  void findsEachFormat(String entity, String value, String around) {
    String text = around.replace("{}", value);
    assertThat(found(ALL, text)).containsExactly(entity + ":" + value);
  }

  @Test
  void eachRecogniserCanBeSwitchedOff() {
    String text =
        "jane@example.com +44 20 7946 0958 4111 1111 1111 1111 123-45-6789 10.0.0.1 "
            + "AKIAIOSFODNN7EXAMPLE 00:1A:2B:3C:4D:5E";
    assertThat(found(ALL, text)).hasSize(7);
    for (Builtin off :
        List.of(
            Builtin.EMAIL,
            Builtin.PHONE,
            Builtin.CREDIT_CARD,
            Builtin.US_SSN,
            Builtin.IP_ADDRESS,
            Builtin.AWS_ACCESS_KEY,
            Builtin.MAC_ADDRESS)) {
      EnumSet<Builtin> on = EnumSet.allOf(Builtin.class);
      on.remove(off);
      List<String> f = found(new BuiltinScanner(on), text);
      assertThat(f).as("without %s", off).hasSize(6);
      assertThat(f).noneMatch(s -> s.startsWith(off.entityType() + ":"));
    }
  }

  @Test
  void disabledByEntityTypeOrName() {
    assertThat(Builtin.enabled(List.of("API_KEY")))
        .doesNotContain(Builtin.OPENAI_KEY, Builtin.AWS_ACCESS_KEY, Builtin.SLACK_TOKEN)
        .contains(Builtin.EMAIL, Builtin.JWT);
    assertThat(Builtin.enabled(List.of("phone", "IP_ADDRESS")))
        .doesNotContain(Builtin.PHONE, Builtin.IP_ADDRESS)
        .contains(Builtin.MAC_ADDRESS);
  }

  @Test
  void escapedLineBreaksAndUnicodeDoNotHideEntities() {
    // Raw JSON text as an SDK cut it short: escapes are two characters.
    String raw = "{\"content\":\"my number:\\n415-555-0132\\tmail\\u00a0bob@example.com";
    assertThat(found(ALL, raw))
        .containsExactly("PHONE_NUMBER:415-555-0132", "EMAIL_ADDRESS:bob@example.com");
  }

  @Test
  void valueOfASecretKeyIsASecretWhateverItLooksLike() {
    assertThat(ALL.scan("correct horse battery staple", "db.password"))
        .containsExactly(new Finding(0, 28, "SECRET", 0.9));
    assertThat(ALL.scan("plain", "userPassword")).hasSize(1);
    assertThat(ALL.scan("hello", "max_tokens")).isEmpty();
    assertThat(ALL.scan("<SECRET>", "password")).isEmpty();
    // Log-probabilities: {"token": "Hello", "logprob": -0.1}
    assertThat(ALL.scan("Hello", "token")).isEmpty();
    assertThat(ALL.scan("opaque", "refresh_token")).hasSize(1);
  }

  @Test
  void overlappingFindingsMergeIntoOneSpanThatCoversBoth() {
    List<Finding> merged =
        Findings.resolve(
            List.of(
                new Finding(10, 20, "PHONE_NUMBER", 0.75),
                new Finding(15, 30, "EMAIL_ADDRESS", 1.0),
                new Finding(40, 45, "PERSON", 0.85),
                new Finding(40, 45, "LOCATION", 0.9)));
    assertThat(merged)
        .containsExactly(
            new Finding(10, 30, "EMAIL_ADDRESS", 1.0), new Finding(40, 45, "LOCATION", 0.9));
  }

  @Test
  void customRecognisersWithValidatorAndAllowList() {
    TextScanner scanner =
        new TextScanner(
            EnumSet.noneOf(Builtin.class),
            List.of(
                new TextScanner.CustomPattern(
                    "EMPLOYEE_ID",
                    Pattern.compile("\\bEMP-\\d{6}\\b"),
                    TextScanner.Validator.NONE,
                    0.9),
                new TextScanner.CustomPattern(
                    "LOYALTY_CARD",
                    Pattern.compile("\\b\\d{12}\\b"),
                    TextScanner.Validator.LUHN,
                    0.7)),
            Set.of("EMP-000001"));
    String text = "EMP-123456 EMP-000001 card 123456789012 or 123456789015";
    assertThat(scanner.scan(text, null))
        .extracting(f -> f.entityType() + ":" + text.substring(f.start(), f.end()))
        .containsExactly("EMPLOYEE_ID:EMP-123456", "LOYALTY_CARD:123456789015");
  }

  @Test
  void allowListIsCaseInsensitive() {
    TextScanner scanner =
        new TextScanner(EnumSet.allOf(Builtin.class), List.of(), Set.of("Support@Example.com"));
    assertThat(scanner.scan("write to support@example.com or jane@example.com", null))
        .extracting(Finding::start)
        .containsExactly(32);
  }

  @Test
  void cleanProseHasNoTriggersBeyondWordStarts() {
    String prose = "The quick brown fox jumps over the lazy dog. ".repeat(100);
    assertThat(ALL.scan(prose)).isEmpty();
  }

  @Test
  void randomInputNeverThrowsAndFindingsStayInBounds() {
    // Characters that drive the recognisers' branches, to reach their edge cases.
    String alphabet = "0123456789abcdefABCDEFXZ:.-+()/ @=\\\"'_\nskAIyJBr%-[]{}😀é";
    java.util.Random random = new java.util.Random(42);
    for (int run = 0; run < 10_000; run++) {
      int len = random.nextInt(60);
      StringBuilder sb = new StringBuilder(len);
      for (int i = 0; i < len; i++) {
        int cp =
            alphabet.codePointAt(
                alphabet.offsetByCodePoints(
                    0, random.nextInt(alphabet.codePointCount(0, alphabet.length()))));
        sb.appendCodePoint(cp);
      }
      String text = sb.toString();
      for (Finding f : ALL.scan(text, run % 7 == 0 ? "password" : null)) {
        assertThat(f.start()).as(text).isBetween(0, text.length() - 1);
        assertThat(f.end()).as(text).isBetween(f.start() + 1, text.length());
      }
    }
  }
}
