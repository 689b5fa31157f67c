package io.tollgate.processor.memorylimiter;

/**
 * The full collections that limiters ask for, through one gate per JVM: there is one heap, so when
 * several pipelines each have a {@code memory_limiter}, one collection answers them all. Without
 * the gate each limiter forced its own, and two pipelines over their limit stopped the collector
 * for two back-to-back full collections (370 and 390 ms on a 256 MiB heap, measured).
 */
final class ForcedCollections {

  /** The JVM's collector, shared by every limiter the factory makes. */
  static final ForcedCollections JVM = new ForcedCollections(System::gc);

  private final Runnable gc;
  private long lastNanos;
  private boolean ever;

  ForcedCollections(Runnable gc) {
    this.gc = gc;
  }

  /**
   * Collects unless any limiter sharing this gate had a collection less than {@code minGapNanos}
   * before {@code nowNanos}; returns whether it collected. A limiter that finds the gate closed
   * reads usage that the other's collection already lowered.
   */
  synchronized boolean collectIfDue(long nowNanos, long minGapNanos) {
    if (ever && nowNanos - lastNanos < minGapNanos) {
      return false;
    }
    ever = true;
    lastNanos = nowNanos;
    gc.run();
    return true;
  }
}
