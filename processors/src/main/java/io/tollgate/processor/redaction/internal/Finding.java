package io.tollgate.processor.redaction.internal;

/**
 * One piece of personal data found in a text: UTF-16 offsets into that text, the entity type in
 * Presidio's vocabulary and a confidence. Never holds the value itself, so findings may be cached
 * and logged.
 *
 * <p>This class is internal and is not intended for public use.
 */
public record Finding(int start, int end, String entityType, double score) {

  public Finding {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad finding range [" + start + ", " + end + ")");
    }
  }

  public int length() {
    return end - start;
  }

  public Finding shift(int offset) {
    return offset == 0 ? this : new Finding(start + offset, end + offset, entityType, score);
  }

  /** Longer wins, then higher score, then the entity name (so that the choice is stable). */
  boolean beats(Finding other) {
    if (length() != other.length()) {
      return length() > other.length();
    }
    if (score != other.score) {
      return score > other.score;
    }
    return entityType.compareTo(other.entityType) < 0;
  }
}
