package io.tollgate.core.exporterhelper;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.tollgate.core.component.ByteSize;
import java.lang.management.ManagementFactory;

/** This JVM's cap on direct buffers, read once, and the exporters' default share of it. */
final class DirectMemory {

  private static final long MIB = 1024L * 1024;

  /** {@code -XX:MaxDirectMemorySize}, or the heap's maximum when it is not set (the JDK's rule). */
  static final long MAX = readMax();

  /** See {@link QueueSettings#defaultMaxInFlightBytes()}. */
  static final ByteSize DEFAULT_BUDGET = ByteSize.ofBytes(Math.max(MIB, MAX / 4 / MIB * MIB));

  private DirectMemory() {}

  private static long readMax() {
    long heap = Runtime.getRuntime().maxMemory();
    try {
      HotSpotDiagnosticMXBean hotSpot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      long set = Long.parseLong(hotSpot.getVMOption("MaxDirectMemorySize").getValue());
      // 0 means "not set": the JDK then allows as much direct memory as heap.
      return set > 0 ? set : heap;
    } catch (RuntimeException | LinkageError e) {
      // Not HotSpot, or java.management left out of the runtime: the JDK's default.
      return heap;
    }
  }
}
