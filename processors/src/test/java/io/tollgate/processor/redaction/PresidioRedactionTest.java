package io.tollgate.processor.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.pipeline.Completions;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The processor against a loopback server that answers as Presidio's analyzer does. */
class PresidioRedactionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SYSTEM_PROMPT =
      "You are the ACME support assistant. Be concise and never reveal internal tools.";

  private FakePresidio presidio;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingConsumer next = new RecordingConsumer();

  @BeforeEach
  void start() throws IOException {
    presidio = new FakePresidio();
  }

  @AfterEach
  void stop() {
    presidio.close();
  }

  private static PresidioConfig presidioConfig(
      String endpoint,
      OnError onError,
      Duration timeout,
      int maxConcurrency,
      boolean batch,
      int maxRequestChars,
      int breakerThreshold) {
    return new PresidioConfig(
        endpoint,
        "en",
        List.of(),
        0.5,
        List.of(),
        timeout,
        maxConcurrency,
        onError,
        batch,
        maxRequestChars,
        PresidioConfig.CacheConfig.defaults(),
        new PresidioConfig.CircuitBreakerConfig(breakerThreshold, Duration.ofMinutes(1)));
  }

  private PresidioConfig config(OnError onError) {
    return presidioConfig(presidio.endpoint(), onError, Duration.ofSeconds(5), 4, true, 100_000, 5);
  }

  private Processor processor(PresidioConfig p) {
    RedactionConfig config = RedactionConfig.defaults().withPresidio(p);
    ConfigIssuesAssert.valid(config);
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("redaction"))
            .meterRegistry(registry)
            .build();
    return new RedactionProcessorFactory().create(config, ctx, next);
  }

  private static Span.Builder chat(String system, String user) {
    String messages =
        "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":"
            + quote(system)
            + "}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
            + quote(user)
            + "}]}]";
    return Spans.span(
        "chat gpt-4o", Map.of("gen_ai.operation.name", "chat", "gen_ai.input.messages", messages));
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String userContent(SpanRecord span) throws IOException {
    JsonNode messages = JSON.readTree(span.attributes().getString("gen_ai.input.messages"));
    return messages.get(1).get("parts").get(0).get("content").asText();
  }

  private static void await(CompletableFuture<Void> f) throws Exception {
    f.get(10, TimeUnit.SECONDS);
  }

  private double requests(String outcome) {
    return registry
        .get("tollgate_redaction_presidio_requests")
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  @Test
  void oneBatchedRequestPerSpanBatchWithCodePointOffsets() throws Exception {
    Processor p = processor(config(OnError.FALLBACK));
    TraceBatch batch =
        Spans.batch(
            chat(SYSTEM_PROMPT, "😀😀 Hello, I am Jane Doe from Berlin, mail jane@example.com"),
            chat(SYSTEM_PROMPT, "🏡 Zoë Müller moved to Springfield 🚚 last week"),
            Spans.span("db", Map.of("db.system", "postgresql")));
    CompletableFuture<Void> done = p.consume(batch).toCompletableFuture();
    await(done);

    assertThat(presidio.requests).hasSize(1);
    JsonNode request = presidio.requests.get(0);
    assertThat(request.get("language").asText()).isEqualTo("en");
    assertThat(request.get("score_threshold").asDouble()).isEqualTo(0.5);
    List<String> texts = presidio.textsReceived();
    // The system prompt and the JSON leaves "system", "user", "text" go once each.
    assertThat(texts).doesNotHaveDuplicates().contains(SYSTEM_PROMPT).hasSize(6);

    List<SpanRecord> spans = next.spans();
    assertThat(userContent(spans.get(0)))
        .isEqualTo("😀😀 Hello, I am <PERSON> from <LOCATION>, mail <EMAIL_ADDRESS>");
    assertThat(userContent(spans.get(1))).isEqualTo("🏡 <PERSON> moved to <LOCATION> 🚚 last week");
    // The e-mail was found by both the built-ins and Presidio: one redaction, counted once.
    assertThat(spans.get(0).attributes().getLong(RedactionProcessor.ATTR_COUNT)).isEqualTo(3);
    assertThat(spans.get(0).attributes().contains(RedactionProcessor.ATTR_PRESIDIO)).isFalse();
    assertThat(requests("success")).isEqualTo(1);
    assertThat(registry.get("tollgate_redaction_presidio_latency").timer().count()).isEqualTo(1);
  }

  /** Every Presidio metric carries the processor's pipeline, so two pipelines are two series. */
  @Test
  void presidioMetricsCarryThePipeline() throws Exception {
    RedactionConfig config = RedactionConfig.defaults().withPresidio(config(OnError.FALLBACK));
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("redaction"))
            .meterRegistry(registry)
            .pipeline("traces/genai")
            .build();
    Processor p = new RedactionProcessorFactory().create(config, ctx, next);
    await(
        p.consume(Spans.batch(chat(SYSTEM_PROMPT, "I am Jane Doe from Berlin, mail jane@example.com")))
            .toCompletableFuture());

    List<String> names =
        List.of(
            "tollgate_redaction_presidio_requests",
            "tollgate_redaction_presidio_latency",
            "tollgate_redaction_presidio_cache",
            "tollgate_redaction_presidio_degraded_spans",
            "tollgate_redaction_presidio_circuit_open",
            "tollgate_redaction_presidio_in_flight",
            "tollgate_redaction_entities");
    for (String name : names) {
      assertThat(registry.find(name).meters()).as(name).isNotEmpty();
      assertThat(registry.find(name).meters())
          .as(name)
          .allSatisfy(
              m -> {
                assertThat(m.getId().getTag("processor")).isEqualTo("redaction");
                assertThat(m.getId().getTag("pipeline")).isEqualTo("traces/genai");
              });
    }
    assertThat(
            registry
                .get("tollgate_redaction_presidio_requests")
                .tag("pipeline", "traces/genai")
                .tag("outcome", "success")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aSpanMarkedUpstreamIsUnmarkedOnceScanned() throws Exception {
    Processor p = processor(config(OnError.FALLBACK));
    Span.Builder span =
        chat(SYSTEM_PROMPT, "I am Jane Doe")
            .addAttributes(Spans.kv(RedactionProcessor.ATTR_PRESIDIO, "unavailable"));
    await(p.consume(Spans.batch(span)).toCompletableFuture());
    SpanRecord out = next.spans().get(0);
    assertThat(userContent(out)).isEqualTo("I am <PERSON>");
    assertThat(out.attributes().contains(RedactionProcessor.ATTR_PRESIDIO)).isFalse();
  }

  @Test
  void singleTextRequestsWhenBatchingIsOff() throws Exception {
    Processor p =
        processor(
            presidioConfig(
                presidio.endpoint(),
                OnError.FALLBACK,
                Duration.ofSeconds(5),
                2,
                false,
                100_000,
                5));
    await(
        p.consume(
                Spans.batch(
                    Spans.span("a", Map.of("input.value", "Ahmed Khan called")),
                    Spans.span("b", Map.of("output.value", "Berlin it is"))))
            .toCompletableFuture());
    assertThat(presidio.requests).hasSize(2);
    assertThat(presidio.requests).allSatisfy(r -> assertThat(r.get("text").isTextual()).isTrue());
    assertThat(next.spans().get(0).attributes().getString("input.value"))
        .isEqualTo("<PERSON> called");
    assertThat(next.spans().get(1).attributes().getString("output.value"))
        .isEqualTo("<LOCATION> it is");
  }

  @Test
  void repeatedSystemPromptsComeFromTheCache() throws Exception {
    Processor p = processor(config(OnError.FALLBACK));
    for (int i = 0; i < 3; i++) {
      await(
          p.consume(Spans.batch(chat(SYSTEM_PROMPT, "question " + i + " from Jane Doe")))
              .toCompletableFuture());
    }
    assertThat(presidio.textsReceived().stream().filter(SYSTEM_PROMPT::equals)).hasSize(1);
    assertThat(presidio.requests).hasSize(3);
    // Second and third batch: system prompt and the three JSON leaves are hits.
    assertThat(
            registry
                .get("tollgate_redaction_presidio_cache")
                .tag("result", "hit")
                .counter()
                .count())
        .isEqualTo(8);
    assertThat(userContent(next.spans().get(2))).isEqualTo("question 2 from <PERSON>");

    // A batch made only of known texts needs no request at all.
    await(
        p.consume(Spans.batch(chat(SYSTEM_PROMPT, "question 0 from Jane Doe")))
            .toCompletableFuture());
    assertThat(presidio.requests).hasSize(3);
    assertThat(userContent(next.spans().get(3))).isEqualTo("question 0 from <PERSON>");
  }

  @Test
  void longTextsAreSplitAndOffsetsMappedBack() throws Exception {
    Processor p =
        processor(
            presidioConfig(
                presidio.endpoint(), OnError.FALLBACK, Duration.ofSeconds(5), 4, true, 1_000, 5));
    // 993 letters, then a name whose space is the last one before the cut at 1000 characters:
    // the first chunk ends inside the name, the overlap of the next chunk holds all of it.
    StringBuilder text = new StringBuilder("a".repeat(993)).append(" Ahmed Khan ");
    for (int i = 0; i < 120; i++) {
      text.append("🙂 lorem ipsum dolor sit amet ");
      if (i % 5 == 0) {
        text.append("Jane Doe ");
      }
    }
    text.append("and finally Zoë Müller");
    String original = text.toString();
    await(
        p.consume(Spans.batch(Spans.span("rag", Map.of("input.value", original))))
            .toCompletableFuture());

    List<String> sent = presidio.textsReceived();
    assertThat(sent.size()).isGreaterThan(5);
    assertThat(sent).allSatisfy(t -> assertThat(t.length()).isLessThanOrEqualTo(1_000));
    String out = next.spans().get(0).attributes().getString("input.value");
    assertThat(out).doesNotContain("Jane Doe", "Ahmed Khan", "Zoë Müller", "Jane", "Ahmed", "Zoë");
    assertThat(out).endsWith("and finally <PERSON>");
    assertThat(out.replace("<PERSON>", ""))
        .isEqualTo(
            original.replace("Jane Doe", "").replace("Ahmed Khan", "").replace("Zoë Müller", ""));
  }

  /** A server that is down, slow or failing, for each on_error mode. */
  static Stream<Arguments> failures() {
    List<Arguments> out = new ArrayList<>();
    for (String failure : List.of("http_500", "slow", "refused", "bad_offsets")) {
      for (OnError mode : OnError.values()) {
        out.add(Arguments.of(failure, mode));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} with on_error {1}")
  @MethodSource("failures")
  void presidioFailures(String failure, OnError mode) throws Exception {
    String endpoint = presidio.endpoint();
    String outcome;
    switch (failure) {
      case "http_500":
        presidio.mode = FakePresidio.Mode.ERROR_500;
        outcome = "http_error";
        break;
      case "slow":
        presidio.mode = FakePresidio.Mode.SLOW;
        outcome = "timeout";
        break;
      case "bad_offsets":
        presidio.mode = FakePresidio.Mode.BAD_OFFSETS;
        outcome = "invalid_response";
        break;
      default:
        endpoint = closedPort();
        outcome = "unreachable";
    }
    Processor p =
        processor(presidioConfig(endpoint, mode, Duration.ofMillis(300), 4, true, 100_000, 5));
    String user = "I am Jane Doe, jane@example.com, card 4111 1111 1111 1111";
    CompletableFuture<Void> done =
        p.consume(Spans.batch(chat(SYSTEM_PROMPT, user))).toCompletableFuture();

    if (mode == OnError.REJECT) {
      assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .satisfies(
              e -> {
                Throwable cause = Completions.unwrap(e);
                assertThat(cause).isInstanceOf(RefusedException.class);
                assertThat(((RefusedException) cause).reason())
                    .isEqualTo(RefusedException.Reason.UNAVAILABLE);
              });
      assertThat(next.batches()).isEmpty();
    } else {
      await(done);
      SpanRecord span = next.spans().get(0);
      assertThat(span.attributes().getString(RedactionProcessor.ATTR_PRESIDIO))
          .isEqualTo("unavailable");
      String messages = span.attributes().getString("gen_ai.input.messages");
      assertThat(messages).doesNotContain("jane@example.com", "4111 1111 1111 1111");
      if (mode == OnError.FALLBACK) {
        // Built-ins only: the name (NER) passes, everything a pattern knows does not.
        assertThat(userContent(span))
            .isEqualTo("I am Jane Doe, <EMAIL_ADDRESS>, card <CREDIT_CARD>");
      } else {
        assertThat(messages).isEqualTo(RedactionProcessor.DROPPED);
      }
    }
    assertThat(requests(outcome)).isEqualTo(1);
    assertThat(registry.get("tollgate_redaction_presidio_degraded_spans").counter().count())
        .isEqualTo(1);
  }

  @Test
  void consumeReturnsBeforePresidioAnswers() throws Exception {
    presidio.mode = FakePresidio.Mode.SLOW;
    presidio.delay = Duration.ofMillis(500);
    Processor p = processor(config(OnError.FALLBACK));
    CompletableFuture<Void> done =
        p.consume(Spans.batch(chat(SYSTEM_PROMPT, "Jane Doe"))).toCompletableFuture();
    assertThat(done).isNotDone();
    await(done);
    assertThat(userContent(next.spans().get(0))).isEqualTo("<PERSON>");
  }

  @Test
  void concurrencyIsBoundedWithoutBlocking() throws Exception {
    presidio.mode = FakePresidio.Mode.SLOW;
    presidio.delay = Duration.ofMillis(200);
    Processor p =
        processor(
            presidioConfig(
                presidio.endpoint(), OnError.REJECT, Duration.ofSeconds(10), 2, true, 100_000, 5));
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(
          p.consume(Spans.batch(chat(SYSTEM_PROMPT + i, "Jane Doe #" + i))).toCompletableFuture());
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
    assertThat(presidio.requests).hasSize(6);
    assertThat(presidio.maxInFlight.get()).isEqualTo(2);
    assertThat(next.spans()).hasSize(6);
  }

  @Test
  void circuitBreakerStopsCallingAFailingAnalyzer() throws Exception {
    presidio.mode = FakePresidio.Mode.ERROR_500;
    Processor p =
        processor(
            presidioConfig(
                presidio.endpoint(), OnError.FALLBACK, Duration.ofSeconds(5), 4, true, 100_000, 2));
    for (int i = 0; i < 4; i++) {
      await(
          p.consume(Spans.batch(chat(SYSTEM_PROMPT, "mail " + i + "@example.com")))
              .toCompletableFuture());
    }
    assertThat(presidio.requests).hasSize(2);
    assertThat(requests("http_error")).isEqualTo(2);
    assertThat(requests("circuit_open")).isEqualTo(2);
    assertThat(registry.get("tollgate_redaction_presidio_circuit_open").gauge().value())
        .isEqualTo(1);
    assertThat(next.spans())
        .allSatisfy(
            s -> {
              assertThat(s.attributes().getString(RedactionProcessor.ATTR_PRESIDIO))
                  .isEqualTo("unavailable");
              assertThat(s.attributes().getString("gen_ai.input.messages"))
                  .doesNotContain("@example.com");
            });
  }

  private static String closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }
}
