package io.tollgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessStatsTest {

  @Test
  void jitShareCountsBothCompilersOverWhatWasSpentBetweenSnapshots() {
    Map<String, Long> before =
        Map.of("C2 CompilerThre", 500L, "C1 CompilerThre", 100L, "tollgate-worker", 1_000L);
    Map<String, Long> after =
        Map.of(
            "C2 CompilerThre", 800L, // +300
            "C1 CompilerThre", 200L, // +100
            "tollgate-worker", 1_500L, // +500
            "GC Thread", 100L); // new thread: +100
    assertThat(ProcessStats.jitShare(before, after)).isCloseTo(0.4, within(1e-9));
  }

  @Test
  void nothingSpentIsNoJit() {
    Map<String, Long> same = Map.of("C2 CompilerThre", 5L);
    assertThat(ProcessStats.jitShare(same, same)).isZero();
  }

  @Test
  void ownThreadsOfTheCollectorAreReadFromProc() {
    long self = ProcessHandle.current().pid();
    Map<String, Long> groups = ProcessStats.cpuNanosByThreadGroup(self);
    // This JVM has compiled something by now; the kernel names the primordial thread "java".
    assertThat(groups).containsKey("java");
    assertThat(groups.keySet()).anyMatch(k -> k.startsWith("C1 Compiler") || k.startsWith("C2 Compiler"));
  }
}
