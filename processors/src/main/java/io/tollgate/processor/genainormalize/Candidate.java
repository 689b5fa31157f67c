package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.List;

/**
 * One possible value of a target, with the attributes and events it was made from: those are
 * removed when the value is written (or equals what is written) and kept otherwise.
 */
final class Candidate {

  /** No attributes or events; shared, so never written to (as are {@link #only}'s arrays). */
  static final int[] NONE = new int[0];

  final Dialect dialect;
  final int priority;
  final boolean hint;
  final boolean fallback;
  final AnyValue value;
  final JsonNode json;
  final List<String> asSent;
  final int[] attrs;
  final int[] events;

  Candidate(
      Dialect dialect,
      int priority,
      boolean hint,
      boolean fallback,
      Converted converted,
      int[] attrs,
      int[] events) {
    this.dialect = dialect;
    this.priority = priority;
    this.hint = hint;
    this.fallback = fallback;
    this.value = converted.value();
    this.json = converted.json();
    this.asSent = converted.asSent();
    this.attrs = attrs;
    this.events = events;
  }

  static Candidate of(Rule rule, Converted c, int attr) {
    return new Candidate(
        rule.dialect(),
        rule.priority(),
        rule.hint(),
        rule.fallback(),
        c,
        rule.hint() ? NONE : only(attr),
        NONE);
  }

  /**
   * {@code {attr}}: shared for the first attributes (a candidate of one attribute is the common
   * case, one per source the span has), so never written to.
   */
  static int[] only(int attr) {
    return attr < ONLY.length ? ONLY[attr] : new int[] {attr};
  }

  private static final int[][] ONLY = new int[256][];

  static {
    for (int i = 0; i < ONLY.length; i++) {
      ONLY[i] = new int[] {i};
    }
  }
}
