package io.tollgate.processor.redaction;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.processor.redaction.internal.Builtin;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The local recognisers: which built-ins are off, and the user's own.
 *
 * @param disabled built-in recogniser names ({@code phone}, {@code ip_address}, …) or entity types
 *     ({@code PHONE_NUMBER}) to switch off
 * @param custom the user's recognisers, run after the built-ins
 */
public record RecognizersConfig(List<String> disabled, List<Custom> custom) {

  public RecognizersConfig {
    disabled = disabled == null ? List.of() : List.copyOf(disabled);
    custom = custom == null ? List.of() : List.copyOf(custom);
  }

  public static RecognizersConfig defaults() {
    return new RecognizersConfig(List.of(), List.of());
  }

  /** An extra check on a regex match, so that the regex may be loose. */
  public enum Validator {
    NONE,
    /** The digits of the match pass the Luhn checksum (card numbers, many national ids). */
    LUHN,
    /** The match is an IBAN with a valid ISO 13616 mod-97 checksum. */
    IBAN;

    @JsonValue
    public String configName() {
      return ConfigEnums.configName(this);
    }

    @JsonCreator
    public static Validator parse(String text) {
      return ConfigEnums.parse(Validator.class, "validator", text);
    }
  }

  /**
   * A user recogniser, as Presidio's ad-hoc pattern recognisers.
   *
   * @param name the entity type it reports, e.g. {@code EMPLOYEE_ID} (operators are keyed by it)
   * @param regex a Java regular expression; the whole match is the finding
   * @param validator an optional check of each match
   * @param score confidence in (0, 1]; decides between overlapping findings
   */
  public record Custom(String name, String regex, Validator validator, Double score) {
    public Custom {
      if (validator == null) {
        validator = Validator.NONE;
      }
      if (score == null) {
        score = 0.8;
      }
    }
  }

  void validate(ConfigIssues issues) {
    Set<String> known = Builtin.configNames();
    for (int i = 0; i < disabled.size(); i++) {
      String d = disabled.get(i);
      if (d == null || !known.contains(d.toLowerCase(Locale.ROOT))) {
        issues.add(
            "disabled[" + i + "]",
            "unknown recogniser \""
                + d
                + "\"; use one of "
                + String.join(", ", Builtin.names())
                + " or an entity type such as "
                + String.join(", ", Builtin.entityTypes()));
      }
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < custom.size(); i++) {
      Custom c = custom.get(i);
      ConfigIssues at = issues.at("custom[" + i + "]");
      if (c.name() == null || !RedactionConfig.ENTITY_NAME.matcher(c.name()).matches()) {
        at.add(
            "name",
            "must be an entity type in upper case, e.g. EMPLOYEE_ID; got \"" + c.name() + "\"");
      } else if (!names.add(c.name())) {
        at.add("name", "\"" + c.name() + "\" is defined twice");
      }
      if (c.regex() == null || c.regex().isEmpty()) {
        at.add("regex", "is required");
      } else {
        try {
          Pattern p = Pattern.compile(c.regex());
          if (p.matcher("").matches()) {
            at.add("regex", "matches the empty string; it would find nothing useful");
          }
        } catch (PatternSyntaxException e) {
          at.add("regex", "is not a valid regular expression: " + e.getDescription());
        }
      }
      if (!(c.score() > 0 && c.score() <= 1)) {
        at.add("score", "must be in (0, 1]; got " + c.score());
      }
    }
  }
}
