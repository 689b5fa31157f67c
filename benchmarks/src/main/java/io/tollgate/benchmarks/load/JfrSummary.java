package io.tollgate.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the collector spends its CPU, from a JFR recording ({@code LoadTool --jfr}): execution
 * samples attributed to the innermost Tollgate class on the stack (so a JDK string method called by
 * a processor counts for that processor), to the library the sample's top frame is in, and the top
 * frames themselves.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tollgate.benchmarks.load.JfrSummary collector.jfr [top] [skip-seconds]
 * </pre>
 *
 * <p>{@code skip-seconds} leaves out the first samples (start-up, JIT warm-up) so that the summary
 * shows the steady state.
 */
public final class JfrSummary {

  private JfrSummary() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrSummary <recording.jfr> [top-n] [skip-seconds]");
      System.exit(64);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    long skipSeconds = args.length > 2 ? Long.parseLong(args[2]) : 0;
    java.time.Instant from = null;
    Map<String, Integer> byTollgateClass = new HashMap<>();
    Map<String, Integer> byTollgateMethod = new HashMap<>();
    Map<String, Integer> byLibrary = new HashMap<>();
    Map<String, Integer> byTopFrame = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      if (from == null) {
        from = e.getStartTime().plusSeconds(skipSeconds);
      }
      if (e.getStartTime().isBefore(from)) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      total++;
      List<RecordedFrame> frames = st.getFrames();
      RecordedFrame first = frames.get(0);
      String topName = first.getMethod().getType().getName() + "." + first.getMethod().getName();
      byTopFrame.merge(topName, 1, Integer::sum);
      byLibrary.merge(library(first.getMethod().getType().getName()), 1, Integer::sum);
      String owner =
          "(no Tollgate frame: gRPC/Netty threads, incl. protobuf parsing in gRPC's marshaller)";
      for (RecordedFrame f : frames) {
        String cls = f.getMethod().getType().getName();
        if (cls.startsWith("io.tollgate.")) {
          int dollar = cls.indexOf('$');
          owner = dollar < 0 ? cls : cls.substring(0, dollar);
          byTollgateMethod.merge(cls + "." + f.getMethod().getName(), 1, Integer::sum);
          break;
        }
      }
      byTollgateClass.merge(owner, 1, Integer::sum);
    }
    System.out.printf("%d execution samples%n", total);
    print("innermost Tollgate class on the stack", byTollgateClass, total, top);
    print("innermost Tollgate method on the stack", byTollgateMethod, total, top);
    print("library of the top frame", byLibrary, total, top);
    print("top frames", byTopFrame, total, top);
  }

  private static String library(String cls) {
    String[][] prefixes = {
      {"io.tollgate.", "tollgate"},
      {"com.google.protobuf.", "protobuf-java"},
      {"io.grpc.", "grpc-java"},
      {"io.netty.", "netty"},
      {"com.fasterxml.jackson.", "jackson"},
      {"com.github.benmanes.caffeine.", "caffeine"},
      {"io.micrometer.", "micrometer"},
      {"java.lang.String", "jdk strings"},
      {"java.", "jdk other"},
      {"jdk.", "jdk other"},
      {"sun.", "jdk other"},
    };
    for (String[] p : prefixes) {
      if (cls.startsWith(p[0])) {
        return p[1];
      }
    }
    return "other";
  }

  private static void print(String title, Map<String, Integer> counts, int total, int top) {
    System.out.printf("%n%s:%n", title);
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
  }
}
