package io.tollgate.processor.genaicost;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a label's cardinality bounded: the first {@code max} distinct values keep their name,
 * every later one becomes {@value #OTHER}. A sender that puts a request id into the model name
 * must not create a time series per request.
 */
final class BoundedLabels {

  static final String OTHER = "_other";

  private final int max;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger count = new AtomicInteger();

  BoundedLabels(int max) {
    this.max = max;
  }

  String label(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    if (admitted.contains(value)) {
      return value;
    }
    // Reserve a slot first so that racing threads never admit more than max values.
    while (true) {
      int n = count.get();
      if (n >= max) {
        return admitted.contains(value) ? value : OTHER;
      }
      if (count.compareAndSet(n, n + 1)) {
        if (!admitted.add(value)) {
          count.decrementAndGet(); // another thread admitted the same value meanwhile
        }
        return value;
      }
    }
  }

  int size() {
    return admitted.size();
  }
}
