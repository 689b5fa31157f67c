package io.tollgate.processor.memorylimiter;

import io.tollgate.core.jvm.VmOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * When G1 starts marking the old generation, and whether that fits the limiter's soft limit.
 *
 * <p>Why it matters: the limiter judges the heap as the last collection left it. Under G1 a young
 * collection leaves behind every object promoted earlier, dead or alive, until a concurrent marking
 * cycle and the mixed collections after it reclaim the dead ones. G1 starts that cycle when the old
 * generation reaches the initiating heap occupancy (IHOP), which by default it adapts by itself
 * (under the load tool: about 60% of a 256 MiB heap). With the usual soft limit at 60%, a gateway
 * that buffers traces for a second or two (tail sampling) then crosses the soft limit with garbage,
 * refuses data that would fit, and forces a full collection to find out: measured at 11,000 GenAI
 * spans/s in a 256 MiB heap, after-GC usage climbed to 150–160 MiB between cycles (the soft limit
 * was 153) while the live data was 31 MiB; with the IHOP fixed at 30% it stayed at 56–109 MiB
 * (BENCHMARKS.md). A fixed IHOP well below the soft limit makes G1 clean up first.
 *
 * @param g1 whether the JVM collects with G1
 * @param adaptiveIhop {@code -XX:+G1UseAdaptiveIHOP}, G1's default
 * @param ihopPercent {@code -XX:InitiatingHeapOccupancyPercent} (the start value when adaptive)
 */
record G1Marking(boolean g1, boolean adaptiveIhop, int ihopPercent) {

  /** How far below the soft limit marking must start: what one cycle's promotions add. */
  static final int MARGIN_PERCENT = 30;

  /** The lowest IHOP advised: below it G1 would mark almost all the time. */
  static final int LOWEST_ADVISED_PERCENT = 10;

  /** This JVM's settings; G1 is assumed off when they cannot be read (not a HotSpot JVM). */
  static G1Marking ofThisJvm() {
    boolean g1 = false;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      g1 |= gc.getName().startsWith("G1 ");
    }
    if (!g1) {
      return new G1Marking(false, false, 0);
    }
    Optional<String> adaptive = VmOptions.get("G1UseAdaptiveIHOP");
    Optional<String> ihop = VmOptions.get("InitiatingHeapOccupancyPercent");
    if (adaptive.isEmpty() || ihop.isEmpty()) {
      return new G1Marking(false, false, 0);
    }
    return new G1Marking(true, Boolean.parseBoolean(adaptive.get()), Integer.parseInt(ihop.get()));
  }

  /** The IHOP to advise for a soft limit at {@code softPercent} of the heap. */
  static int advisedIhop(int softPercent) {
    return Math.max(LOWEST_ADVISED_PERCENT, softPercent - MARGIN_PERCENT);
  }

  /**
   * What to tell the operator when marking may start too late for a soft limit at {@code
   * softPercent} of the maximum heap; empty when it starts early enough, or the JVM does not use
   * G1.
   */
  Optional<String> advice(int softPercent) {
    if (!g1) {
      return Optional.empty();
    }
    int advised = advisedIhop(softPercent);
    String when;
    if (adaptiveIhop) {
      when = "at an occupancy it adapts by itself (under load, about 60% of the heap)";
    } else if (ihopPercent > softPercent - MARGIN_PERCENT / 2) {
      when = "at " + ihopPercent + "% of the heap (-XX:InitiatingHeapOccupancyPercent)";
    } else {
      return Optional.empty();
    }
    return Optional.of(
        "G1 starts reclaiming garbage in the old generation "
            + when
            + ", close to or above the soft limit ("
            + softPercent
            + "% of the heap). Until it does, the heap after a collection includes that garbage,"
            + " and the limiter may refuse data that would fit. Start the JVM with"
            + " -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent="
            + advised
            + " so that G1 cleans up first.");
  }
}
