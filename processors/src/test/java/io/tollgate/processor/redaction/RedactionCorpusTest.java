package io.tollgate.processor.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.processor.redaction.internal.Anonymizer;
import io.tollgate.processor.redaction.internal.Finding;
import io.tollgate.processor.redaction.internal.Findings;
import io.tollgate.processor.redaction.internal.TextScanner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the built-in recognisers on a labelled corpus of realistic prompts
 * ({@code redaction/corpus.txt}), and silence on look-alikes that must survive ({@code
 * redaction/negatives.txt}). The table is written to {@code target/redaction-corpus-report.txt}.
 */
class RedactionCorpusTest {

  private static final Pattern LABEL = Pattern.compile("\\[\\[([A-Z_]+)\\|(.*?)]]", Pattern.DOTALL);

  /** One labelled span in a corpus text. */
  record Label(int start, int end, String entity, String value) {}

  /** A corpus text with its labels. */
  record Sample(int line, String text, List<Label> labels) {}

  private static TextScanner scanner;
  private static Anonymizer anonymizer;

  @BeforeAll
  static void setUp() {
    RedactionConfig config = RedactionConfig.defaults();
    scanner = RedactionProcessorFactory.scanner(config);
    anonymizer = RedactionProcessorFactory.anonymizer(config);
  }

  static List<String> lines(String resource) throws IOException {
    try (InputStream in = RedactionCorpusTest.class.getResourceAsStream(resource)) {
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return List.of(all.split("\n", -1));
    }
  }

  static List<Sample> corpus() throws IOException {
    List<Sample> out = new ArrayList<>();
    List<String> lines = lines("/redaction/corpus.txt");
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i);
      if (raw.isBlank() || raw.startsWith("#")) {
        continue;
      }
      String line = raw.replace("{NL}", "\n");
      StringBuilder text = new StringBuilder();
      List<Label> labels = new ArrayList<>();
      Matcher m = LABEL.matcher(line);
      int pos = 0;
      while (m.find()) {
        text.append(line, pos, m.start());
        int start = text.length();
        text.append(m.group(2));
        labels.add(new Label(start, text.length(), m.group(1), m.group(2)));
        pos = m.end();
      }
      text.append(line.substring(pos));
      out.add(new Sample(i + 1, text.toString(), labels));
    }
    return out;
  }

  /** Counts per entity type. */
  static final class Tally {
    int tp;
    int fp;
    int fn;

    double precision() {
      return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
    }
  }

  @Test
  void corpusHasFullRecallAndPrecision() throws IOException {
    List<Sample> samples = corpus();
    Map<String, Tally> tally = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    int labels = 0;
    for (Sample s : samples) {
      List<Finding> found = Findings.resolve(scanner.scan(s.text(), null));
      List<Finding> unmatched = new ArrayList<>(found);
      for (Label l : s.labels()) {
        labels++;
        Tally t = tally.computeIfAbsent(l.entity(), k -> new Tally());
        Finding match = null;
        for (Finding f : unmatched) {
          if (f.start() == l.start() && f.end() == l.end() && f.entityType().equals(l.entity())) {
            match = f;
            break;
          }
        }
        if (match != null) {
          t.tp++;
          unmatched.remove(match);
        } else {
          t.fn++;
          problems.add(
              "line "
                  + s.line()
                  + ": missed "
                  + l.entity()
                  + " \""
                  + l.value()
                  + "\"; found "
                  + describe(s.text(), found));
        }
      }
      for (Finding f : unmatched) {
        tally.computeIfAbsent(f.entityType(), k -> new Tally()).fp++;
        problems.add(
            "line "
                + s.line()
                + ": unexpected "
                + f.entityType()
                + " \""
                + s.text().substring(f.start(), f.end())
                + "\"");
      }
      // Whatever the labels say, no labelled value may survive redaction.
      String redacted = anonymizer.apply(s.text(), found, (e, n) -> {});
      for (Label l : s.labels()) {
        assertThat(redacted).as("line %d after redaction", s.line()).doesNotContain(l.value());
      }
    }

    List<String> negatives = negatives();
    int negativeFindings = 0;
    for (String text : negatives) {
      for (Finding f : scanner.scan(text, null)) {
        negativeFindings++;
        problems.add(
            "negative \""
                + text
                + "\": "
                + f.entityType()
                + " \""
                + text.substring(f.start(), f.end())
                + "\"");
      }
    }

    String report = report(tally, samples.size(), labels, negatives.size(), negativeFindings);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "redaction-corpus-report.txt"), report);
    System.out.println(report);

    assertThat(problems).as(report).isEmpty();
    assertThat(labels).isGreaterThan(100);
    assertThat(tally.keySet())
        .containsAll(
            List.of(
                "EMAIL_ADDRESS",
                "PHONE_NUMBER",
                "CREDIT_CARD",
                "US_SSN",
                "IBAN_CODE",
                "IP_ADDRESS",
                "MAC_ADDRESS",
                "URL",
                "API_KEY",
                "JWT",
                "SECRET",
                "PRIVATE_KEY"));
  }

  static List<String> negatives() throws IOException {
    List<String> out = new ArrayList<>();
    for (String raw : lines("/redaction/negatives.txt")) {
      if (!raw.isBlank() && !raw.startsWith("#")) {
        out.add(raw.replace("{NL}", "\n"));
      }
    }
    return out;
  }

  private static String describe(String text, List<Finding> found) {
    List<String> out = new ArrayList<>();
    for (Finding f : found) {
      out.add(f.entityType() + "\"" + text.substring(f.start(), f.end()) + "\"");
    }
    return out.toString();
  }

  private static String report(
      Map<String, Tally> tally, int texts, int labels, int negatives, int negativeFindings) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "Redaction corpus: %d texts, %d labelled entities; %d negative texts%n",
            texts, labels, negatives));
    sb.append(
        String.format(
            "%-14s %5s %5s %5s %9s %7s%n", "entity", "TP", "FP", "FN", "precision", "recall"));
    Tally all = new Tally();
    for (Map.Entry<String, Tally> e : tally.entrySet()) {
      Tally t = e.getValue();
      all.tp += t.tp;
      all.fp += t.fp;
      all.fn += t.fn;
      sb.append(
          String.format(
              "%-14s %5d %5d %5d %9.3f %7.3f%n",
              e.getKey(), t.tp, t.fp, t.fn, t.precision(), t.recall()));
    }
    sb.append(
        String.format(
            "%-14s %5d %5d %5d %9.3f %7.3f%n",
            "all", all.tp, all.fp, all.fn, all.precision(), all.recall()));
    sb.append(String.format("negatives: %d findings in %d texts%n", negativeFindings, negatives));
    return sb.toString();
  }
}
