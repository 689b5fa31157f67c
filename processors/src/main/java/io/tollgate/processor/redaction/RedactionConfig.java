package io.tollgate.processor.redaction;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Secret;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Configuration of the {@code redaction} processor.
 *
 * @param defaultKeys scan the GenAI content keys of every instrumentation ({@link
 *     KeySelector#DEFAULT_KEYS}, {@link KeySelector#DEFAULT_PREFIXES})
 * @param keys more attribute keys to scan (exact)
 * @param keyPatterns more attribute keys to scan (regular expressions, found anywhere in the key)
 * @param allStringAttributes scan every string attribute (fail-closed); {@code ignored_keys} still
 *     apply
 * @param ignoredKeys keys never scanned or changed, whatever else says
 * @param spanEvents scan span-event attributes too (and every attribute of {@code gen_ai.*} events)
 * @param statusMessage scan the span's status message (it often repeats an exception message)
 * @param recognizers built-ins to switch off and the user's own recognisers
 * @param allowList values never redacted (exact, case-insensitive), e.g. a support address
 * @param operators entity type (or {@code DEFAULT}) to operator
 * @param hashKey HMAC-SHA256 key of the {@code hash} operator; required when it is used
 * @param hashLength hex characters of the HMAC kept in a {@code hash} pseudonym
 * @param summary what a touched span says about its redactions
 * @param presidio the optional Presidio analyzer
 */
public record RedactionConfig(
    boolean defaultKeys,
    List<String> keys,
    List<String> keyPatterns,
    boolean allStringAttributes,
    List<String> ignoredKeys,
    boolean spanEvents,
    boolean statusMessage,
    RecognizersConfig recognizers,
    List<String> allowList,
    Map<String, OperatorConfig> operators,
    Secret hashKey,
    int hashLength,
    SummaryLevel summary,
    PresidioConfig presidio)
    implements ComponentConfig {

  /** The operator key that applies to entity types without their own. */
  public static final String DEFAULT_OPERATOR = "DEFAULT";

  static final Pattern ENTITY_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  static final int MIN_HASH_KEY_LENGTH = 16;

  public RedactionConfig {
    keys = keys == null ? List.of() : List.copyOf(keys);
    keyPatterns = keyPatterns == null ? List.of() : List.copyOf(keyPatterns);
    ignoredKeys = ignoredKeys == null ? List.of() : List.copyOf(ignoredKeys);
    if (recognizers == null) {
      recognizers = RecognizersConfig.defaults();
    }
    allowList = allowList == null ? List.of() : List.copyOf(allowList);
    Map<String, OperatorConfig> ops = new LinkedHashMap<>();
    ops.put(DEFAULT_OPERATOR, OperatorConfig.replace());
    if (operators != null) {
      ops.putAll(operators);
    }
    // Insertion order (DEFAULT first, then as written) so that print-config is stable.
    operators = Collections.unmodifiableMap(ops);
    if (hashKey == null) {
      hashKey = Secret.of("");
    }
    if (summary == null) {
      summary = SummaryLevel.INFO;
    }
    if (presidio == null) {
      presidio = PresidioConfig.defaults();
    }
  }

  public static RedactionConfig defaults() {
    return new RedactionConfig(
        true,
        List.of(),
        List.of(),
        false,
        List.of(),
        true,
        true,
        RecognizersConfig.defaults(),
        List.of(),
        Map.of(DEFAULT_OPERATOR, OperatorConfig.replace()),
        Secret.of(""),
        8,
        SummaryLevel.INFO,
        PresidioConfig.defaults());
  }

  /** The operator for {@code entityType}: its own, else {@code DEFAULT}. */
  public OperatorConfig operatorFor(String entityType) {
    OperatorConfig op = operators.get(entityType);
    return op != null ? op : operators.get(DEFAULT_OPERATOR);
  }

  // Copies for tests and programmatic use; config files go through the loader.

  public RedactionConfig withPresidio(PresidioConfig p) {
    return new RedactionConfig(
        defaultKeys,
        keys,
        keyPatterns,
        allStringAttributes,
        ignoredKeys,
        spanEvents,
        statusMessage,
        recognizers,
        allowList,
        operators,
        hashKey,
        hashLength,
        summary,
        p);
  }

  public RedactionConfig withOperators(Map<String, OperatorConfig> ops, Secret key) {
    return new RedactionConfig(
        defaultKeys,
        keys,
        keyPatterns,
        allStringAttributes,
        ignoredKeys,
        spanEvents,
        statusMessage,
        recognizers,
        allowList,
        ops,
        key,
        hashLength,
        summary,
        presidio);
  }

  public RedactionConfig withSummary(SummaryLevel level) {
    return new RedactionConfig(
        defaultKeys,
        keys,
        keyPatterns,
        allStringAttributes,
        ignoredKeys,
        spanEvents,
        statusMessage,
        recognizers,
        allowList,
        operators,
        hashKey,
        hashLength,
        level,
        presidio);
  }

  public RedactionConfig withKeys(
      List<String> extraKeys, List<String> patterns, boolean allStrings, List<String> ignored) {
    return new RedactionConfig(
        defaultKeys,
        extraKeys,
        patterns,
        allStrings,
        ignored,
        spanEvents,
        statusMessage,
        recognizers,
        allowList,
        operators,
        hashKey,
        hashLength,
        summary,
        presidio);
  }

  public RedactionConfig withRecognizers(RecognizersConfig r, List<String> allow) {
    return new RedactionConfig(
        defaultKeys,
        keys,
        keyPatterns,
        allStringAttributes,
        ignoredKeys,
        spanEvents,
        statusMessage,
        r,
        allow,
        operators,
        hashKey,
        hashLength,
        summary,
        presidio);
  }

  @Override
  public void validate(ConfigIssues issues) {
    for (int i = 0; i < keyPatterns.size(); i++) {
      try {
        Pattern.compile(keyPatterns.get(i));
      } catch (PatternSyntaxException e) {
        issues.add(
            "key_patterns[" + i + "]", "is not a valid regular expression: " + e.getDescription());
      }
    }
    if (!defaultKeys
        && keys.isEmpty()
        && keyPatterns.isEmpty()
        && !allStringAttributes
        && !statusMessage) {
      issues.add(
          "default_keys",
          "nothing would be scanned; keep default_keys: true, list keys or key_patterns, or set"
              + " all_string_attributes: true");
    }
    recognizers.validate(issues.at("recognizers"));
    boolean usesHash = false;
    for (Map.Entry<String, OperatorConfig> e : operators.entrySet()) {
      String entity = e.getKey();
      if (!entity.equals(DEFAULT_OPERATOR) && !ENTITY_NAME.matcher(entity).matches()) {
        issues.add(
            "operators." + entity,
            "keys are entity types in upper case (EMAIL_ADDRESS, PERSON, …) or DEFAULT");
      }
      if (e.getValue() == null) {
        issues.add("operators." + entity, "needs a type: replace, mask, hash, redact or keep");
        continue;
      }
      e.getValue().validate(issues.at("operators." + entity));
      usesHash |= e.getValue().type() == OperatorConfig.Type.HASH;
    }
    if (usesHash) {
      if (hashKey.isEmpty()) {
        issues.add(
            "hash_key",
            "is required when an operator is hash; set it from the environment, e.g. hash_key:"
                + " ${env:TOLLGATE_REDACTION_HASH_KEY} (at least "
                + MIN_HASH_KEY_LENGTH
                + " characters, the same on every replica)");
      } else if (hashKey.reveal().length() < MIN_HASH_KEY_LENGTH) {
        issues.add(
            "hash_key",
            "must be at least "
                + MIN_HASH_KEY_LENGTH
                + " characters so that pseudonyms cannot be"
                + " brute-forced; use a random value such as the output of openssl rand -hex 32");
      }
    }
    issues.require(
        hashLength >= 4 && hashLength <= 64,
        "hash_length",
        "must be between 4 and 64 hex characters; got " + hashLength);
    presidio.validate(issues.at("presidio"));
  }
}
