package io.tollgate.processor.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.Secret;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import io.tollgate.processor.redaction.internal.JsonText;
import io.tollgate.processor.redaction.internal.RedactionTexts;
import io.tollgate.processor.redaction.internal.ReferenceTextScanner;
import io.tollgate.processor.redaction.internal.TextScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The processor against {@link ReferenceRedactionProcessor}, its predecessor over the unfiltered
 * scanner: on seeded spans with plain, JSON, broken-JSON, array and map values, span events and
 * status messages, under several configurations (operators, user recognisers, allow-list, disabled
 * built-ins, summary levels), both must produce the same request and count the same entities.
 */
class RedactionDifferentialTest {

  private static final String[] CONTENT_KEYS = {
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.prompt.0.content",
    "input.value",
    "exception.message",
    "user.email",
    "db.password",
    "http.request.header.authorization",
    "llm.input_messages.0.message.content",
    "service.note", // not scanned
  };

  static List<RedactionConfig> configs() {
    RedactionConfig d = RedactionConfig.defaults();
    List<RedactionConfig> out = new ArrayList<>();
    out.add(d);
    out.add(
        new RedactionConfig(
            true,
            List.of("service.note"),
            List.of(),
            false,
            List.of("user.email"),
            true,
            true,
            new RecognizersConfig(
                List.of("phone", "IBAN_CODE", "jwt"),
                List.of(
                    new RecognizersConfig.Custom(
                        "ORDER_ID", "ORD-[0-9]{6,}", RecognizersConfig.Validator.NONE, 0.7),
                    new RecognizersConfig.Custom(
                        "CARD_LOOSE", "[0-9]{13,19}", RecognizersConfig.Validator.LUHN, null))),
            List.of("::1", "Jane.Doe@example.com", "  hunter2 "),
            Map.of(
                "EMAIL_ADDRESS", OperatorConfig.mask("#", 4, true),
                "SECRET", OperatorConfig.of(OperatorConfig.Type.REDACT),
                "IP_ADDRESS", OperatorConfig.of(OperatorConfig.Type.KEEP),
                "API_KEY", OperatorConfig.of(OperatorConfig.Type.HASH),
                "CREDIT_CARD",
                    new OperatorConfig(OperatorConfig.Type.REPLACE, "[card]", null, null, null)),
            Secret.of("0123456789abcdef0123"),
            12,
            SummaryLevel.DEBUG,
            PresidioConfig.defaults()));
    out.add(
        new RedactionConfig(
            false,
            List.of("gen_ai.input.messages", "input.value"),
            List.of("^exception\\."),
            false,
            List.of(),
            false,
            false,
            new RecognizersConfig(List.of("secret_assignment", "email"), List.of()),
            List.of(),
            Map.of(),
            Secret.of(""),
            8,
            SummaryLevel.SILENT,
            PresidioConfig.defaults()));
    out.add(
        new RedactionConfig(
            true,
            List.of(),
            List.of(),
            true,
            List.of(),
            true,
            true,
            RecognizersConfig.defaults(),
            List.of("x"),
            Map.of("DEFAULT", OperatorConfig.mask("•", 0, false)),
            Secret.of(""),
            8,
            SummaryLevel.INFO,
            PresidioConfig.defaults()));
    return out;
  }

  @Test
  void sameRequestsAndCountsAsTheReference() throws Exception {
    sameRequestsAndCountsAsTheReference(false);
  }

  /**
   * The same with every string value held as UTF-8 bytes, as the receiver decodes them (some as
   * ropes split inside a character): same output as the reference on the String, and the clean
   * values' AnyValues come out as the very instances that went in.
   */
  @Test
  void sameRequestsAndCountsAsTheReferenceForValuesHeldAsBytes() throws Exception {
    sameRequestsAndCountsAsTheReference(true);
  }

  /**
   * The same with JSON values as SDKs and Jackson write them (compact, short escapes only), held
   * as bytes: the values whose new leaves are spliced into their bytes instead of Jackson writing
   * the whole document again.
   */
  @Test
  void sameRequestsAndCountsAsTheReferenceForCompactJsonHeldAsBytes() throws Exception {
    sameRequestsAndCountsAsTheReference(true, Json.COMPACT);
  }

  /**
   * The same with JSON values that are long prompts (kilobytes of prose, then generated texts),
   * compact or not, held as bytes: the leaves scanned from a window before their first trigger.
   */
  @Test
  void sameRequestsAndCountsAsTheReferenceForLongPromptsHeldAsBytes() throws Exception {
    sameRequestsAndCountsAsTheReference(true, Json.LONG_PROMPTS);
  }

  /** How the JSON values of the generated spans are written. */
  private enum Json {
    GENERATED,
    COMPACT,
    LONG_PROMPTS
  }

  private void sameRequestsAndCountsAsTheReference(boolean bytes) throws Exception {
    sameRequestsAndCountsAsTheReference(bytes, Json.GENERATED);
  }

  private void sameRequestsAndCountsAsTheReference(boolean bytes, Json compact)
      throws Exception {
    RedactionTexts texts = new RedactionTexts(4242L);
    Random random = new Random(4242L);
    int untouched = 0;
    int changedSpans = 0;
    int spans = 0;
    long edited = 0;
    for (RedactionConfig config : configs()) {
      Run actual = new Run(config, false);
      Run expected = new Run(config, true);
      Run stringPath = new Run(config, Mode.STRING_PATH);
      for (int batch = 0; batch < 80; batch++) {
        List<Span.Builder> built = new ArrayList<>();
        int n = 1 + random.nextInt(8);
        for (int s = 0; s < n; s++) {
          built.add(span(texts, random, compact));
        }
        ExportTraceServiceRequest request =
            Spans.request("svc", built.toArray(new Span.Builder[0]));
        if (bytes) {
          request = asBytes(request, random);
        }
        ExportTraceServiceRequest in = request;
        ExportTraceServiceRequest out = actual.run(request);
        if (bytes) {
          untouched += sameInstances(in, out);
        }
        ExportTraceServiceRequest ref = expected.run(request);
        assertThat(out).as("batch %d under %s", batch, config).isEqualTo(ref);
        // Values edited on their bytes: the very bytes the String path writes.
        assertThat(out.toByteArray())
            .as("batch %d under %s, against the String path", batch, config)
            .isEqualTo(stringPath.run(request).toByteArray());
        spans += n;
        if (!out.equals(request)) {
          changedSpans++;
        }
      }
      assertThat(actual.counts()).as("entity counters").isEqualTo(expected.counts());
      assertThat(stringPath.counts()).as("entity counters").isEqualTo(expected.counts());
      edited += ((RedactionProcessor) actual.processor).byteEditedValues();
      assertThat(((RedactionProcessor) stringPath.processor).byteEditedValues()).isZero();
    }
    assertThat(edited).as("values edited on their bytes").isGreaterThan(100);
    // Most batches carry something to redact, and some stay as they were.
    assertThat(changedSpans).isBetween(spans / 20, spans - 1);
    if (bytes) {
      assertThat(untouched).as("clean values passed on as the same AnyValue").isGreaterThan(100);
    }
  }

  /** {@code request} with every string value (not keys) held as bytes (protobuf checks UTF-8). */
  private static ExportTraceServiceRequest asBytes(
      ExportTraceServiceRequest request, Random random) {
    ExportTraceServiceRequest.Builder b = request.toBuilder();
    for (var rs : b.getResourceSpansBuilderList()) {
      for (var ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          for (KeyValue.Builder kv : span.getAttributesBuilderList()) {
            kv.setValue(asBytes(kv.getValue(), random));
          }
          for (Span.Event.Builder e : span.getEventsBuilderList()) {
            for (KeyValue.Builder kv : e.getAttributesBuilderList()) {
              kv.setValue(asBytes(kv.getValue(), random));
            }
          }
        }
      }
    }
    return b.build();
  }

  private static AnyValue asBytes(AnyValue v, Random random) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        {
          byte[] utf8 = v.getStringValue().getBytes(StandardCharsets.UTF_8);
          ByteString bytes;
          int r = random.nextInt(12);
          if (r == 0 && utf8.length > 1) {
            // A rope, cut at any byte (inside a character too).
            int cut = 1 + random.nextInt(utf8.length - 1);
            bytes =
                ByteString.copyFrom(utf8, 0, cut)
                    .concat(ByteString.copyFrom(utf8, cut, utf8.length - cut));
          } else {
            // As decoded: a slice of a larger array.
            byte[] framed = new byte[utf8.length + 7];
            System.arraycopy(utf8, 0, framed, 3, utf8.length);
            bytes = ByteString.copyFrom(framed).substring(3, 3 + utf8.length);
          }
          return AnyValue.newBuilder().setStringValueBytes(bytes).build();
        }
      case ARRAY_VALUE:
        {
          ArrayValue.Builder array = ArrayValue.newBuilder();
          for (AnyValue e : v.getArrayValue().getValuesList()) {
            array.addValues(asBytes(e, random));
          }
          return AnyValue.newBuilder().setArrayValue(array).build();
        }
      case KVLIST_VALUE:
        {
          KeyValueList.Builder list = KeyValueList.newBuilder();
          for (KeyValue kv : v.getKvlistValue().getValuesList()) {
            list.addValues(kv.toBuilder().setValue(asBytes(kv.getValue(), random)));
          }
          return AnyValue.newBuilder().setKvlistValue(list).build();
        }
      default:
        return v;
    }
  }

  /**
   * How many string values of {@code out} are the very AnyValue of {@code in} at the same place;
   * fails if one that came out equal to its input is another instance (a clean value that was
   * rebuilt).
   */
  private static int sameInstances(ExportTraceServiceRequest in, ExportTraceServiceRequest out) {
    List<List<KeyValue>> before = attributeLists(in);
    List<List<KeyValue>> after = attributeLists(out);
    assertThat(after).hasSameSizeAs(before);
    int same = 0;
    for (int l = 0; l < before.size(); l++) {
      // Summary attributes are appended, or replace a number: the inputs' places stay.
      for (int i = 0; i < before.get(l).size(); i++) {
        KeyValue a = before.get(l).get(i);
        KeyValue b = after.get(l).get(i);
        if (a.getValue().getValueCase() != AnyValue.ValueCase.STRING_VALUE
            || !a.getKey().equals(b.getKey())
            || !a.getValue().equals(b.getValue())) {
          continue;
        }
        assertThat(b.getValue()).as("clean value of %s", a.getKey()).isSameAs(a.getValue());
        same++;
      }
    }
    return same;
  }

  /** The attribute lists of all spans and their events, in order. */
  private static List<List<KeyValue>> attributeLists(ExportTraceServiceRequest r) {
    List<List<KeyValue>> out = new ArrayList<>();
    for (var rs : r.getResourceSpansList()) {
      for (var ss : rs.getScopeSpansList()) {
        for (Span sp : ss.getSpansList()) {
          out.add(sp.getAttributesList());
          for (Span.Event e : sp.getEventsList()) {
            out.add(e.getAttributesList());
          }
        }
      }
    }
    return out;
  }

  private static Span.Builder span(RedactionTexts texts, Random random, Json compact) {
    Span.Builder span = Spans.span("chat", Map.of());
    int attrs = 1 + random.nextInt(5);
    for (int a = 0; a < attrs; a++) {
      String key = CONTENT_KEYS[random.nextInt(CONTENT_KEYS.length)];
      span.addAttributes(
          KeyValue.newBuilder().setKey(key).setValue(value(texts, random, 0, compact)));
    }
    if (random.nextInt(3) == 0) {
      span.addEvents(
          Span.Event.newBuilder()
              .setName(random.nextBoolean() ? "gen_ai.user.message" : "exception")
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey(random.nextBoolean() ? "content" : "exception.message")
                      .setValue(value(texts, random, 1, compact))));
    }
    if (random.nextInt(4) == 0) {
      span.setStatus(
          Status.newBuilder()
              .setCode(Status.StatusCode.STATUS_CODE_ERROR)
              .setMessage(texts.text()));
    }
    if (random.nextInt(6) == 0) {
      // A span an upstream Tollgate already redacted.
      span.addAttributes(Spans.kv("tollgate.redaction.count", 2L));
      span.addAttributes(Spans.kv("tollgate.redaction.entities", "EMAIL_ADDRESS=2"));
    }
    return span;
  }

  private static AnyValue value(
      RedactionTexts texts, Random random, int depth, Json compact) {
    int r = random.nextInt(depth > 1 ? 6 : 9);
    switch (r) {
      case 0:
      case 1:
      case 2:
        return AnyValue.newBuilder().setStringValue(texts.text()).build();
      case 3:
      case 4:
        {
          String json =
              switch (compact) {
                case GENERATED -> texts.json();
                case COMPACT -> compact(texts.json());
                case LONG_PROMPTS -> longPrompt(texts, random);
              };
          return AnyValue.newBuilder().setStringValue(json).build();
        }
      case 5:
        {
          // Broken or padded JSON: scanned as plain text, or parsed after the padding.
          String json = texts.json();
          String v =
              random.nextBoolean()
                  ? json.substring(0, Math.max(1, json.length() - 1 - random.nextInt(5)))
                  : " \n" + json + "\t";
          return AnyValue.newBuilder().setStringValue(v).build();
        }
      case 6:
        {
          ArrayValue.Builder array = ArrayValue.newBuilder();
          for (int k = random.nextInt(4); k > 0; k--) {
            array.addValues(value(texts, random, depth + 1, compact));
          }
          array.addValues(AnyValue.newBuilder().setIntValue(7));
          return AnyValue.newBuilder().setArrayValue(array).build();
        }
      case 7:
        {
          KeyValueList.Builder list = KeyValueList.newBuilder();
          String[] keys = {"content", "password", "token", "note", "api_key"};
          for (int k = random.nextInt(4); k > 0; k--) {
            list.addValues(
                KeyValue.newBuilder()
                    .setKey(keys[random.nextInt(keys.length)])
                    .setValue(value(texts, random, depth + 1, compact)));
          }
          return AnyValue.newBuilder().setKvlistValue(list).build();
        }
      default:
        return AnyValue.newBuilder().setBoolValue(true).build();
    }
  }

  private static final String[] PROSE = {
    "Summarise the ticket below for the on-call engineer, in three bullet points.",
    "Réponds en français, s'il te plaît — brièvement; merci!",
    "日本語で答えてください。必要なら、表を使ってください?",
    "Use the tools 😀 when needed; never guess 𝐀 values!",
    "Tabs\tand line breaks\nbetween words, and what next?",
    "The user's question follows, after the retrieved context:\n\n",
    "Ж, ü, ß, ×, and é again; \"quoted\" and back\\slashed / slashed.",
  };

  /**
   * A messages document whose leaves are kilobytes of prose, the user's ending with generated
   * texts: compact (as Jackson writes it) or with spaces and escapes Jackson writes otherwise.
   */
  private static String longPrompt(RedactionTexts texts, Random random) {
    boolean compact = random.nextBoolean();
    StringBuilder sb = new StringBuilder("[");
    for (int m = 0; m < 2; m++) {
      sb.append(m == 0 ? "" : compact ? "," : ", ");
      sb.append("{\"role\":\"").append(m == 0 ? "system" : "user").append("\",\"content\":\"");
      StringBuilder text = new StringBuilder();
      int target = random.nextInt(4_000);
      while (text.length() < target) {
        text.append(PROSE[random.nextInt(PROSE.length)]).append(' ');
      }
      if (m == 1) {
        for (int k = random.nextInt(3); k >= 0; k--) {
          text.append(texts.text()).append(random.nextBoolean() ? ", " : "? ");
        }
      }
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\') {
          sb.append('\\').append(c);
        } else if (c == '\n') {
          sb.append("\\n");
        } else if (c < 0x20 || (!compact && c > 126 && c < 0xD800 && random.nextInt(3) == 0)) {
          sb.append(String.format("\\u%04x", (int) c));
        } else if (c == '/' && !compact && random.nextInt(3) == 0) {
          sb.append("\\/");
        } else {
          sb.append(c);
        }
      }
      sb.append("\"}");
    }
    String json = sb.append(']').toString();
    return compact ? compact(json) : json;
  }

  /** {@code json} as Jackson writes it, or as it is when it is not JSON. */
  private static String compact(String json) {
    List<JsonText.Leaf> leaves = JsonText.leaves(json);
    if (leaves == null) {
      return json;
    }
    List<String> texts = new ArrayList<>();
    for (JsonText.Leaf leaf : leaves) {
      texts.add(leaf.text());
    }
    return JsonText.rewrite(json, texts);
  }

  /** Which processor a {@link Run} runs. */
  enum Mode {
    /** The processor as the factory makes it. */
    CURRENT,
    /** The processor without its edits on bytes: every changed value goes through a String. */
    STRING_PATH,
    /** {@link ReferenceRedactionProcessor}. */
    REFERENCE
  }

  /** One processor (the current one or the reference) with its own registry and sink. */
  static final class Run {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RecordingConsumer sink = new RecordingConsumer();
    final Processor processor;

    Run(RedactionConfig config, boolean reference) {
      this(config, reference ? Mode.REFERENCE : Mode.CURRENT);
    }

    Run(RedactionConfig config, Mode mode) {
      ComponentContext ctx =
          ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("redaction"))
              .meterRegistry(registry)
              .build();
      if (mode == Mode.STRING_PATH) {
        processor =
            new RedactionProcessor(
                config,
                ctx,
                sink,
                RedactionProcessorFactory.scanner(config),
                RedactionProcessorFactory.anonymizer(config),
                null,
                false);
      } else if (mode == Mode.REFERENCE) {
        List<TextScanner.CustomPattern> custom = new ArrayList<>();
        for (RecognizersConfig.Custom c : config.recognizers().custom()) {
          custom.add(
              new TextScanner.CustomPattern(
                  c.name(),
                  Pattern.compile(c.regex()),
                  TextScanner.Validator.valueOf(c.validator().name()),
                  c.score()));
        }
        processor =
            new ReferenceRedactionProcessor(
                config,
                ctx,
                sink,
                new ReferenceTextScanner(
                    io.tollgate.processor.redaction.internal.Builtin.enabled(
                        config.recognizers().disabled()),
                    custom,
                    config.allowList()),
                RedactionProcessorFactory.anonymizer(config),
                null);
      } else {
        processor = new RedactionProcessorFactory().create(config, ctx, sink);
      }
    }

    ExportTraceServiceRequest run(ExportTraceServiceRequest request) throws Exception {
      processor.consume(TraceBatch.of(request)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<TraceBatch> batches = sink.batches();
      return batches.get(batches.size() - 1).toRequest();
    }

    Map<String, Double> counts() {
      Map<String, Double> out = new TreeMap<>();
      for (Counter c : registry.find("tollgate_redaction_entities").counters()) {
        out.put(c.getId().getTag("entity_type"), c.count());
      }
      return out;
    }
  }
}
