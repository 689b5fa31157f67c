package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Configuration of the {@code genai_normalize} processor.
 *
 * @param removeOriginals drop a source attribute once its value is under the canonical key (or is
 *     equal to the canonical value already there), so that storage is not doubled
 * @param overwrite let a mapped source replace a canonical attribute that the span already has
 * @param sources which dialects to read
 * @param customMappings the user's own {@code from} → {@code to} renames, applied before the
 *     built-in table
 * @param renameSpans rename inference spans to {@code {gen_ai.operation.name} {model}}
 * @param finishReasons whether {@code gen_ai.response.finish_reasons} gets the conventions'
 *     vocabulary ({@code max_tokens} → {@code length}) or the provider's values as sent
 */
public record GenAiNormalizeConfig(
    boolean removeOriginals,
    boolean overwrite,
    Sources sources,
    List<CustomMapping> customMappings,
    boolean renameSpans,
    FinishReasons finishReasons)
    implements ComponentConfig {

  public GenAiNormalizeConfig {
    sources = sources == null ? Sources.all() : sources;
    customMappings = customMappings == null ? List.of() : List.copyOf(customMappings);
    finishReasons = finishReasons == null ? FinishReasons.CONVENTIONS : finishReasons;
  }

  public static GenAiNormalizeConfig defaults() {
    return new GenAiNormalizeConfig(
        true, false, Sources.all(), List.of(), false, FinishReasons.CONVENTIONS);
  }

  @Override
  public void validate(ConfigIssues issues) {
    Set<String> froms = new HashSet<>();
    for (int i = 0; i < customMappings.size(); i++) {
      CustomMapping m = customMappings.get(i);
      ConfigIssues at = issues.at("custom_mappings[" + i + "]");
      if (m == null) {
        at.add("must be a mapping with `from` and `to`");
        continue;
      }
      boolean fromOk = m.from() != null && !m.from().isBlank();
      boolean toOk = m.to() != null && !m.to().isBlank();
      at.require(fromOk, "from", "must name the attribute to read, e.g. from: app.llm.model");
      at.require(toOk, "to", "must name the attribute to write, e.g. to: gen_ai.request.model");
      if (fromOk && toOk && m.from().equals(m.to())) {
        at.add("to", "is the same as `from` (\"" + m.from() + "\"); a mapping must rename");
      }
      if (fromOk && !froms.add(m.from())) {
        at.add(
            "from", "\"" + m.from() + "\" is mapped twice; keep one mapping per source attribute");
      }
    }
  }

  /** Which dialects the processor reads; each is on by default. */
  public record Sources(
      boolean otelDeprecated,
      boolean openllmetry,
      boolean openinference,
      boolean vercelAi,
      boolean adhoc,
      boolean langfuse) {

    public static Sources all() {
      return new Sources(true, true, true, true, true, true);
    }

    boolean enabled(Dialect dialect) {
      switch (dialect) {
        case OTEL_DEPRECATED:
          return otelDeprecated;
        case OPENLLMETRY:
          return openllmetry;
        case OPENINFERENCE:
          return openinference;
        case VERCEL_AI:
          return vercelAi;
        case ADHOC:
          return adhoc;
        case LANGFUSE:
          return langfuse;
        default:
          return true;
      }
    }
  }

  /**
   * One rename of the user's: the value of {@code from} goes to {@code to}.
   *
   * @param type how to convert the value; {@code auto} uses the target's type when the target is a
   *     known GenAI attribute (so that {@code to: gen_ai.usage.input_tokens} writes an int) and
   *     copies the value unchanged otherwise
   */
  public record CustomMapping(String from, String to, CustomType type) {
    public CustomMapping {
      type = type == null ? CustomType.AUTO : type;
    }

    public CustomMapping(String from, String to) {
      this(from, to, CustomType.AUTO);
    }
  }

  /** Conversion of a custom mapping's value. */
  public enum CustomType {
    AUTO,
    STRING,
    INT,
    DOUBLE,
    BOOL,
    STRING_ARRAY;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static CustomType of(String value) {
      return parse(CustomType.class, value);
    }
  }

  /** What {@code gen_ai.response.finish_reasons} holds. */
  public enum FinishReasons {
    /**
     * The conventions' vocabulary (stop, length, content_filter, tool_call, error) for every
     * provider value the table knows; other values as sent.
     */
    CONVENTIONS,
    /** The provider's values exactly as sent ({@code max_tokens}, {@code end_turn}, ...). */
    AS_SENT;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FinishReasons of(String value) {
      return parse(FinishReasons.class, value);
    }
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value) {
    if (value != null) {
      String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(wanted)) {
          return e;
        }
      }
    }
    throw new IllegalArgumentException(
        "\""
            + value
            + "\" is not one of "
            + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }
}
