package io.tollgate.core.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class VmOptionsTest {

  @Test
  void readsTheValueThisJvmSettled() {
    // The test JVM's own heap maximum, as the runtime reports it.
    long maxHeap = Long.parseLong(VmOptions.get("MaxHeapSize").orElseThrow());
    long reported = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();

    assertThat(maxHeap).isPositive().isGreaterThanOrEqualTo(reported);
    assertThat(VmOptions.get("UseCompressedOops"))
        .hasValueSatisfying(v -> assertThat(v).isIn("true", "false"));
  }

  @Test
  void anOptionThisJvmDoesNotHaveIsEmpty() {
    assertThat(VmOptions.get("NoSuchOptionInAnyJvm")).isEmpty();
  }
}
