package io.tollgate.benchmarks.workload;

import java.util.Random;

/**
 * Makes prose of a given size in bytes, and the personal data a redaction recogniser should find.
 * The vocabulary is mostly ASCII with a few multi-byte words, because real prompts are UTF-8 and
 * the decoder's cost depends on it. Clean text never holds a digit run longer than four, an
 * {@code @} or a dotted quad, so that a "clean" workload really is clean for the recognisers.
 */
final class TextSource {

  private static final String[] WORDS = {
    "the",
    "customer",
    "order",
    "refund",
    "policy",
    "account",
    "shipping",
    "invoice",
    "please",
    "explain",
    "why",
    "how",
    "can",
    "I",
    "change",
    "my",
    "subscription",
    "plan",
    "billing",
    "cycle",
    "within",
    "days",
    "of",
    "purchase",
    "support",
    "agent",
    "should",
    "answer",
    "politely",
    "and",
    "concisely",
    "using",
    "only",
    "the",
    "provided",
    "context",
    "if",
    "unsure",
    "say",
    "so",
    "product",
    "warranty",
    "covers",
    "defects",
    "in",
    "materials",
    "workmanship",
    "for",
    "a",
    "period",
    "returns",
    "are",
    "accepted",
    "when",
    "item",
    "is",
    "unused",
    "packaging",
    "intact",
    "delivery",
    "usually",
    "takes",
    "business",
    "express",
    "option",
    "available",
    "at",
    "checkout",
    "premium",
    "members",
    "receive",
    "free",
    "upgrade",
    "to",
    "priority",
    "queue",
    "our",
    "team",
    "reviews",
    "every",
    "request",
    "manually",
    "this",
    "document",
    "describes",
    "the",
    "escalation",
    "procedure",
    "tier",
    "two",
    "engineers",
    "handle",
    "outages",
    "latency",
    "regressions",
    "database",
    "migration",
    "rollback",
    "plan",
    "deployment",
    "window",
    "kubernetes",
    "cluster",
    "node",
    "pool",
    "autoscaling",
    "limits",
    "memory",
    "quota",
    "exceeded",
    "error",
    "rate",
    "limited",
    "retry",
    "after",
    "backoff",
    "token",
    "usage",
    "report",
    "monthly",
    "cost",
    "budget",
    "alert",
    "threshold",
    "forecast",
    "summary",
    "previous",
    "conversation",
    "assistant",
    "user",
    "question",
    "follow",
    "up",
    "translate",
    "into",
    "French",
    "German",
    "café",
    "naïve",
    "Zürich",
    "résumé",
    "São",
    "Paulo",
    "東京",
    "データ",
    "über",
    "straße",
    "déjà",
    "vu",
    "also",
    "note",
    "that",
    "it",
    "with",
    "from",
    "which",
    "they",
    "have",
    "been",
    "will",
    "would",
    "could",
    "there",
    "their",
    "about",
    "more",
    "other",
    "these",
    "some",
    "them",
    "than",
    "then",
    "its",
    "only",
    "new",
    "also",
    "any",
    "may",
  };

  private static final String[] FIRST = {
    "alice", "bob", "carol", "dmitri", "emma", "farid", "grace", "hiro", "ines", "jamal", "kasia",
    "liam", "maria", "noah", "olga", "pedro", "quinn", "rosa", "sven", "tara",
  };

  private static final String[] LAST = {
    "smith",
    "mueller",
    "garcia",
    "tanaka",
    "kowalski",
    "dubois",
    "rossi",
    "nguyen",
    "okafor",
    "johansson",
    "silva",
    "haddad",
    "murphy",
    "novak",
    "kim",
    "patel",
  };

  private static final String[] DOMAINS = {
    "example.com", "mail.example.org", "corp.example.net", "gmail.com", "outlook.com",
  };

  private final Random random;

  TextSource(Random random) {
    this.random = random;
  }

  /** A word from the vocabulary. */
  String word() {
    return WORDS[random.nextInt(WORDS.length)];
  }

  /** One sentence of 6–20 words, occasionally with a small number. */
  void sentence(StringBuilder out) {
    int n = 6 + random.nextInt(15);
    boolean lastWasNumber = false;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(' ');
      }
      String w = word();
      if (i == 0) {
        out.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
      } else if (!lastWasNumber && random.nextInt(40) == 0) {
        // Never two numbers in a row: "415 555 0123" would look like a phone number.
        out.append(1 + random.nextInt(2030));
        lastWasNumber = true;
        continue;
      } else {
        out.append(w);
      }
      lastWasNumber = false;
    }
    out.append(random.nextInt(8) == 0 ? "? " : ". ");
  }

  /**
   * Appends prose to {@code out} until it holds about {@code targetBytes} UTF-8 bytes (cut at a
   * word boundary, so it may fall short by a word).
   */
  void fill(StringBuilder out, int targetBytes) {
    int bytes = Utf8.length(out);
    while (bytes < targetBytes) {
      int before = out.length();
      sentence(out);
      bytes += Utf8.length(out, before, out.length());
    }
    // Trim back to the target at a space.
    while (bytes > targetBytes && out.length() > 0) {
      int cut = out.lastIndexOf(" ", out.length() - 2);
      if (cut <= 0) {
        break;
      }
      bytes -= Utf8.length(out, cut, out.length());
      out.setLength(cut);
    }
  }

  String text(int targetBytes) {
    StringBuilder sb = new StringBuilder(targetBytes + 64);
    fill(sb, targetBytes);
    return sb.toString();
  }

  /** A short question (40–200 bytes). */
  String question() {
    StringBuilder sb = new StringBuilder(160);
    sentence(sb);
    if (sb.length() > 200) {
      sb.setLength(200);
    }
    sb.setLength(Math.max(0, sb.length() - 2));
    return sb.append('?').toString();
  }

  /** One piece of personal data, of a kind picked at random. */
  String pii() {
    switch (random.nextInt(6)) {
      case 0:
        return email();
      case 1:
        return phone();
      case 2:
        return creditCard();
      case 3:
        return ipv4();
      case 4:
        return ssn();
      default:
        return iban();
    }
  }

  String email() {
    return FIRST[random.nextInt(FIRST.length)]
        + "."
        + LAST[random.nextInt(LAST.length)]
        + "@"
        + DOMAINS[random.nextInt(DOMAINS.length)];
  }

  /** A North-American number in one of the usual spellings. */
  String phone() {
    int area = 201 + random.nextInt(700);
    int line = random.nextInt(10000);
    switch (random.nextInt(3)) {
      case 0:
        return String.format("+1 %d-555-%04d", area, line);
      case 1:
        return String.format("(%d) 555-%04d", area, line);
      default:
        return String.format("%d.555.%04d", area, line);
    }
  }

  /** A Luhn-valid 16-digit card number starting like a Visa or Mastercard, grouped by four. */
  String creditCard() {
    int[] d = new int[16];
    d[0] = random.nextBoolean() ? 4 : 5;
    for (int i = 1; i < 15; i++) {
      d[i] = random.nextInt(10);
    }
    int sum = 0;
    for (int i = 0; i < 15; i++) {
      // Double every second digit counting from the check digit (index 15), i.e. even indexes.
      int v = d[i];
      if (i % 2 == 0) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
    }
    d[15] = (10 - sum % 10) % 10;
    StringBuilder sb = new StringBuilder(19);
    for (int i = 0; i < 16; i++) {
      if (i > 0 && i % 4 == 0) {
        sb.append(' ');
      }
      sb.append(d[i]);
    }
    return sb.toString();
  }

  String ipv4() {
    return "10."
        + random.nextInt(256)
        + "."
        + random.nextInt(256)
        + "."
        + (1 + random.nextInt(254));
  }

  /** A US SSN outside the never-issued ranges (000, 666, 9xx). */
  String ssn() {
    int area = 1 + random.nextInt(665);
    return String.format("%03d-%02d-%04d", area, 1 + random.nextInt(99), 1 + random.nextInt(9999));
  }

  /** A German IBAN with a correct mod-97 check. */
  String iban() {
    StringBuilder bban = new StringBuilder(18);
    for (int i = 0; i < 18; i++) {
      bban.append(random.nextInt(10));
    }
    // Check digits: move "DE00" to the end, letters as numbers (D=13, E=14), mod 97.
    String rearranged = bban + "131400";
    int mod = 0;
    for (int i = 0; i < rearranged.length(); i++) {
      mod = (mod * 10 + (rearranged.charAt(i) - '0')) % 97;
    }
    int check = 98 - mod;
    String iban = String.format("DE%02d%s", check, bban);
    StringBuilder grouped = new StringBuilder(27);
    for (int i = 0; i < iban.length(); i++) {
      if (i > 0 && i % 4 == 0) {
        grouped.append(' ');
      }
      grouped.append(iban.charAt(i));
    }
    return grouped.toString();
  }

  /** A person's name, for user ids and greetings. */
  String name() {
    return FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
  }
}
