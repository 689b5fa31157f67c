package io.tollgate.processor.genaicost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tollgate.core.component.ConfigIssues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads and checks price tables: the bundled resource, a {@code price_file}, inline entries. */
final class PriceFiles {

  static final String BUNDLED_RESOURCE = "prices.yaml";

  // BigDecimal for every number: "0.075" must stay 0.075, not the nearest double.
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private static volatile PriceFile bundled;

  private PriceFiles() {}

  /** The table shipped in the jar. A broken bundled table is a build defect: fail loudly. */
  static PriceFile bundled() {
    PriceFile table = bundled;
    if (table == null) {
      try (InputStream in = PriceFiles.class.getResourceAsStream(BUNDLED_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("bundled price table " + BUNDLED_RESOURCE + " missing");
        }
        table = YAML.readValue(in, PriceFile.class);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the bundled price table", e);
      }
      ConfigIssues issues = new ConfigIssues();
      validate(table, true, issues);
      if (!issues.isEmpty()) {
        throw new IllegalStateException("bundled price table is invalid: " + issues.issues());
      }
      bundled = table;
    }
    return table;
  }

  /**
   * Reads a user's price file.
   *
   * @throws IOException when it cannot be read or is not a price table, with a message that says
   *     where
   */
  static PriceFile read(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return YAML.readValue(in, PriceFile.class);
    } catch (JsonProcessingException e) {
      throw new IOException(describe(e), e);
    }
  }

  /** Jackson's error in the user's terms: the key path, not our class names. */
  static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      String at = pathOf(u.getPath().subList(0, u.getPath().size() - 1));
      return "unknown key \""
          + u.getPropertyName()
          + "\""
          + (at.isEmpty() ? "" : " in " + at)
          + "; known keys: "
          + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
    }
    String message = e.getOriginalMessage();
    int nl = message.indexOf('\n');
    if (nl > 0) {
      message = message.substring(0, nl);
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return pathOf(m.getPath()) + ": " + message;
    }
    return e.getLocation() == null
        ? message
        : message
            + " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static String pathOf(List<JsonMappingException.Reference> path) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** Checks a whole table; {@code asOfRequired} for the bundled one. */
  static void validate(PriceFile table, boolean asOfRequired, ConfigIssues issues) {
    if (table.asOf() == null || table.asOf().isBlank()) {
      if (asOfRequired) {
        issues.add("as_of", "missing: write the date the prices were read, e.g. as_of: 2026-08-20");
      }
    } else {
      try {
        LocalDate.parse(table.asOf().trim());
      } catch (DateTimeParseException e) {
        issues.add("as_of", "\"" + table.asOf() + "\" is not a date; write e.g. 2026-08-20");
      }
    }
    validateEntries(table.prices(), "prices", issues);
  }

  /** Checks entries; paths read {@code prices[3].match}. */
  static void validateEntries(List<PriceEntry> entries, String key, ConfigIssues issues) {
    for (int i = 0; i < entries.size(); i++) {
      PriceEntry e = entries.get(i);
      String at = key + "[" + i + "]";
      if (e == null) {
        issues.add(at, "empty entry; write at least model, input and output");
        continue;
      }
      if (e.model() == null || e.model().isBlank()) {
        issues.add(at + ".model", "missing: name the model this price is for");
      }
      if (e.match() != null) {
        if (e.match().isBlank()) {
          issues.add(at + ".match", "empty; remove it to match the model name exactly");
        } else {
          try {
            Pattern.compile(e.match());
          } catch (PatternSyntaxException ex) {
            issues.add(
                at + ".match",
                "not a valid regular expression: "
                    + ex.getDescription()
                    + " near index "
                    + ex.getIndex());
          }
        }
      }
      requirePrice(e.input(), true, at + ".input", issues);
      requirePrice(e.output(), true, at + ".output", issues);
      requirePrice(e.cacheRead(), false, at + ".cache_read", issues);
      requirePrice(e.cacheWrite(), false, at + ".cache_write", issues);
      long previous = 0;
      for (int t = 0; t < e.tiers().size(); t++) {
        PriceEntry.Tier tier = e.tiers().get(t);
        String tat = at + ".tiers[" + t + "]";
        if (tier == null) {
          issues.add(tat, "empty tier; write above_input_tokens and the prices that change");
          continue;
        }
        if (tier.aboveInputTokens() <= previous) {
          issues.add(
              tat + ".above_input_tokens",
              t == 0
                  ? "must be positive; got " + tier.aboveInputTokens()
                  : "must be above the previous tier's "
                      + previous
                      + "; list tiers in ascending order");
        }
        previous = Math.max(previous, tier.aboveInputTokens());
        requirePrice(tier.input(), false, tat + ".input", issues);
        requirePrice(tier.output(), false, tat + ".output", issues);
        requirePrice(tier.cacheRead(), false, tat + ".cache_read", issues);
        requirePrice(tier.cacheWrite(), false, tat + ".cache_write", issues);
      }
    }
  }

  private static void requirePrice(
      BigDecimal price, boolean required, String key, ConfigIssues issues) {
    if (price == null) {
      if (required) {
        issues.add(key, "missing: USD per 1M tokens, e.g. 2.50");
      }
    } else if (price.signum() < 0) {
      issues.add(key, "must not be negative; got " + price.toPlainString());
    }
  }
}
