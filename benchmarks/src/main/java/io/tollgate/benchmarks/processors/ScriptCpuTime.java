package io.tollgate.benchmarks.processors;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.Processor;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CPU time per byte of each processor on chat spans whose prompts are in one script: English,
 * German (Latin with a few two-byte letters), Russian (two-byte letters, words between spaces) and
 * Chinese (three-byte characters, no spaces). The workload's prose is English with a non-Latin word
 * now and then; this shows what the same processors cost on other users' prompts.
 *
 * <p>A request is 100 chat spans in the current GenAI conventions, each with an 8 KB prompt in
 * {@code gen_ai.input.messages} and a quarter of it as the answer, decoded from the wire as the
 * receiver hands it on. {@code none} is the decoding alone; every other figure includes it. The
 * figure is the best of the rounds, in the calling thread's CPU time (GC threads not included).
 *
 * <p>Run: {@code java -Xmx1g -cp benchmarks/target/benchmarks.jar
 * io.tollgate.benchmarks.processors.ScriptCpuTime none,redaction,truncate,genai_normalize 15}
 * (processors, rounds of 60 requests; the first two rounds are warm-up).
 */
public final class ScriptCpuTime {

  private ScriptCpuTime() {}

  /** One sentence per script, repeated to the prompt's size. */
  static final Map<String, String> SENTENCES = new LinkedHashMap<>();

  static {
    SENTENCES.put(
        "english",
        "The customer asked about the refund policy for the premium plan and wanted to know"
            + " whether the upgrade covers shipping. ");
    SENTENCES.put(
        "german",
        "Der Kunde fragte nach der Rückerstattung für den Premium-Tarif und ob das Upgrade die"
            + " Versandkosten übernimmt, größere Änderungen. ");
    SENTENCES.put(
        "russian",
        "Клиент спросил о политике возврата для премиум-плана и хотел узнать, покрывает ли"
            + " обновление стоимость доставки. ");
    SENTENCES.put("chinese", "客户询问了高级套餐的退款政策，并想知道升级是否包括运费。我们需要检查订单记录并回复。");
  }

  private static final int PROMPT_BYTES = 8000;
  private static final int SPANS = 100;
  private static final int REQUESTS_PER_ROUND = 60;

  public static void main(String[] args) throws Exception {
    io.tollgate.benchmarks.Logging.quiet();
    String[] processors = args.length > 0 ? args[0].split(",") : new String[] {"none"};
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    if (rounds < 3) {
      throw new IllegalArgumentException(
          "rounds must be at least 3, the first two being warm-up; got " + rounds);
    }
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (String type : processors) {
      Processor p =
          type.equals("none")
              ? null
              : Components.startProcessor(
                  type,
                  ProcessorBenchmark.overrides(type),
                  batch -> CompletableFuture.completedFuture(null));
      for (Map.Entry<String, String> script : SENTENCES.entrySet()) {
        byte[] wire = request(script.getValue()).toByteArray();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
          long c0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
            TraceBatch batch = TraceBatch.ofWire(WireScan.of(wire));
            if (p == null) {
              batch.forEachSpan(s -> s.attributes().size()); // decodes every span
            } else {
              p.consume(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
          }
          long c1 = mx.getCurrentThreadCpuTime();
          if (round >= 2) {
            best = Math.min(best, (c1 - c0) / (double) REQUESTS_PER_ROUND / wire.length);
          }
        }
        System.out.printf(
            "%-16s %-8s %.3f ns of CPU per request byte (requests of %d KB)%n",
            type, script.getKey(), best, wire.length / 1024);
      }
      if (p != null) {
        p.shutdown(Instant.now().plusSeconds(5));
      }
    }
  }

  /** 100 chat spans whose prompt repeats {@code sentence} to about {@value #PROMPT_BYTES} bytes. */
  static ExportTraceServiceRequest request(String sentence) {
    StringBuilder prompt = new StringBuilder();
    while (prompt.toString().getBytes(StandardCharsets.UTF_8).length < PROMPT_BYTES) {
      prompt.append(sentence).append("\\n"); // a JSON-escaped line break
    }
    String answer = prompt.substring(0, prompt.length() / 4);
    if (answer.endsWith("\\")) {
      answer = answer.substring(0, answer.length() - 1);
    }
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    Random random = new Random(1);
    for (int i = 0; i < SPANS; i++) {
      byte[] traceId = new byte[16];
      byte[] spanId = new byte[8];
      random.nextBytes(traceId);
      random.nextBytes(spanId);
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(traceId))
              .setSpanId(ByteString.copyFrom(spanId))
              .setName("chat gpt-4o")
              .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .setStartTimeUnixNano(1_700_000_000_000_000_000L)
              .setEndTimeUnixNano(1_700_000_001_000_000_000L)
              .addAttributes(kv("gen_ai.operation.name", "chat"))
              .addAttributes(kv("gen_ai.provider.name", "openai"))
              .addAttributes(kv("gen_ai.request.model", "gpt-4o"))
              .addAttributes(kv("gen_ai.response.model", "gpt-4o-2024-08-06"))
              .addAttributes(kv("gen_ai.usage.input_tokens", 2000))
              .addAttributes(kv("gen_ai.usage.output_tokens", 300))
              .addAttributes(
                  kv(
                      "gen_ai.input.messages",
                      "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""
                          + prompt
                          + "\"}]}]"))
              .addAttributes(
                  kv(
                      "gen_ai.output.messages",
                      "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\""
                          + answer
                          + "\"}],\"finish_reason\":\"stop\"}]")));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "support-bot")))
                .addScopeSpans(scope))
        .build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
