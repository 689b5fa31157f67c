package io.tollgate.core.exporterhelper;

import java.util.List;

/**
 * The bounded queue between an exporter's {@code consume} and its senders. The in-memory one is
 * {@link #inMemory}; a file-backed queue implements the same contract to survive restarts
 * (at-least-once).
 *
 * <p>Contract, shaped for a persistent implementation: {@link #poll} hands out a {@link Lease};
 * the request stays owned by the queue until {@link Lease#complete()} (sent, or given up for
 * good). A lease that is never completed (the process stopped mid-send) is delivered again after
 * a restart by a persistent queue, and is simply lost by the in-memory one. Every method is
 * thread-safe and none blocks for long: the exporter calls them from pipeline threads.
 */
public interface SendingQueue {

  /** A request handed to a sender. */
  interface Lease {
    QueuedRequest request();

    /** The request is done with: sent, or dropped for good. A persistent queue deletes it. */
    void complete();
  }

  /**
   * Adds {@code request} unless the queue is full or closed.
   *
   * @return false when it was not added
   */
  boolean offer(QueuedRequest request);

  /** The oldest waiting request, or null when none waits. Never blocks. */
  Lease poll();

  /** Requests waiting (not yet handed out). */
  int size();

  /** The most requests that can wait. */
  int capacity();

  /**
   * Stops accepting and releases resources.
   *
   * @return the requests still waiting that this queue will <em>not</em> keep: everything left in
   *     an in-memory queue; nothing for a persistent queue, which keeps them for the next start
   */
  List<QueuedRequest> close();

  /** Whether requests left at {@link #close()} (or leased and not completed) survive a restart. */
  default boolean persistent() {
    return false;
  }

  /** A bounded in-memory queue of {@code capacity} requests. */
  static SendingQueue inMemory(int capacity) {
    return new MemoryQueue(capacity);
  }
}
