package io.tollgate.benchmarks.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The collector under test as a child process: {@code java <jvm options> -jar tollgate.jar --config
 * <file>}, with its output and GC log in the run directory. Stopped with SIGTERM (a graceful
 * drain), killed if it has not exited 30 s later.
 */
final class CollectorProcess implements AutoCloseable {

  private final Process process;
  private final long startNanos;
  private final Path gcLog;
  private final Path output;

  private CollectorProcess(Process process, long startNanos, Path gcLog, Path output) {
    this.process = process;
    this.startNanos = startNanos;
    this.gcLog = gcLog;
    this.output = output;
  }

  static CollectorProcess start(
      Path jar, List<String> jvmOptions, Path config, Path runDir, String name) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          "no collector jar at "
              + jar
              + "; build it with ./mvnw -q -B -pl collector -am package -DskipTests, or pass"
              + " --collector-jar, or --target a running collector");
    }
    Path gcLog = runDir.resolve(name + "-gc.log");
    Path output = runDir.resolve(name + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-Xlog:gc,gc+cpu:file=" + gcLog + ":time,uptime,level,tags");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("--config");
    cmd.add(config.toString());
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    return new CollectorProcess(p, t0, gcLog, output);
  }

  long pid() {
    return process.pid();
  }

  Duration sinceStart() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path gcLog() {
    return gcLog;
  }

  Path output() {
    return output;
  }

  /**
   * Polls {@code ready} every 10 ms until it holds; returns the time since the process was started.
   *
   * @throws IOException when the process exits first or {@code timeout} passes
   */
  Duration awaitReady(BooleanSupplier ready, Duration timeout) throws IOException {
    long deadline = startNanos + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the collector exited with code "
                + process.exitValue()
                + " before it was ready; see "
                + output);
      }
      if (ready.getAsBoolean()) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
    throw new IOException("the collector was not ready after " + timeout + "; see " + output);
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy(); // SIGTERM: the collector drains and exits
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A port that was free a moment ago, on loopback. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
