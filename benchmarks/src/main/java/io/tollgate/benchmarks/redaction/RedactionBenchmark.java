package io.tollgate.benchmarks.redaction;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.processor.redaction.RedactionConfig;
import io.tollgate.processor.redaction.RedactionProcessorFactory;
import io.tollgate.processor.redaction.internal.BuiltinScanner;
import io.tollgate.processor.redaction.internal.Finding;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of the {@code redaction} processor on GenAI payloads of 1, 4 and 32 KB, clean (no personal
 * data, but the look-alikes real prompts are full of: order numbers, timestamps, versions, prices,
 * code) and dirty (about one entity per 250 characters).
 *
 * <ul>
 *   <li>{@code processSpan}: one chat span through the processor (JSON messages parsed, every
 *       string leaf scanned, values rewritten, summary written); the {@code spans} and {@code
 *       bytes} counters are spans/s and payload bytes/s (divide by 10^6 for MB/s).
 *   <li>{@code scanText}: the one-pass built-in scanner alone over the same text as plain text.
 *   <li>{@code regexPerRecogniser} and {@code regexAlternation}: the designs the scanner replaces,
 *       one {@code find()} loop per recogniser pattern, or one alternation of all of them, for
 *       comparison (no validation, so they do less work than the scanner).
 * </ul>
 *
 * <p>{@code language} picks the prose: {@code english} (the default), {@code russian} (two-byte
 * characters, words between spaces) or {@code chinese} (three-byte characters, no spaces). The
 * {@code bytes} counter counts the payload's UTF-8 bytes, so that languages compare per byte.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Redaction -prof gc}; quick: {@code java
 * -jar benchmarks/target/benchmarks.jar Redaction -f 1 -wi 2 -i 3 -w 1s -r 1s}; languages: {@code
 * java -jar benchmarks/target/benchmarks.jar RedactionBenchmark.processSpan -p size=4096 -p
 * payload=clean -p language=english,russian,chinese}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedactionBenchmark {

  @Param({"1024", "4096", "32768"})
  int size;

  @Param({"clean", "dirty"})
  String payload;

  @Param({"english"})
  String language = "english";

  /** UTF-8 bytes of the span's payload and of the plain text, for the {@code bytes} counter. */
  private long payloadBytes;

  private long textBytes;

  private Processor processor;
  private ExportTraceServiceRequest request;
  private String text;
  private BuiltinScanner scanner;
  private List<Pattern> perRecogniser;
  private Pattern alternation;

  /** Throughput counters: JMH reports each field per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long bytes;
    public long spans;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      spans = 0;
    }
  }

  // Roughly what the built-ins look for, as one regex each (the approach we did not take).
  static final List<String> NAIVE_PATTERNS =
      List.of(
          "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
          "(?:\\+|\\b00)[1-9][0-9 ().-]{7,18}[0-9]",
          "\\(?\\b[2-9][0-9]{2}\\)?[-. ]?[2-9][0-9]{2}[-. ][0-9]{4}\\b",
          "\\b(?:\\d[ -]?){12,18}\\d\\b",
          "\\b\\d{3}-\\d{2}-\\d{4}\\b",
          "\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b",
          "\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b",
          "\\b(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{0,4}",
          "\\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\\b",
          "\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s/:@]*:[^\\s/@]+@\\S+",
          "\\bsk-(?:ant-)?[A-Za-z0-9_-]{20,}",
          "\\bAKIA[A-Z0-9]{16}\\b",
          "\\bgh[pousr]_[A-Za-z0-9]{36,}",
          "\\bxox[abposr]-[A-Za-z0-9-]{10,}",
          "\\beyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*",
          "(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]{16,}",
          "-----BEGIN [A-Z ]*PRIVATE KEY-----",
          "(?i)(?:password|secret|api_key|token)\\s*[:=]\\s*\\S{6,}");

  private static final String[] ENGLISH = {
    "Please summarise the attached quarterly report in three bullet points. ",
    "Order ORD-2024-000123 shipped on 2024-01-15T10:30:00Z and costs $1,299.00. ",
    "We upgraded numpy==1.26.4 and the SDK to v2.14.0 on Windows 10.0.19045. ",
    "Request 550e8400-e29b-41d4-a716-446655440000 took 1532 ms at 12:34:56. ",
    "for (int i = 0; i < 10; i++) { total += prices[i] * 1.19; } ",
    "The model gpt-4o-2024-08-06 returned 4096 tokens with temperature=0.7. ",
    "Invoice INV-88231-2024: 3 items, €49.99 each, VAT 19%, due in 30 days. ",
    "Explain why the integration test fails only on the CI runner. ",
  };

  private static final String[] RUSSIAN = {
    "Пожалуйста, кратко изложите приложенный квартальный отчёт в трёх пунктах. ",
    "Заказ ORD-2024-000123 отправлен 15 января и стоит 1 299,00 ₽. ",
    "Клиент спросил о политике возврата для премиум-плана и стоимости доставки. ",
    "Мы обновили SDK до версии 2.14.0, и запрос занял 1532 мс. ",
    "Объясните, почему интеграционный тест падает только на сервере сборки. ",
    "Счёт 88231: 3 позиции по 49,99 € каждая, НДС 20%, оплата в течение 30 дней. ",
  };

  private static final String[] CHINESE = {
    "请用三个要点总结附件中的季度报告。",
    "订单ORD-2024-000123已于1月15日发货，价格为1299.00元。",
    "客户询问了高级套餐的退款政策，并想知道升级是否包括运费。",
    "我们把SDK升级到2.14.0版本，请求耗时1532毫秒。",
    "请解释为什么集成测试只在构建服务器上失败。",
    "发票88231：3件商品，每件49.99欧元，增值税13%，30天内付款。",
  };

  private static String[] sentences(String language) {
    switch (language) {
      case "english":
        return ENGLISH;
      case "russian":
        return RUSSIAN;
      case "chinese":
        return CHINESE;
      default:
        throw new IllegalArgumentException(
            "language must be english, russian or chinese, not " + language);
    }
  }

  private static final String[] PII = {
    "jane.doe@example.com",
    "+44 20 7946 0958",
    "(415) 555-0132",
    "4111 1111 1111 1111",
    "123-45-6789",
    "DE89 3704 0044 0532 0130 00",
    "203.0.113.42",
    "2001:db8::1",
    "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z7A",
    "AKIAIOSFODNN7EXAMPLE",
    "postgres://admin:s3cr3t@db.internal:5432/app",
  };

  static String prose(String[] clean, int chars, boolean dirty, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(chars + 128);
    int nextPii = 250;
    while (sb.length() < chars) {
      sb.append(clean[r.nextInt(clean.length)]);
      if (dirty && sb.length() >= nextPii) {
        sb.append("Contact: ").append(PII[r.nextInt(PII.length)]).append(". ");
        nextPii += 250;
      }
    }
    sb.setLength(chars);
    return sb.toString();
  }

  static String json(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  @Setup
  public void setUp() {
    boolean dirty = payload.equals("dirty");
    String[] clean = sentences(language);
    // A quarter system prompt (always clean), the rest user message.
    int system = size / 4;
    String messages =
        "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":"
            + json(prose(clean, system, false, 1))
            + "}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
            + json(prose(clean, size - system - 120, dirty, 2))
            + "}]}]";
    text = prose(clean, size, dirty, 3);
    textBytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    payloadBytes = messages.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8]))
            .setName("chat gpt-4o")
            .addAttributes(kv("gen_ai.operation.name", "chat"))
            .addAttributes(kv("gen_ai.request.model", "gpt-4o"))
            .addAttributes(kv("gen_ai.input.messages", messages));
    request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(kv("service.name", "bench")))
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .setScope(InstrumentationScope.newBuilder().setName("bench"))
                            .addSpans(span)))
            .build();
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("redaction")).build();
    processor =
        new RedactionProcessorFactory()
            .create(RedactionConfig.defaults(), ctx, TracesConsumer.discarding());
    scanner = BuiltinScanner.all();
    perRecogniser = NAIVE_PATTERNS.stream().map(Pattern::compile).collect(Collectors.toList());
    alternation =
        Pattern.compile(
            NAIVE_PATTERNS.stream().map(p -> "(?:" + p + ")").collect(Collectors.joining("|")));
    // Sanity: the dirty payload has findings, the clean one none.
    int found = scanner.scan(text).size();
    if (dirty == (found == 0)) {
      throw new IllegalStateException(payload + " payload has " + found + " findings");
    }
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  @Benchmark
  public void processSpan(Counters c) {
    processor.consume(TraceBatch.of(request)).toCompletableFuture().join();
    c.spans++;
    c.bytes += payloadBytes;
  }

  @Benchmark
  public List<Finding> scanText(Counters c) {
    c.bytes += textBytes;
    return scanner.scan(text);
  }

  @Benchmark
  public void regexPerRecogniser(Counters c, Blackhole bh) {
    for (Pattern p : perRecogniser) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        bh.consume(m.start());
      }
    }
    c.bytes += textBytes;
  }

  @Benchmark
  public void regexAlternation(Counters c, Blackhole bh) {
    Matcher m = alternation.matcher(text);
    while (m.find()) {
      bh.consume(m.start());
    }
    c.bytes += textBytes;
  }

  /**
   * The scanner against the two regex designs, interleaved in 50 ms slices for 12 s per payload, so
   * that all three see the same machine load: a fair ratio on a shared machine, where JMH's
   * absolute figures swing. Run: {@code java -cp benchmarks/target/benchmarks.jar
   * io.tollgate.benchmarks.redaction.RedactionBenchmark}.
   */
  public static void main(String[] args) {
    for (int size : new int[] {1024, 4096, 32768}) {
      for (String p : List.of("clean", "dirty")) {
        RedactionBenchmark b = new RedactionBenchmark();
        b.size = size;
        b.payload = p;
        b.setUp();
        long[] nanos = new long[3];
        long[] bytes = new long[3];
        long sink = 0;
        long stop = System.nanoTime() + 12_000_000_000L;
        while (System.nanoTime() < stop) {
          for (int k = 0; k < 3; k++) {
            long start = System.nanoTime();
            long until = start + 50_000_000L;
            while (System.nanoTime() < until) {
              if (k == 0) {
                sink += b.scanner.scan(b.text).size();
              } else {
                for (Pattern pattern : k == 1 ? b.perRecogniser : List.of(b.alternation)) {
                  Matcher m = pattern.matcher(b.text);
                  while (m.find()) {
                    sink++;
                  }
                }
              }
              bytes[k] += b.textBytes;
            }
            nanos[k] += System.nanoTime() - start;
          }
        }
        double scan = bytes[0] * 1e3 / nanos[0];
        double perRecogniser = bytes[1] * 1e3 / nanos[1];
        double alternation = bytes[2] * 1e3 / nanos[2];
        System.out.printf(
            "%5d B %s: scanner %.1f MB/s, regex per recogniser %.2f MB/s (x%.0f), alternation"
                + " %.2f MB/s (x%.0f) [%d]%n",
            size,
            p,
            scan,
            perRecogniser,
            scan / perRecogniser,
            alternation,
            scan / alternation,
            sink % 10);
      }
    }
  }
}
