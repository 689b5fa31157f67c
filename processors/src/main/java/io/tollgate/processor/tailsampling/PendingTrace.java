package io.tollgate.processor.tailsampling;

import com.google.protobuf.ByteString;
import io.tollgate.core.model.TraceBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * One trace waiting for its decision. Every field is guarded by its {@link Shard}'s lock, except
 * the arrivals and facts handed to the deciding thread, which owns them from then on.
 */
final class PendingTrace {

  enum State {
    /** Buffered, waiting for a trigger. */
    PENDING,
    /** Taken out of the buffer and being evaluated; arriving spans go to {@link #late}. */
    DECIDING,
    /** Decided; late spans follow the decision cache from now on. */
    DONE
  }

  final TraceKey key;
  final ByteString traceId;
  final Shard shard;
  final long firstSeenNanos;

  /** When the first root span arrived, or -1. */
  long rootSeenNanos = -1;

  State state = State.PENDING;

  /**
   * The spans, one entry per arrival in arrival order: buffered ones as {@link
   * io.tollgate.core.model.EncodedTraces}, an arrival decided at once as the {@link TraceBatch} it
   * came in.
   */
  List<Object> arrivals = new ArrayList<>(2);

  /** What the policies need of {@link #arrivals}, folded as they came. */
  final TraceData data;

  /** Spans that arrived while the trace was being decided; they follow the decision. */
  List<TraceBatch> late;

  /** Accounted heap size of {@link #arrivals}; part of the processor's buffered bytes. */
  long bytes;

  int spans;

  PendingTrace(TraceKey key, ByteString traceId, Shard shard, long firstSeenNanos, int conditions) {
    this.key = key;
    this.traceId = traceId;
    this.shard = shard;
    this.firstSeenNanos = firstSeenNanos;
    this.data = TraceData.forTrace(traceId, conditions);
  }

  /** Adds the next arrival: its spans as held ({@code held}) and its facts. */
  void add(Object held, TraceData facts, long heldBytes, int heldSpans) {
    data.merge(facts, arrivals.size());
    arrivals.add(held);
    bytes += heldBytes;
    spans += heldSpans;
  }

  void addLate(TraceBatch batch) {
    if (late == null) {
      late = new ArrayList<>(1);
    }
    late.add(batch);
  }
}
