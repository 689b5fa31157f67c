package io.tollgate.core.exporterhelper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory {@link SendingQueue}. One lock guards the deque and the closed flag together, so
 * that no request can slip in after {@link #close()} has taken what was left.
 */
final class MemoryQueue implements SendingQueue {

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<QueuedRequest> items = new ArrayDeque<>();
  private volatile int size;
  private boolean closed;

  MemoryQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public boolean offer(QueuedRequest request) {
    lock.lock();
    try {
      if (closed || items.size() >= capacity) {
        return false;
      }
      items.addLast(request);
      size = items.size();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Lease poll() {
    if (size == 0) {
      return null; // cheap path for idle consumers
    }
    QueuedRequest r;
    lock.lock();
    try {
      r = items.pollFirst();
      size = items.size();
    } finally {
      lock.unlock();
    }
    return r == null ? null : new MemoryLease(r);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public List<QueuedRequest> close() {
    lock.lock();
    try {
      closed = true;
      List<QueuedRequest> left = new ArrayList<>(items);
      items.clear();
      size = 0;
      return left;
    } finally {
      lock.unlock();
    }
  }

  private record MemoryLease(QueuedRequest request) implements Lease {
    @Override
    public void complete() {
      // Nothing to delete: the request lived only on the heap.
    }
  }
}
