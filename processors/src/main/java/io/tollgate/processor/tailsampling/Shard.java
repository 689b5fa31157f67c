package io.tollgate.processor.tailsampling;

import io.tollgate.core.model.TraceBatch;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One partition of the buffer: the traces whose id hashes here. Ingestion and decisions take the
 * lock only to move traces in and out; policies are evaluated outside it, so neither starves the
 * other (the collector's single event loop is its issue #48699).
 *
 * <p>Decision deadlines need no priority queue: every trace waits the same {@code decision_wait}
 * from its first span, so the buffer's insertion order (a {@link LinkedHashMap}) is also deadline
 * order; and every root waits the same {@code decision_wait_after_root}, so a FIFO of roots in
 * arrival order is too. Both heads are checked in O(1).
 */
final class Shard {

  final ReentrantLock lock = new ReentrantLock();

  /** Buffered traces, oldest first. */
  final LinkedHashMap<TraceKey, PendingTrace> pending = new LinkedHashMap<>();

  /** Traces taken out for a decision that has not been recorded yet. */
  final Map<TraceKey, PendingTrace> deciding = new HashMap<>();

  /** Traces in the order their root span arrived; entries no longer pending are skipped. */
  final ArrayDeque<PendingTrace> roots = new ArrayDeque<>();

  /** Whether a decision task for this shard is queued or running on the workers. */
  final AtomicBoolean scheduled = new AtomicBoolean();

  /** Moves {@code t} from the buffer to {@link #deciding}. Caller holds the lock. */
  void markDeciding(PendingTrace t) {
    t.state = PendingTrace.State.DECIDING;
    deciding.put(t.key, t);
  }

  /**
   * Ends {@code t}'s decision: out of {@link #deciding}, DONE, so that spans arriving from now on
   * follow the decision caches. Returns the spans that arrived while it was being decided (null
   * when none did). Caller holds the lock.
   */
  List<TraceBatch> markDone(PendingTrace t) {
    deciding.remove(t.key);
    t.state = PendingTrace.State.DONE;
    List<TraceBatch> late = t.late;
    t.late = null;
    return late;
  }

  /** The oldest buffered trace, or null. Caller holds the lock. */
  PendingTrace oldest() {
    Iterator<PendingTrace> it = pending.values().iterator();
    return it.hasNext() ? it.next() : null;
  }

  /**
   * Takes out the traces whose deadline has passed, at most {@code max}, marking them deciding.
   * Caller holds the lock.
   *
   * @param rootDue receives the traces due because their root arrived long enough ago
   * @param waitDue receives the traces due because their first span is {@code decision_wait} old
   */
  void takeDue(
      long now,
      long decisionWaitNanos,
      long afterRootNanos,
      int max,
      List<PendingTrace> rootDue,
      List<PendingTrace> waitDue) {
    while (rootDue.size() + waitDue.size() < max && !roots.isEmpty()) {
      PendingTrace t = roots.peekFirst();
      if (t.state != PendingTrace.State.PENDING) {
        roots.pollFirst();
        continue;
      }
      if (now - t.rootSeenNanos < afterRootNanos) {
        break;
      }
      roots.pollFirst();
      pending.remove(t.key);
      markDeciding(t);
      rootDue.add(t);
    }
    Iterator<PendingTrace> it = pending.values().iterator();
    while (rootDue.size() + waitDue.size() < max && it.hasNext()) {
      PendingTrace t = it.next();
      if (now - t.firstSeenNanos < decisionWaitNanos) {
        break;
      }
      it.remove();
      markDeciding(t);
      waitDue.add(t);
    }
  }

  /** Whether {@link #takeDue} would find something. Caller holds the lock. */
  boolean hasDue(long now, long decisionWaitNanos, long afterRootNanos) {
    while (!roots.isEmpty() && roots.peekFirst().state != PendingTrace.State.PENDING) {
      roots.pollFirst();
    }
    PendingTrace r = roots.peekFirst();
    if (r != null && now - r.rootSeenNanos >= afterRootNanos) {
      return true;
    }
    PendingTrace o = oldest();
    return o != null && now - o.firstSeenNanos >= decisionWaitNanos;
  }
}
