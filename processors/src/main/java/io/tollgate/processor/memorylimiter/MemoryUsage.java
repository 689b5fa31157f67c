package io.tollgate.processor.memorylimiter;

/** Where {@code memory_limiter} reads memory usage; tests give their own. */
interface MemoryUsage extends AutoCloseable {

  /** Bytes of heap in use, as the limiter should judge them. */
  long usedBytes();

  /** The most the heap can grow to, or {@link Long#MAX_VALUE} when unbounded. */
  long maxBytes();

  @Override
  default void close() {}
}
