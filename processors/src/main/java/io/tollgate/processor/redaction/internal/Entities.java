package io.tollgate.processor.redaction.internal;

/**
 * Entity type names. Presidio's where Presidio has the concept, so that operators configured for
 * Presidio findings apply to built-in findings too.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class Entities {

  private Entities() {}

  public static final String EMAIL_ADDRESS = "EMAIL_ADDRESS";
  public static final String PHONE_NUMBER = "PHONE_NUMBER";
  public static final String CREDIT_CARD = "CREDIT_CARD";
  public static final String US_SSN = "US_SSN";
  public static final String IBAN_CODE = "IBAN_CODE";
  public static final String IP_ADDRESS = "IP_ADDRESS";
  public static final String MAC_ADDRESS = "MAC_ADDRESS";
  public static final String URL = "URL";
  // Ours: Presidio has no names for these.
  public static final String API_KEY = "API_KEY";
  public static final String JWT = "JWT";
  public static final String SECRET = "SECRET";
  public static final String PRIVATE_KEY = "PRIVATE_KEY";
}
