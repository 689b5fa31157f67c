package io.tollgate.benchmarks.load;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end load tool. It starts the collector jar as a child process with a generated config
 * (or targets a running one), receives its output in in-process OTLP/gRPC sinks, drives it over
 * loopback OTLP/gRPC and/or OTLP/HTTP with pre-encoded GenAI requests, flat out or at a fixed rate,
 * and prints sustained spans/s, MB/s, acknowledgement latency, the collector's CPU, RSS and GC
 * pauses, and spans lost. Pass-through and the default GenAI pipeline run in the same collector,
 * alternating, so their ratio holds on a noisy machine. Everything is bounded in time and stays on
 * 127.0.0.1; the exit code is 1 when a span was lost or the collector died.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tollgate.benchmarks.load.LoadTool
 * java -cp benchmarks/target/benchmarks.jar io.tollgate.benchmarks.load.LoadTool --scenario startup
 * </pre>
 */
@Command(
    name = "LoadTool",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Drives a Tollgate collector over loopback OTLP and reports what it sustains.")
public final class LoadTool implements Callable<Integer> {

  enum Scenario {
    throughput,
    startup
  }

  enum Protocol {
    grpc,
    http,
    both
  }

  @Option(
      names = "--scenario",
      description = "throughput (default) or startup (sidecar: time to ready, idle RSS)")
  Scenario scenario = Scenario.throughput;

  @Option(
      names = "--collector-jar",
      description = "Collector jar to start (default: ${DEFAULT-VALUE})")
  Path collectorJar = Path.of("collector/target/tollgate.jar");

  @Option(
      names = "--jvm-opts",
      description = "JVM options of the collector under test (default: ${DEFAULT-VALUE})")
  String jvmOpts =
      "-Xms256m -Xmx256m -XX:+UseG1GC -XX:MaxDirectMemorySize=64m -XX:-G1UseAdaptiveIHOP"
          + " -XX:InitiatingHeapOccupancyPercent=30 -XX:-ClassUnloadingWithConcurrentMark";

  @Option(
      names = "--target",
      description =
          "Target a running collector instead: host:port of the pass-through pipeline's OTLP/gRPC"
              + " receiver")
  String target;

  @Option(
      names = "--target-genai",
      description = "With --target: host:port of the GenAI pipeline's OTLP/gRPC receiver")
  String targetGenai;

  @Option(
      names = "--target-http",
      description = "With --target: host:port of the pass-through OTLP/HTTP receiver")
  String targetHttp;

  @Option(
      names = "--target-genai-http",
      description = "With --target: host:port of the GenAI OTLP/HTTP receiver")
  String targetGenaiHttp;

  @Option(
      names = "--sink-port",
      description = "With --target: port of the sink the pass-through pipeline exports to")
  int sinkPort;

  @Option(
      names = "--sink-port-genai",
      description = "With --target: port of the sink the GenAI pipeline exports to")
  int sinkPortGenai;

  @Option(
      names = "--pid",
      description = "With --target: the collector's pid, to read its CPU and RSS")
  long targetPid;

  @Option(
      names = "--pipelines",
      split = ",",
      description = "Which pipelines to drive (default: ${DEFAULT-VALUE})")
  List<String> pipelines = new ArrayList<>(List.of("passthrough", "genai"));

  @Option(
      names = "--protocol",
      description = "grpc (default), http, or both (half the requests each)")
  Protocol protocol = Protocol.grpc;

  @Option(
      names = "--in-flight",
      description = "Requests outstanding per pipeline when flat out (default: ${DEFAULT-VALUE})")
  int inFlight = 8;

  @Option(
      names = "--connections",
      description = "gRPC connections per pipeline (default: ${DEFAULT-VALUE})")
  int connections = 2;

  @Option(
      names = "--rate",
      description =
          "Fixed rate in spans/s for the latency phase instead of a share of the measured maximum")
  double rate;

  @Option(
      names = "--latency-at",
      description =
          "Latency phase rate as a share of the measured maximum (default: ${DEFAULT-VALUE}; 0"
              + " skips)")
  double latencyAt = 0.5;

  @Option(
      names = "--warmup",
      description = "Seconds of warm-up per pipeline, not measured (default: ${DEFAULT-VALUE})")
  int warmupSeconds = 30;

  @Option(
      names = "--warmup-max",
      description =
          "Longest warm-up per pipeline, in seconds: after --warmup, the warm-up goes on in 10 s"
              + " steps while the JIT compiler threads take more than --jit-settled of the"
              + " collector's CPU (default: ${DEFAULT-VALUE}; at most --warmup: no extension)")
  int warmupMaxSeconds = 120;

  @Option(
      names = "--jit-settled",
      description =
          "Share of the collector's CPU taken by the JIT compiler threads below which the JIT"
              + " counts as settled and the warm-up ends (default: ${DEFAULT-VALUE})")
  double jitSettled = 0.05;

  @Option(
      names = "--retry-delay",
      description =
          "How long a refused request waits before it is sent again: 5ms (default: the harshest"
              + " client) or hint (the delay the collector asks for in RetryInfo / Retry-After, as"
              + " the OpenTelemetry SDKs' OTLP exporters wait)")
  String retryDelay = "5ms";

  /** Whether {@code --retry-delay hint} was given; rejects anything but 5ms and hint. */
  boolean honourRetryHint() {
    switch (retryDelay) {
      case "hint":
        return true;
      case "5ms":
        return false;
      default:
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this),
            "--retry-delay must be 5ms or hint; got \"" + retryDelay + "\"");
    }
  }

  @Option(
      names = "--duration",
      description = "Seconds of each measured phase (default: ${DEFAULT-VALUE})")
  int durationSeconds = 15;

  @Option(
      names = "--settle",
      description =
          "Seconds at the start of each phase before measuring (default: ${DEFAULT-VALUE})")
  int settleSeconds = 2;

  @Option(
      names = "--rounds",
      description = "Alternating flat-out rounds per pipeline (default: ${DEFAULT-VALUE})")
  int rounds = 2;

  @Option(
      names = "--pool",
      description = "Distinct pre-encoded requests (default: ${DEFAULT-VALUE})")
  int poolSize = 128;

  @Option(
      names = "--spans-per-request",
      description = "Spans per request (default: ${DEFAULT-VALUE})")
  int spansPerRequest = 100;

  @Option(names = "--seed", description = "Workload seed (default: ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(
      names = "--decision-wait",
      description =
          "tail_sampling decision_wait of the GenAI pipeline: how long spans are buffered"
              + " (default: ${DEFAULT-VALUE})")
  String decisionWait = "2s";

  @Option(
      names = "--decision-wait-after-root",
      description =
          "tail_sampling decision_wait_after_root of the GenAI pipeline (default:"
              + " ${DEFAULT-VALUE})")
  String decisionWaitAfterRoot = "500ms";

  @Option(
      names = "--export-compression",
      description = "Compression of the collector's exporters (default: ${DEFAULT-VALUE})")
  String exportCompression = "none";

  @Option(
      names = "--startup-runs",
      description = "startup scenario: collector starts (default: ${DEFAULT-VALUE})")
  int startupRuns = 3;

  @Option(
      names = "--idle",
      description = "startup scenario: seconds idle before reading RSS (default: ${DEFAULT-VALUE})")
  int idleSeconds = 5;

  @Option(
      names = "--sidecar-jvm-opts",
      description = "startup scenario: JVM options (default: ${DEFAULT-VALUE})")
  String sidecarJvmOpts =
      "-XX:+UseSerialGC -Xms16m -Xmx96m -XX:MaxDirectMemorySize=32m -Xss512k"
          + " -XX:TieredStopAtLevel=1";

  @Option(
      names = "--jfr",
      description =
          "Record a JFR profile of the collector (profile settings) into the run directory")
  boolean jfr;

  @Option(
      names = "--run-dir",
      description = "Where configs, logs and results go (default: target/load-<time>)")
  Path runDir;

  @Option(
      names = "--max-seconds",
      description = "Hard limit on the whole run (default: ${DEFAULT-VALUE})")
  int maxSeconds = 900;

  private final PrintStream out = System.out;
  private final List<String> report = new ArrayList<>();

  public static void main(String[] args) {
    io.tollgate.benchmarks.Logging.quiet();
    System.exit(
        new CommandLine(new LoadTool()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  /** One pipeline under load. */
  private static final class Pipeline {
    final String name;
    final List<OtlpSender> senders;
    final OtlpSink sink;
    final Driver.Totals totals = new Driver.Totals();
    final Driver driver;
    final List<Double> maxRates = new ArrayList<>();
    Driver.Result latencyResult;

    Pipeline(
        String name,
        List<OtlpSender> senders,
        OtlpSink sink,
        RequestPool pool,
        boolean honourRetryHint) {
      this.name = name;
      this.senders = senders;
      this.sink = sink;
      this.driver = new Driver(senders, pool, totals, honourRetryHint);
    }

    double medianMaxRate() {
      double[] r = maxRates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return r.length == 0
          ? 0
          : r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    }
  }

  @Override
  public Integer call() throws Exception {
    honourRetryHint(); // rejects a bad --retry-delay before anything starts
    Locale.setDefault(Locale.ROOT);
    if (runDir == null) {
      runDir =
          Path.of(
              "target",
              "load-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
    Files.createDirectories(runDir);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
                System.err.println("LoadTool: --max-seconds " + maxSeconds + " reached; stopping");
                System.exit(2); // shutdown hooks stop the collector
              } catch (InterruptedException e) {
                // finished in time
              }
            },
            "load-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      return scenario == Scenario.startup ? startup() : throughput();
    } finally {
      watchdog.interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Throughput

  private int throughput() throws Exception {
    RequestPool pool = new RequestPool(seed, poolSize, spansPerRequest);
    say(header());
    say(
        String.format(
            "workload: seed %d, %d pre-encoded requests x %d spans, %.0f B/span, %.0f KiB/request;"
                + " %s, %d in flight per pipeline%s",
            seed,
            pool.size(),
            spansPerRequest,
            pool.bytesPerSpan(),
            pool.bytesPerRequest() / 1024,
            protocol,
            inFlight,
            protocol == Protocol.http ? "" : " over " + connections + " gRPC connections"));

    boolean own = target == null;
    CollectorConfigs.Ports ports =
        own
            ? new CollectorConfigs.Ports(
                CollectorProcess.freePort(),
                CollectorProcess.freePort(),
                CollectorProcess.freePort(),
                CollectorProcess.freePort(),
                CollectorProcess.freePort(),
                CollectorProcess.freePort(),
                CollectorProcess.freePort(),
                CollectorProcess.freePort())
            : null;
    List<AutoCloseable> toClose = new ArrayList<>();
    CollectorProcess collector = null;
    int exit = 0;
    try {
      OtlpSink sinkPass = new OtlpSink("passthrough", own ? ports.sinkPass() : sinkPort);
      toClose.add(sinkPass);
      OtlpSink sinkGenai = new OtlpSink("genai", own ? ports.sinkGenai() : sinkPortGenai);
      toClose.add(sinkGenai);

      String passGrpc = own ? "127.0.0.1:" + ports.passGrpc() : target;
      String passHttp = own ? "127.0.0.1:" + ports.passHttp() : targetHttp;
      String genaiGrpc = own ? "127.0.0.1:" + ports.genaiGrpc() : targetGenai;
      String genaiHttp = own ? "127.0.0.1:" + ports.genaiHttp() : targetGenaiHttp;
      long pid = targetPid;
      Duration ready = null;
      if (own) {
        Path config = runDir.resolve("collector.yaml");
        Files.writeString(
            config,
            CollectorConfigs.twoPipelines(
                ports, exportCompression, decisionWait, decisionWaitAfterRoot));
        say("collector: java " + jvmOpts + " -jar " + collectorJar + " --config " + config);
        List<String> opts = splitOpts(jvmOpts);
        if (jfr) {
          opts.add(
              "-XX:StartFlightRecording=filename="
                  + runDir.toAbsolutePath().resolve("collector.jfr")
                  + ",settings=profile,dumponexit=true");
          say(
              "JFR: "
                  + runDir.resolve("collector.jfr")
                  + " (summarise: jfr view hot-methods <file>, JDK 21+;"
                  + " or jfr print --events jdk.ExecutionSample <file>)");
        }
        collector = CollectorProcess.start(collectorJar, opts, config, runDir, "collector");
        CollectorProcess c = collector;
        Runtime.getRuntime().addShutdownHook(new Thread(c::close));
        pid = collector.pid();
        GrpcSender probePass = new GrpcSender(passGrpc, 1);
        GrpcSender probeGenai = new GrpcSender(genaiGrpc, 1);
        try {
          ready =
              collector.awaitReady(
                  () -> answers(probePass) && answers(probeGenai), Duration.ofSeconds(60));
        } finally {
          probePass.close();
          probeGenai.close();
        }
        say(
            String.format(
                "collector pid %d ready (both OTLP/gRPC receivers answer) %.2f s after start",
                pid, ready.toMillis() / 1000.0));
      }

      List<Pipeline> active = new ArrayList<>();
      for (String name : pipelines) {
        boolean pass = name.equals("passthrough");
        if (!pass && !name.equals("genai")) {
          throw new CommandLine.ParameterException(
              new CommandLine(this), "unknown pipeline " + name);
        }
        String grpcTarget = pass ? passGrpc : genaiGrpc;
        String httpTarget = pass ? passHttp : genaiHttp;
        List<OtlpSender> senders = new ArrayList<>();
        if (protocol != Protocol.http) {
          senders.add(new GrpcSender(require(grpcTarget, name + " gRPC target"), connections));
        }
        if (protocol != Protocol.grpc) {
          senders.add(new HttpSender(require(httpTarget, name + " HTTP target")));
        }
        senders.forEach(toClose::add);
        active.add(
            new Pipeline(name, senders, pass ? sinkPass : sinkGenai, pool, honourRetryHint()));
      }

      ProcSampler sampler = new ProcSampler(pid);
      sampler.start();
      ProcessStats.GcLog gc = new ProcessStats.GcLog(collector == null ? null : collector.gcLog());
      long ownPid = ProcessHandle.current().pid();

      List<String> rows = new ArrayList<>();
      List<String> threadRows = new ArrayList<>();
      threadRows.add("collector CPU by thread group, in the measurement window:");
      rows.add(
          String.format(
              "%-28s %10s %7s %8s %8s %8s %6s %6s %8s %20s %8s %6s",
              "phase",
              "spans/s",
              "MB/s",
              "p50 ms",
              "p99 ms",
              "p99.9 ms",
              "coll",
              "tool",
              "RSS MiB",
              "GC pauses",
              "refused",
              "failed"));
      rows.add(
          String.format(
              "%-28s %10s %7s %8s %8s %8s %6s %6s %8s %20s",
              "", "", "", "", "", "", "CPU", "CPU", "max", "n/sum/max ms/cpu s"));

      // Warm-up: JIT and pools, not measured. On two cores C2 can still be compiling a minute
      // in (20-35% of the collector's CPU was seen in measurement windows after 30 s), which
      // would measure the compiler rather than the pipeline: go on until it has settled.
      for (Pipeline p : active) {
        say("warm-up " + p.name + " " + warmupSeconds + " s");
        p.driver.flatOut(inFlight, 0, TimeUnit.SECONDS.toNanos(warmupSeconds));
        int spent = warmupSeconds;
        while (pid > 0 && spent < warmupMaxSeconds) {
          var before = ProcessStats.cpuNanosByThreadGroup(pid);
          int step = Math.min(10, warmupMaxSeconds - spent);
          p.driver.flatOut(inFlight, 0, TimeUnit.SECONDS.toNanos(step));
          spent += step;
          double jit = ProcessStats.jitShare(before, ProcessStats.cpuNanosByThreadGroup(pid));
          if (jit < jitSettled) {
            say(
                String.format(
                    "  JIT settled after %d s (%.0f%% of the collector)", spent, 100 * jit));
            break;
          }
          say(String.format("  JIT at %.0f%% of the collector after %d s", 100 * jit, spent));
        }
        drain(p, 60);
      }
      if (rate <= 0) {
        for (int r = 1; r <= rounds; r++) {
          for (Pipeline p : active) {
            String label = p.name + " flat-out r" + r;
            say("measuring " + label);
            Row row =
                measure(
                    pid,
                    ownPid,
                    sampler,
                    gc,
                    () ->
                        p.driver.flatOut(
                            inFlight,
                            TimeUnit.SECONDS.toNanos(settleSeconds),
                            TimeUnit.SECONDS.toNanos(durationSeconds)));
            p.maxRates.add(row.result.spansPerSecond());
            rows.add(row.format(label));
            threadRows.add(String.format("  %-26s %s", label, row.threads()));
            drain(p, 60);
            checkAlive(collector);
          }
        }
      }
      if (rate > 0 || latencyAt > 0) {
        for (Pipeline p : active) {
          double spansPerSecond = rate > 0 ? rate : p.medianMaxRate() * latencyAt;
          if (spansPerSecond <= 0) {
            continue;
          }
          double requestsPerSecond = spansPerSecond / spansPerRequest;
          String label = String.format("%s @%.0f spans/s", p.name, spansPerSecond);
          say("measuring " + label);
          Row row =
              measure(
                  pid,
                  ownPid,
                  sampler,
                  gc,
                  () ->
                      p.driver.fixedRate(
                          requestsPerSecond,
                          256,
                          TimeUnit.SECONDS.toNanos(settleSeconds),
                          TimeUnit.SECONDS.toNanos(durationSeconds),
                          runDir.resolve("acks-" + p.name + ".csv")));
          p.latencyResult = row.result;
          rows.add(row.format(label));
          threadRows.add(String.format("  %-26s %s", label, row.threads()));
          drain(p, 60);
          checkAlive(collector);
        }
      }
      sampler.stop();

      say("");
      rows.forEach(this::say);
      say("");
      threadRows.forEach(this::say);
      say("");
      exit = summary(active, sampler, ready, collector);
    } finally {
      for (int i = toClose.size() - 1; i >= 0; i--) {
        try {
          toClose.get(i).close();
        } catch (Exception e) {
          // closing anyway
        }
      }
      if (collector != null) {
        long t0 = System.nanoTime();
        collector.close();
        say(
            String.format(
                "collector stopped (SIGTERM) in %.2f s; its log: %s",
                (System.nanoTime() - t0) / 1e9, collector.output()));
      }
      Files.write(runDir.resolve("results.txt"), report);
      out.println("results written to " + runDir.resolve("results.txt"));
    }
    return exit;
  }

  private int summary(
      List<Pipeline> active, ProcSampler sampler, Duration ready, CollectorProcess collector) {
    int exit = 0;
    Pipeline pass =
        active.stream().filter(p -> p.name.equals("passthrough")).findFirst().orElse(null);
    Pipeline genai = active.stream().filter(p -> p.name.equals("genai")).findFirst().orElse(null);
    say("summary                                   measured        target");
    if (pass != null && !pass.maxRates.isEmpty()) {
      double v = pass.medianMaxRate();
      say(
          String.format(
              "  pass-through sustained (median)      %10.0f spans/s  >= 150000 on 2 cores  %s",
              v, v >= 150_000 ? "met" : "MISSED"));
    }
    if (genai != null && !genai.maxRates.isEmpty()) {
      say(
          String.format(
              "  GenAI pipeline sustained (median)    %10.0f spans/s", genai.medianMaxRate()));
    }
    if (pass != null && genai != null && !pass.maxRates.isEmpty() && !genai.maxRates.isEmpty()) {
      double ratio = genai.medianMaxRate() / pass.medianMaxRate();
      say(
          String.format(
              "  GenAI / pass-through, same run       %10.1f %%        >= 50 %%               %s",
              ratio * 100, ratio >= 0.5 ? "met" : "MISSED"));
    }
    for (Pipeline p : active) {
      if (p.latencyResult != null) {
        double p99 = p.latencyResult.percentileMillis(99);
        say(
            String.format(
                "  p99 ack latency, %-12s        %10.2f ms       <= 10 ms at half max   %s%s",
                p.name,
                p99,
                p99 <= 10 ? "met" : "MISSED",
                p.latencyResult.missedSends() > 0
                    ? " (" + p.latencyResult.missedSends() + " sends missed: rate not sustained)"
                    : ""));
      }
    }
    if (sampler.pid > 0) {
      double rss = sampler.runMaxKib / 1024.0;
      say(
          String.format(
              "  collector RSS, max over the run      %10.0f MiB      <= 512 MiB             %s",
              rss, rss <= 512 ? "met" : "MISSED"));
    }
    if (ready != null) {
      say(
          String.format(
              "  time to ready (this gateway config)  %10.2f s", ready.toMillis() / 1000.0));
    }
    for (Pipeline p : active) {
      long accepted = p.totals.acceptedSpans.sum();
      long received = p.sink.spans();
      long lost = Math.max(0, accepted - received);
      // More delivered than accepted: an exporter resent a batch whose answer came late
      // (at-least-once delivery), or a request the client gave up on was processed anyway.
      long extra = Math.max(0, received - accepted);
      say(
          String.format(
              "  spans lost, %-12s             %10d          must be 0              %s   (accepted"
                  + " %d, delivered %d, delivered twice %d, not accepted %d)",
              p.name,
              lost,
              lost == 0 ? "ok" : "LOST",
              accepted,
              received,
              extra,
              p.totals.failedSpans.sum()));
      if (lost > 0) {
        exit = 1;
      }
    }
    if (collector != null && !collector.isAlive()) {
      say("  the collector DIED during the run; see " + collector.output());
      exit = 1;
    }
    return exit;
  }

  /** A measured phase: client result plus the collector's CPU, RSS and GC inside the window. */
  private record Row(
      Driver.Result result,
      double collectorCores,
      double toolCores,
      long rssMaxKib,
      ProcessStats.GcLog.Pauses gc,
      String threads) {
    String format(String label) {
      Driver.Result r = result;
      return String.format(
          "%-28s %10.0f %7.1f %8.2f %8.2f %8.2f %6s %6.2f %8s %20s %8d %6d",
          label,
          r.spansPerSecond(),
          r.megabytesPerSecond(),
          r.percentileMillis(50),
          r.percentileMillis(99),
          r.percentileMillis(99.9),
          collectorCores < 0 ? "n/a" : String.format("%.2f", collectorCores),
          toolCores,
          rssMaxKib < 0 ? "n/a" : String.valueOf(rssMaxKib / 1024),
          gc,
          r.refused(),
          r.failedRequests());
    }
  }

  private Row measure(
      long pid,
      long ownPid,
      ProcSampler sampler,
      ProcessStats.GcLog gc,
      Callable<Driver.Result> phase)
      throws Exception {
    // CPU and GC are read at the edges of the measurement window, by a helper thread, so that
    // the settle time before it does not count.
    long windowStart = System.nanoTime() + TimeUnit.SECONDS.toNanos(settleSeconds);
    long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(durationSeconds);
    long[] snap = new long[6];
    ProcessStats.GcLog.Pauses[] pauses = new ProcessStats.GcLog.Pauses[1];
    List<java.util.Map<String, Long>> byThread = new ArrayList<>();
    Thread edges =
        new Thread(
            () -> {
              sleepUntil(windowStart);
              gc.readNew();
              snap[0] = ProcessStats.cpuNanos(pid);
              snap[1] = ProcessStats.cpuNanos(ownPid);
              snap[2] = System.nanoTime();
              byThread.add(ProcessStats.cpuNanosByThreadGroup(pid));
              sampler.resetPhase();
              sleepUntil(windowEnd);
              snap[3] = ProcessStats.cpuNanos(pid);
              snap[4] = ProcessStats.cpuNanos(ownPid);
              snap[5] = System.nanoTime();
              byThread.add(ProcessStats.cpuNanosByThreadGroup(pid));
              pauses[0] = gc.readNew();
            },
            "load-edges");
    edges.start();
    Driver.Result result = phase.call();
    edges.join();
    double wall = snap[5] - snap[2];
    double coll = pid > 0 && snap[0] >= 0 && snap[3] >= 0 ? (snap[3] - snap[0]) / wall : -1;
    double tool = (snap[4] - snap[1]) / wall;
    String threads =
        pid > 0 && byThread.size() == 2
            ? ProcessStats.topShares(byThread.get(0), byThread.get(1), 5)
            : "n/a";
    return new Row(result, coll, tool, pid > 0 ? sampler.phaseMaxKib : -1, pauses[0], threads);
  }

  private static void sleepUntil(long nanoTime) {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Waits until the sink has every accepted span, or nothing arrives for 10 s, or {@code
   * maxSeconds}.
   */
  private void drain(Pipeline p, int maxSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long received = p.sink.spans();
      if (received >= p.totals.acceptedSpans.sum()) {
        return;
      }
      if (received != last) {
        last = received;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(10)) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private static void checkAlive(CollectorProcess c) throws IOException {
    if (c != null && !c.isAlive()) {
      throw new IOException("the collector died; see " + c.output());
    }
  }

  private static boolean answers(GrpcSender probe) {
    // A cheap TCP check first; then a real export on a channel told to reconnect at once.
    String[] hp = probe.target().split(":");
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 200);
    } catch (IOException e) {
      return false;
    }
    probe.resetBackoff();
    try {
      OtlpSender.Ack ack =
          probe
              .send(ExportTraceServiceRequest.getDefaultInstance().toByteArray())
              .get(2, TimeUnit.SECONDS);
      // An answer of any kind but "unavailable" means the receiver is up and its pipeline built.
      return ack.outcome() != OtlpSender.Outcome.REFUSED;
    } catch (Exception e) {
      return false;
    }
  }

  private static String require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing " + what + " (see --help)");
    }
    return value;
  }

  private static List<String> splitOpts(String opts) {
    List<String> out = new ArrayList<>();
    for (String s : opts.trim().split("\\s+")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private String header() {
    return String.format(
        "Tollgate load test %s | %d CPUs, %d MiB RAM visible to the JVM | load tool on %s %s | load"
            + " average before: %s",
        LocalDateTime.now().withNano(0),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        loadAverage());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "n/a";
    }
  }

  private void say(String line) {
    out.println(line);
    report.add(line);
  }

  /** Samples the collector's RSS every 100 ms: the maximum per phase and over the run. */
  private static final class ProcSampler {
    final long pid;
    volatile long phaseMaxKib;
    volatile long runMaxKib;
    private final AtomicLong stop = new AtomicLong();
    private Thread thread;

    ProcSampler(long pid) {
      this.pid = pid;
    }

    void start() {
      if (pid <= 0) {
        return;
      }
      thread =
          new Thread(
              () -> {
                while (stop.get() == 0) {
                  long rss = ProcessStats.rssKib(pid);
                  if (rss > phaseMaxKib) {
                    phaseMaxKib = rss;
                  }
                  if (rss > runMaxKib) {
                    runMaxKib = rss;
                  }
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "load-rss");
      thread.setDaemon(true);
      thread.start();
    }

    void resetPhase() {
      phaseMaxKib = 0;
    }

    void stop() {
      stop.set(1);
      if (thread != null) {
        thread.interrupt();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Startup (sidecar)

  private int startup() throws Exception {
    say(header());
    say(
        "sidecar: java "
            + sidecarJvmOpts
            + " -jar "
            + collectorJar
            + " with the default GenAI pipeline");
    List<Double> readySeconds = new ArrayList<>();
    List<Double> healthySeconds = new ArrayList<>();
    List<Long> idleRss = new ArrayList<>();
    List<Double> cpuSeconds = new ArrayList<>();
    for (int i = 1; i <= startupRuns; i++) {
      CollectorConfigs.Ports ports =
          new CollectorConfigs.Ports(
              0,
              0,
              CollectorProcess.freePort(),
              CollectorProcess.freePort(),
              0,
              CollectorProcess.freePort(),
              CollectorProcess.freePort(),
              CollectorProcess.freePort());
      Path config = runDir.resolve("sidecar.yaml");
      Files.writeString(config, CollectorConfigs.sidecar(ports, exportCompression));
      try (OtlpSink sink = new OtlpSink("sidecar", ports.sinkGenai());
          GrpcSender probe = new GrpcSender("127.0.0.1:" + ports.genaiGrpc(), 1)) {
        CollectorProcess c =
            CollectorProcess.start(
                collectorJar, splitOpts(sidecarJvmOpts), config, runDir, "sidecar-" + i);
        Runtime.getRuntime().addShutdownHook(new Thread(c::close));
        // Both probes run from the start: OTLP answering, and the health endpoint saying 200.
        java.util.concurrent.CompletableFuture<Duration> health =
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> awaitHealthy(c, ports.health()));
        try {
          Duration ready = c.awaitReady(() -> answers(probe), Duration.ofSeconds(30));
          // CPU consumed until ready does not depend on what else the machine runs; wall time
          // does. On an otherwise idle 2-core machine wall time is roughly CPU time / 1.5.
          double cpuToReady = ProcessStats.cpuNanos(c.pid()) / 1e9;
          cpuSeconds.add(cpuToReady);
          readySeconds.add(ready.toMillis() / 1000.0);
          Duration healthy = health.get(35, TimeUnit.SECONDS);
          if (healthy != null) {
            healthySeconds.add(healthy.toMillis() / 1000.0);
          }
          Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
          long rss = ProcessStats.rssKib(c.pid());
          idleRss.add(rss);
          say(
              String.format(
                  "  run %d: OTLP answers after %.2f s (%.2f s of CPU), health endpoint 200 after"
                      + " %s, RSS after %d s idle %d MiB",
                  i,
                  ready.toMillis() / 1000.0,
                  cpuToReady,
                  healthy == null ? "n/a" : String.format("%.2f s", healthy.toMillis() / 1000.0),
                  idleSeconds,
                  rss / 1024));
        } finally {
          c.close();
        }
      }
    }
    double worstReady =
        readySeconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    long worstRss = idleRss.stream().mapToLong(Long::longValue).max().orElse(-1) / 1024;
    say("");
    say("summary                                   measured        target");
    say(
        String.format(
            "  sidecar ready (slowest of %d)          %10.2f s        <= 1.5 s   %s",
            startupRuns, worstReady, worstReady <= 1.5 ? "met" : "MISSED"));
    say(
        String.format(
            "  CPU consumed until ready (median)    %10.2f s        (load-independent)",
            cpuSeconds.stream()
                .mapToDouble(Double::doubleValue)
                .sorted()
                .skip(cpuSeconds.size() / 2)
                .findFirst()
                .orElse(Double.NaN)));
    if (!healthySeconds.isEmpty()) {
      say(
          String.format(
              "  health endpoint 200 (slowest)        %10.2f s",
              healthySeconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
    }
    say(
        String.format(
            "  idle sidecar RSS (largest)           %10d MiB      <= 128 MiB %s",
            worstRss, worstRss <= 128 ? "met" : "MISSED"));
    Files.write(runDir.resolve("results-startup.txt"), report);
    out.println("results written to " + runDir.resolve("results-startup.txt"));
    return 0;
  }

  /** Polls the health endpoint for up to 30 s from the start; null if it never says 200. */
  private static Duration awaitHealthy(CollectorProcess c, int port) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofMillis(500))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return c.sinceStart();
        }
      } catch (Exception e) {
        // not yet
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }
}
