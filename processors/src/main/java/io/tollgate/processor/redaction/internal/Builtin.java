package io.tollgate.processor.redaction.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in recognisers: a config name each, the entity type it reports (Presidio's names where
 * Presidio has one) and the score used to settle overlaps.
 *
 * <p>This class is internal and is not intended for public use.
 */
public enum Builtin {
  EMAIL("email", Entities.EMAIL_ADDRESS, 1.0),
  PHONE("phone", Entities.PHONE_NUMBER, 0.75),
  CREDIT_CARD("credit_card", Entities.CREDIT_CARD, 1.0),
  US_SSN("us_ssn", Entities.US_SSN, 0.85),
  IBAN("iban", Entities.IBAN_CODE, 1.0),
  IP_ADDRESS("ip_address", Entities.IP_ADDRESS, 0.8),
  MAC_ADDRESS("mac_address", Entities.MAC_ADDRESS, 0.8),
  URL_CREDENTIALS("url_credentials", Entities.URL, 0.9),
  OPENAI_KEY("openai_key", Entities.API_KEY, 1.0),
  ANTHROPIC_KEY("anthropic_key", Entities.API_KEY, 1.0),
  AWS_ACCESS_KEY("aws_access_key", Entities.API_KEY, 1.0),
  GITHUB_TOKEN("github_token", Entities.API_KEY, 1.0),
  GITLAB_TOKEN("gitlab_token", Entities.API_KEY, 1.0),
  SLACK_TOKEN("slack_token", Entities.API_KEY, 1.0),
  GOOGLE_API_KEY("google_api_key", Entities.API_KEY, 1.0),
  STRIPE_KEY("stripe_key", Entities.API_KEY, 1.0),
  HUGGINGFACE_TOKEN("huggingface_token", Entities.API_KEY, 1.0),
  NPM_TOKEN("npm_token", Entities.API_KEY, 1.0),
  JWT("jwt", Entities.JWT, 0.95),
  BEARER_TOKEN("bearer_token", Entities.SECRET, 0.9),
  SECRET_ASSIGNMENT("secret_assignment", Entities.SECRET, 0.9),
  PRIVATE_KEY("private_key", Entities.PRIVATE_KEY, 1.0);

  private final String configName;
  private final String entityType;
  private final double score;

  Builtin(String configName, String entityType, double score) {
    this.configName = configName;
    this.entityType = entityType;
    this.score = score;
  }

  public String configName() {
    return configName;
  }

  public String entityType() {
    return entityType;
  }

  public double score() {
    return score;
  }

  /** Recogniser names, in declaration order. */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (Builtin b : values()) {
      out.add(b.configName);
    }
    return out;
  }

  /** Entity types the built-ins report, in declaration order, without repeats. */
  public static List<String> entityTypes() {
    Set<String> out = new LinkedHashSet<>();
    for (Builtin b : values()) {
      out.add(b.entityType);
    }
    return new ArrayList<>(out);
  }

  /** Every name {@code disabled} accepts, in lower case: recogniser names and entity types. */
  public static Set<String> configNames() {
    Set<String> out = new LinkedHashSet<>(names());
    for (String e : entityTypes()) {
      out.add(e.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** The built-ins left on after {@code disabled} (recogniser names or entity types, any case). */
  public static EnumSet<Builtin> enabled(List<String> disabled) {
    EnumSet<Builtin> on = EnumSet.allOf(Builtin.class);
    for (String d : disabled) {
      String name = d.toLowerCase(Locale.ROOT);
      on.removeIf(b -> b.configName.equals(name) || b.entityType.equalsIgnoreCase(name));
    }
    return on;
  }
}
