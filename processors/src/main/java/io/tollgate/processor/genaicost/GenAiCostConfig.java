package io.tollgate.processor.genaicost;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * Configuration of the {@code genai_cost} processor.
 *
 * @param prices price entries that add to or win over the bundled ones (USD per 1M tokens)
 * @param priceFile path of a YAML file with more entries, in the bundled table's format; "" for
 *     none
 * @param override replace a {@code gen_ai.usage.cost} the sender already set
 * @param truncationFinishReasons finish reasons (any case) that mean the answer stopped at its
 *     token limit
 * @param metrics the span-derived GenAI metrics
 */
public record GenAiCostConfig(
    List<PriceEntry> prices,
    String priceFile,
    boolean override,
    List<String> truncationFinishReasons,
    Metrics metrics)
    implements ComponentConfig {

  public static final int DEFAULT_MAX_MODELS = 100;

  public GenAiCostConfig {
    prices = prices == null ? List.of() : List.copyOf(prices);
    priceFile = priceFile == null ? "" : priceFile.trim();
    truncationFinishReasons =
        truncationFinishReasons == null
            ? List.of()
            : truncationFinishReasons.stream()
                .map(s -> s == null ? "" : s.trim().toLowerCase(Locale.ROOT))
                .toList();
    metrics = metrics == null ? Metrics.defaults() : metrics;
  }

  public static GenAiCostConfig defaults() {
    return new GenAiCostConfig(
        List.of(), "", false, List.of("length", "max_tokens"), Metrics.defaults());
  }

  /**
   * @param enabled record the GenAI metrics
   * @param maxModels distinct model names kept as label values; later ones become {@code _other}
   */
  public record Metrics(boolean enabled, int maxModels) {

    public static Metrics defaults() {
      return new Metrics(true, DEFAULT_MAX_MODELS);
    }
  }

  @Override
  public void validate(ConfigIssues issues) {
    PriceFiles.validateEntries(prices, "prices", issues);
    if (!priceFile.isEmpty()) {
      validatePriceFile(issues);
    }
    for (int i = 0; i < truncationFinishReasons.size(); i++) {
      if (truncationFinishReasons.get(i).isEmpty()) {
        issues.add(
            "truncation_finish_reasons[" + i + "]", "empty; remove it or name a finish reason");
      }
    }
    if (metrics.maxModels() < 1) {
      issues.at("metrics").add("max_models", "must be at least 1; got " + metrics.maxModels());
    }
  }

  private void validatePriceFile(ConfigIssues issues) {
    Path path;
    try {
      path = Paths.get(priceFile);
    } catch (InvalidPathException e) {
      issues.add("price_file", "\"" + priceFile + "\" is not a valid path: " + e.getReason());
      return;
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      issues.add(
          "price_file",
          "cannot read \""
              + priceFile
              + "\" (resolved to "
              + path.toAbsolutePath()
              + "); the file must exist and be readable");
      return;
    }
    PriceFile file;
    try {
      file = PriceFiles.read(path);
    } catch (IOException e) {
      issues.add("price_file", priceFile + ": " + e.getMessage());
      return;
    }
    ConfigIssues inFile = new ConfigIssues();
    PriceFiles.validate(file, false, inFile);
    for (ConfigIssues.Issue issue : inFile.issues()) {
      issues.add("price_file", priceFile + ": " + issue);
    }
  }
}
