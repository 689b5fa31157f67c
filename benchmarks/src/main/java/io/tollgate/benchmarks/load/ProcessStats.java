package io.tollgate.benchmarks.load;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time and resident memory of a process from Linux {@code /proc}, and GC pauses from a JVM's
 * {@code -Xlog:gc} file.
 */
final class ProcessStats {

  private ProcessStats() {}

  /** Clock ticks per second of {@code /proc/<pid>/stat} times; 100 on every Linux we run on. */
  static final long CLOCK_TICKS = clockTicks();

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (Exception e) {
      return 100;
    }
  }

  /** User plus system CPU time of {@code pid} in nanoseconds, or -1 if it cannot be read. */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks * 1_000_000_000L / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU nanoseconds per thread group of {@code pid}: threads named alike (the JVM's "C2
   * CompilerThread0", "GC Thread#1", a pool's "tollgate-worker-3") are summed under their name
   * without the trailing number. Empty if {@code /proc} cannot be read.
   */
  static java.util.Map<String, Long> cpuNanosByThreadGroup(long pid) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
    if (tasks == null) {
      return out;
    }
    for (java.io.File task : tasks) {
      try {
        String stat = Files.readString(task.toPath().resolve("stat"));
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        String group = comm.replaceAll("[-#]?\\d+$", "").replaceAll("[-#]$", "");
        out.merge(group, ticks * 1_000_000_000L / CLOCK_TICKS, Long::sum);
      } catch (IOException | RuntimeException e) {
        // the thread has ended
      }
    }
    return out;
  }

  /**
   * The share of the CPU spent between two snapshots of {@link #cpuNanosByThreadGroup} that went
   * to the JIT compiler threads ("C1 CompilerThread", "C2 CompilerThread"; Linux cuts thread names
   * to 15 characters); 0 when nothing was spent.
   */
  static double jitShare(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
    long total = 0;
    long jit = 0;
    for (var e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        total += d;
        if (e.getKey().startsWith("C1 Compiler") || e.getKey().startsWith("C2 Compiler")) {
          jit += d;
        }
      }
    }
    return total == 0 ? 0 : (double) jit / total;
  }

  /** The largest shares of the CPU spent between two snapshots, e.g. "tollgate-worker 61%". */
  static String topShares(
      java.util.Map<String, Long> before, java.util.Map<String, Long> after, int n) {
    java.util.Map<String, Long> delta = new java.util.HashMap<>();
    long total = 0;
    for (var e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        delta.put(e.getKey(), d);
        total += d;
      }
    }
    if (total == 0) {
      return "n/a";
    }
    long sum = total;
    StringBuilder sb = new StringBuilder();
    delta.entrySet().stream()
        .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .forEach(
            e -> {
              if (sb.length() > 0) {
                sb.append(", ");
              }
              sb.append(e.getKey())
                  .append(' ')
                  .append(Math.round(100.0 * e.getValue() / sum))
                  .append('%');
            });
    return sb.toString();
  }

  /** A field of {@code /proc/<pid>/status} in KiB (VmRSS, VmHWM), or -1. */
  static long statusKib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process has gone
    }
    return -1;
  }

  static long rssKib(long pid) {
    return statusKib(pid, "VmRSS");
  }

  /** GC pauses read from a growing {@code -Xlog:gc} file since the last call. */
  static final class GcLog {
    private static final Pattern PAUSE = Pattern.compile("Pause.* (\\d+(?:\\.\\d+)?)ms\\s*$");
    // -Xlog:gc+cpu: "GC(5) User=0.02s Sys=0.00s Real=0.01s", for pauses and concurrent cycles.
    private static final Pattern CPU = Pattern.compile("User=(\\d+\\.\\d+)s Sys=(\\d+\\.\\d+)s");

    /** Pauses, and the CPU seconds the GC threads spent (pauses and concurrent work). */
    record Pauses(int count, double totalMillis, double maxMillis, double cpuSeconds) {
      static final Pauses NONE = new Pauses(0, 0, 0, 0);

      @Override
      public String toString() {
        return count == 0
            ? "0"
            : String.format("%d/%.0f/%.0f/%.1f", count, totalMillis, maxMillis, cpuSeconds);
      }
    }

    private final Path file;
    private long offset;

    GcLog(Path file) {
      this.file = file;
    }

    Pauses readNew() {
      if (file == null || !Files.exists(file)) {
        return Pauses.NONE;
      }
      int n = 0;
      double total = 0;
      double max = 0;
      double cpu = 0;
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
        f.seek(offset);
        String line;
        while ((line = f.readLine()) != null) {
          Matcher c = CPU.matcher(line);
          if (c.find()) {
            cpu += Double.parseDouble(c.group(1)) + Double.parseDouble(c.group(2));
            continue;
          }
          Matcher m = PAUSE.matcher(line);
          if (m.find()) {
            double ms = Double.parseDouble(m.group(1));
            n++;
            total += ms;
            max = Math.max(max, ms);
          }
        }
        offset = f.getFilePointer();
      } catch (IOException e) {
        return Pauses.NONE;
      }
      return new Pauses(n, total, max, cpu);
    }
  }
}
