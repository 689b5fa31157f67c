package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.Arrays;
import java.util.List;

/**
 * One possible value of a target, with the attributes and events it was made from: those are
 * removed when the value is written (or equals what is written) and kept otherwise. Families make
 * their own; the candidates of single sources come from a thread's {@link Pool}, set anew for each.
 */
final class Candidate {

  /** No attributes or events; shared, so never written to (as are {@link #only}'s arrays). */
  static final int[] NONE = new int[0];

  Dialect dialect;
  int priority;
  boolean hint;
  boolean fallback;
  AnyValue value;
  JsonNode json;
  List<String> asSent;
  int[] attrs;
  int[] events;

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

  private Candidate() {}

  /** Makes this the candidate of {@code rule}'s source, attribute {@code attr}, as converted. */
  Candidate set(Rule rule, Converted c, int attr) {
    this.dialect = rule.dialect();
    this.priority = rule.priority();
    this.hint = rule.hint();
    this.fallback = rule.fallback();
    this.value = c.value();
    this.json = c.json();
    this.asSent = c.asSent();
    this.attrs = rule.hint() ? NONE : only(attr);
    this.events = NONE;
    return this;
  }

  /**
   * A thread's candidates of single sources, reused target after target: a GenAI span has a
   * candidate for most of its attributes, and each lives only while its target is resolved.
   */
  static final class Pool {
    private Candidate[] candidates = new Candidate[8];
    private int used;

    /** How many were handed out at most on this span: what {@link #release} empties. */
    private int reached;

    /** A candidate to {@link #set}; valid until {@link #reuse}. */
    Candidate next() {
      if (used == candidates.length) {
        candidates = Arrays.copyOf(candidates, 2 * used);
      }
      Candidate c = candidates[used];
      if (c == null) {
        c = new Candidate();
        candidates[used] = c;
      }
      used++;
      reached = Math.max(reached, used);
      return c;
    }

    /** Every candidate handed out may be handed out again. */
    void reuse() {
      used = 0;
    }

    /** Lets go of the values the candidates of this span hold. */
    void release() {
      for (int i = 0; i < reached; i++) {
        Candidate c = candidates[i];
        c.value = null;
        c.json = null;
        c.asSent = null;
      }
      used = 0;
      reached = 0;
      if (candidates.length > KEEP) { // a span with thousands of sources: not kept for the next
        candidates = new Candidate[8];
      }
    }

    private static final int KEEP = 1024;
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
