package io.tollgate.core.exporterhelper;

import io.tollgate.core.component.ByteSize;
import io.tollgate.core.jvm.VmOptions;

/** This JVM's cap on direct buffers, read once, and the exporters' default share of it. */
final class DirectMemory {

  private static final long MIB = 1024L * 1024;

  /** {@code -XX:MaxDirectMemorySize}, or the heap's maximum when it is not set (the JDK's rule). */
  static final long MAX = readMax();

  /** See {@link QueueSettings#defaultMaxInFlightBytes()}. */
  static final ByteSize DEFAULT_BUDGET = ByteSize.ofBytes(Math.max(MIB, MAX / 4 / MIB * MIB));

  private DirectMemory() {}

  private static long readMax() {
    // 0 means "not set", and an option that cannot be read the JDK's default: as much direct
    // memory as heap.
    long set = VmOptions.get("MaxDirectMemorySize").map(Long::parseLong).orElse(0L);
    return set > 0 ? set : Runtime.getRuntime().maxMemory();
  }
}
