package io.tollgate.core.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * The {@code -XX} options this JVM runs with, as it settled them (set on the command line or chosen
 * by its ergonomics): components size themselves after the heap's region size, the direct memory
 * cap or when G1 starts marking.
 */
public final class VmOptions {

  private VmOptions() {}

  /**
   * The value of the HotSpot option {@code name} (e.g. {@code "G1HeapRegionSize"} gives {@code
   * "1048576"}); empty when it cannot be read: not a HotSpot JVM, a runtime without the {@code
   * jdk.management} module, or no such option in this JVM.
   */
  public static Optional<String> get(String name) {
    try {
      HotSpotDiagnosticMXBean hotSpot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotSpot == null ? Optional.empty() : Optional.of(hotSpot.getVMOption(name).getValue());
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }
}
