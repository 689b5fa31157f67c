package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.event;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.Spans;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The normaliser keeps a thread's working state (the scan, the decisions, the candidates) from one
 * span to the next: a span of one dialect right after a span of another, in one batch or across
 * batches and threads, comes out exactly as it does through a processor that never saw another
 * span.
 */
class NothingCarriesOverBetweenSpansTest {

  /** Spans as the instrumentations emit them, different enough to leave different state. */
  private static final List<Supplier<Span.Builder>> SPANS =
      List.of(
          // OpenLLMetry: indexed prompts and completions, many sources removed.
          () ->
              span(
                  "openai.chat",
                  "llm.request.type", "chat",
                  "gen_ai.system", "OpenAI",
                  "gen_ai.request.model", "gpt-3.5-turbo",
                  "gen_ai.prompt.0.role", "system",
                  "gen_ai.prompt.0.content", "You are a helpful assistant.",
                  "gen_ai.prompt.1.role", "user",
                  "gen_ai.prompt.1.content", "Tell me a joke about \"spans\"\nplease",
                  "gen_ai.response.model", "gpt-3.5-turbo-0125",
                  "gen_ai.usage.completion_tokens", 19,
                  "gen_ai.usage.prompt_tokens", 22,
                  "gen_ai.completion.0.finish_reason", "stop",
                  "gen_ai.completion.0.role", "assistant",
                  "gen_ai.completion.0.content", "Why did the collector break up?"),
          // Not GenAI at all.
          () -> span("GET /users", "http.request.method", "GET", "url.path", "/users"),
          // Vercel AI SDK: JSON messages with escapes, read and written back.
          () ->
              span(
                  "ai.generateText.doGenerate",
                  "ai.operationId", "ai.generateText.doGenerate",
                  "ai.model.provider", "openai.chat",
                  "ai.model.id", "gpt-4o-mini",
                  "ai.prompt.messages",
                      "[{\"role\":\"system\",\"content\":\"You are a \\\"weather\\\" bot.\\n\"},"
                          + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                          + "\"Weather in Paris?\\tNow\"}]}]",
                  "ai.response.text", "Sunny, 21\u00b0C.",
                  "ai.response.finishReason", "stop",
                  "ai.usage.promptTokens", 62,
                  "ai.usage.completionTokens", 15),
          // Already on the conventions, with a provider spelling to correct.
          () ->
              span(
                  "chat gpt-4o",
                  "gen_ai.operation.name", "chat",
                  "gen_ai.provider.name", "az.ai.openai",
                  "gen_ai.request.model", "gpt-4o",
                  "gen_ai.usage.input_tokens", 10,
                  "gen_ai.response.finish_reasons", List.of("stop")),
          // OpenInference: indexed messages and a kind that conditions rules.
          () ->
              span(
                  "ChatCompletion",
                  "openinference.span.kind", "LLM",
                  "llm.system", "openai",
                  "llm.provider", "openai",
                  "llm.input_messages.0.message.role", "system",
                  "llm.input_messages.0.message.content", "You are a helpful assistant.",
                  "llm.input_messages.1.message.role", "user",
                  "llm.input_messages.1.message.content", "What is the capital of France?",
                  "llm.output_messages.0.message.role", "assistant",
                  "llm.output_messages.0.message.content", "The capital of France is",
                  "llm.model_name", "gpt-4o-2024-08-06",
                  "llm.token_count.prompt", 25,
                  "llm.token_count.completion", 8),
          // The deprecated message events.
          () -> {
            Span.Builder s =
                span("chat gpt-4o", "gen_ai.operation.name", "chat", "gen_ai.system", "openai");
            s.addEvents(event("gen_ai.user.message", "content", "Weather in Paris?"));
            s.addEvents(event("gen_ai.tool.message", "id", "call_1", "content", "21C"));
            s.addEvents(event("gen_ai.choice", "index", 0, "finish_reason", "stop"));
            s.addEvents(event("exception", "exception.message", "unrelated"));
            return s;
          });

  @Test
  void everySpanComesOutAsItDoesAlone() throws Exception {
    List<byte[]> alone = new ArrayList<>();
    for (Supplier<Span.Builder> s : SPANS) {
      alone.add(bytes(new Fixture().run(s.get())));
    }
    // Each order puts every span after others of other dialects.
    Fixture shared = new Fixture();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < SPANS.size(); i++) {
      order.add(i);
    }
    for (int round = 0; round < 3; round++) {
      List<byte[]> out = run(shared, order);
      for (int k = 0; k < order.size(); k++) {
        assertSame(
            out.get(k), alone.get(order.get(k)), "span " + order.get(k) + ", round " + round);
      }
      Collections.reverse(order);
      if (round == 1) {
        Collections.rotate(order, 2);
      }
    }
  }

  @Test
  void threadsSharingOneProcessorGetWhatOneThreadGets() throws Exception {
    // The batches are read where they are processed (a processor owns and changes its batch).
    Processor shared =
        new GenAiNormalizeProcessorFactory()
            .create(
                GenAiNormalizeConfig.defaults(),
                ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("genai_normalize"))
                    .build(),
                b -> CompletableFuture.completedFuture(null));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < SPANS.size(); i++) {
      order.add(i);
    }
    List<byte[]> expected = run(new Fixture(), order);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<List<byte[]>>>> runs = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        runs.add(pool.submit(() -> runConcurrently(shared, order)));
      }
      for (Future<List<List<byte[]>>> f : runs) {
        List<List<byte[]>> rounds = f.get();
        for (int r = 0; r < rounds.size(); r++) {
          for (int k = 0; k < order.size(); k++) {
            assertSame(rounds.get(r).get(k), expected.get(k), "round " + r + ", span " + k);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSpanWithThousandsOfSourcesLeavesNothingBehind() throws Exception {
    // The same sources thousands of times over (the working arrays grow, then are let go).
    Span.Builder huge = span("openai.chat", "gen_ai.system", "openai");
    for (int i = 0; i < 3000; i++) {
      huge.addAttributes(Spans.kv("gen_ai.usage.prompt_tokens", 10 + i));
      huge.addAttributes(Spans.kv("llm.request.model", "gpt-4o"));
    }
    Fixture shared = new Fixture();
    SpanRecord out = shared.run(huge);
    assertThat(out.attributes().getLong("gen_ai.usage.input_tokens")).isNotNull();
    for (int i = 0; i < SPANS.size(); i++) {
      byte[] alone = bytes(new Fixture().run(SPANS.get(i).get()));
      assertSame(bytes(shared.run(SPANS.get(i).get())), alone, "span " + i + " after the big one");
    }
  }

  @Test
  void aSpanWithManyDistinctSourcesLosesEveryOneOfThem() throws Exception {
    // 40 indexed messages: 80 distinct keys to remove, past the few compared one by one.
    Span.Builder many = span("openai.chat", "llm.request.type", "chat", "gen_ai.system", "OpenAI");
    for (int i = 0; i < 40; i++) {
      String role = i % 2 == 0 ? "user" : "assistant";
      many.addAttributes(Spans.kv("gen_ai.prompt." + i + ".role", role));
      many.addAttributes(Spans.kv("gen_ai.prompt." + i + ".content", "message " + i));
    }
    Fixture shared = new Fixture();
    SpanRecord out = shared.run(many);

    assertThat(out.attributes().getString("gen_ai.input.messages")).contains("message 39");
    for (int i = 0; i < out.attributes().size(); i++) {
      assertThat(out.attributes().key(i)).doesNotStartWith("gen_ai.prompt.");
    }
    for (int i = 0; i < SPANS.size(); i++) {
      byte[] alone = bytes(new Fixture().run(SPANS.get(i).get()));
      assertSame(bytes(shared.run(SPANS.get(i).get())), alone, "span " + i + " after the big one");
    }
  }

  /** The spans in {@code order} as one batch, each as it leaves the processor. */
  private static List<byte[]> run(Fixture f, List<Integer> order) {
    Span.Builder[] spans = new Span.Builder[order.size()];
    for (int k = 0; k < spans.length; k++) {
      spans[k] = SPANS.get(order.get(k)).get();
    }
    TraceBatch out = f.run(Spans.batch(spans));
    List<byte[]> bytes = new ArrayList<>();
    out.forEachSpan(s -> bytes.add(bytes(s)));
    return bytes;
  }

  /** As {@link #run}, fifty times over, on the calling thread; the last result. */
  /** Fifty rounds of the spans in {@code order} through {@code p}: what each round gave. */
  private static List<List<byte[]>> runConcurrently(Processor p, List<Integer> order) {
    Span.Builder[] spans = new Span.Builder[order.size()];
    for (int k = 0; k < spans.length; k++) {
      spans[k] = SPANS.get(order.get(k)).get();
    }
    TraceBatch batch = Spans.batch(spans);
    List<List<byte[]>> rounds = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      TraceBatch copy = batch.copy();
      p.consume(copy).toCompletableFuture().join();
      List<byte[]> bytes = new ArrayList<>();
      copy.forEachSpan(s -> bytes.add(bytes(s)));
      rounds.add(bytes);
    }
    return rounds;
  }

  /** The span without its ids (each span built gets random ones), encoded. */
  private static byte[] bytes(SpanRecord span) {
    return span.proto().build().toBuilder()
        .clearTraceId()
        .clearSpanId()
        .clearParentSpanId()
        .build()
        .toByteArray();
  }

  /** The same bytes; on a difference, the two spans as text. */
  private static void assertSame(byte[] actual, byte[] expected, String what) throws Exception {
    if (!Arrays.equals(actual, expected)) {
      assertThat(Span.parseFrom(actual).toString())
          .as(what)
          .isEqualTo(Span.parseFrom(expected).toString());
      assertThat(actual).as(what + ": same text, other bytes").isEqualTo(expected);
    }
  }
}
