package io.tollgate.processor.tailsampling;

import com.google.protobuf.ByteString;
import io.tollgate.core.model.TraceBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * One trace waiting for its decision. Every field is guarded by its {@link Shard}'s lock, except
 * the batches handed to the deciding thread, which own them from then on.
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

  /** The spans, as they arrived (one batch per arrival). */
  List<TraceBatch> batches = new ArrayList<>(2);

  /** Spans that arrived while the trace was being decided; they follow the decision. */
  List<TraceBatch> late;

  /** Accounted heap size of {@link #batches}; part of the processor's buffered bytes. */
  long bytes;

  int spans;

  PendingTrace(TraceKey key, ByteString traceId, Shard shard, long firstSeenNanos) {
    this.key = key;
    this.traceId = traceId;
    this.shard = shard;
    this.firstSeenNanos = firstSeenNanos;
  }

  void add(TraceBatch batch, long batchBytes, int batchSpans) {
    batches.add(batch);
    bytes += batchBytes;
    spans += batchSpans;
  }

  void addLate(TraceBatch batch) {
    if (late == null) {
      late = new ArrayList<>(1);
    }
    late.add(batch);
  }
}
