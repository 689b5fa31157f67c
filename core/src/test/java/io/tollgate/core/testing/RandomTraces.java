package io.tollgate.core.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.SplittableRandom;

/**
 * Seeded random OTLP trace requests that use every field of the schema: resources with entity refs,
 * scopes with attributes, spans with events, links and status, attribute values of every kind
 * (nested arrays and key-value lists), text with 1- to 4-byte UTF-8 characters, and unknown fields
 * of every wire type (groups included) at every level. For oracle tests of wire codecs.
 */
public final class RandomTraces {

  private static final String[] WORDS = {
    "the", "model", "answer", "user", "retrieval", "tool", "prompt", "café", "naïve", "Größe",
    "日本語", "данные", "ok", "😀", "résumé", "λ", "système", "a", "JSON", "{\"role\":\"user\"}"
  };

  private final SplittableRandom random;
  private final boolean unknownFields;
  private int maxPromptWords = 5000;

  public RandomTraces(long seed, boolean unknownFields) {
    this.random = new SplittableRandom(seed);
    this.unknownFields = unknownFields;
  }

  /** Caps the GenAI-sized prompts (default 5,000 words, about 30 KiB). */
  public RandomTraces maxPromptWords(int words) {
    this.maxPromptWords = words;
    return this;
  }

  /** A request of up to {@code maxResources} resources; span sizes vary from tiny to GenAI. */
  public ExportTraceServiceRequest request(int maxResources, int maxSpansPerScope) {
    ExportTraceServiceRequest.Builder r = ExportTraceServiceRequest.newBuilder();
    int resources = 1 + random.nextInt(maxResources);
    for (int i = 0; i < resources; i++) {
      r.addResourceSpans(resourceSpans(maxSpansPerScope));
    }
    return r.build();
  }

  public ResourceSpans resourceSpans(int maxSpansPerScope) {
    Resource.Builder res = Resource.newBuilder();
    res.addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue(text(20)).build()));
    for (int i = random.nextInt(4); i > 0; i--) {
      res.addAttributes(keyValue(2));
    }
    if (random.nextInt(4) == 0) {
      res.addEntityRefs(
          EntityRef.newBuilder()
              .setType("service")
              .setSchemaUrl(text(10))
              .addIdKeys("service.name")
              .addDescriptionKeys(text(8))
              .setUnknownFields(unknown()));
    }
    if (random.nextInt(5) == 0) {
      res.setDroppedAttributesCount(random.nextInt(1000));
    }
    res.setUnknownFields(unknown());
    ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(res);
    if (random.nextBoolean()) {
      rs.setSchemaUrl("https://opentelemetry.io/schemas/1.26.0");
    }
    int scopes = 1 + random.nextInt(3);
    for (int s = 0; s < scopes; s++) {
      ScopeSpans.Builder ss =
          ScopeSpans.newBuilder()
              .setScope(
                  InstrumentationScope.newBuilder()
                      .setName(text(12))
                      .setVersion("1." + random.nextInt(30))
                      .addAttributes(keyValue(1))
                      .setUnknownFields(unknown()));
      if (random.nextInt(3) == 0) {
        ss.setSchemaUrl(text(15));
      }
      int spans = random.nextInt(maxSpansPerScope + 1);
      for (int i = 0; i < spans; i++) {
        ss.addSpans(span());
      }
      ss.setUnknownFields(unknown());
      rs.addScopeSpans(ss);
    }
    rs.setUnknownFields(unknown());
    return rs.build();
  }

  public Span span() {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(id(16))
            .setSpanId(id(8))
            .setName(text(30))
            .setKind(Span.SpanKind.forNumber(random.nextInt(6)))
            .setStartTimeUnixNano(1_700_000_000_000_000_000L + random.nextInt(1_000_000))
            .setEndTimeUnixNano(1_700_000_001_000_000_000L + random.nextInt(1_000_000));
    if (random.nextBoolean()) {
      s.setParentSpanId(id(8));
    }
    if (random.nextInt(4) == 0) {
      s.setTraceState("vendor=" + text(5));
    }
    if (random.nextBoolean()) {
      s.setFlags(0x101);
    }
    int attributes = random.nextInt(12);
    for (int i = 0; i < attributes; i++) {
      s.addAttributes(keyValue(3));
    }
    if (random.nextInt(4) == 0) {
      // A GenAI-sized prompt: 1–32 KiB of mostly ASCII text.
      s.addAttributes(
          kv(
              "gen_ai.prompt.0.content",
              AnyValue.newBuilder()
                  .setStringValue(prompt(Math.min(maxPromptWords, 200 + random.nextInt(5000))))
                  .build()));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      s.addEvents(
          Span.Event.newBuilder()
              .setName(text(10))
              .setTimeUnixNano(random.nextLong())
              .addAttributes(keyValue(2))
              .setDroppedAttributesCount(random.nextInt(3))
              .setUnknownFields(unknown()));
    }
    for (int i = random.nextInt(2); i > 0; i--) {
      s.addLinks(
          Span.Link.newBuilder()
              .setTraceId(id(16))
              .setSpanId(id(8))
              .setTraceState(text(4))
              .addAttributes(keyValue(1))
              .setFlags(1)
              .setDroppedAttributesCount(1)
              .setUnknownFields(unknown()));
    }
    if (random.nextBoolean()) {
      s.setStatus(
          Status.newBuilder()
              .setCode(Status.StatusCode.forNumber(random.nextInt(3)))
              .setMessage(text(15))
              .setUnknownFields(unknown()));
    }
    s.setDroppedAttributesCount(random.nextInt(2));
    s.setDroppedEventsCount(random.nextInt(2));
    s.setDroppedLinksCount(random.nextInt(2));
    s.setUnknownFields(unknown());
    return s.build();
  }

  public KeyValue keyValue(int depth) {
    return KeyValue.newBuilder()
        .setKey(text(12))
        .setValue(anyValue(depth))
        .setUnknownFields(unknown())
        .build();
  }

  private KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  public AnyValue anyValue(int depth) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (random.nextInt(depth > 0 ? 9 : 6)) {
      case 0:
      case 1:
        v.setStringValue(text(40));
        break;
      case 2:
        v.setBoolValue(random.nextBoolean());
        break;
      case 3:
        v.setIntValue(random.nextLong());
        break;
      case 4:
        v.setDoubleValue(random.nextDouble());
        break;
      case 5:
        v.setBytesValue(id(random.nextInt(20)));
        break;
      case 6:
        ArrayValue.Builder a = ArrayValue.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.addValues(anyValue(depth - 1));
        }
        v.setArrayValue(a.setUnknownFields(unknown()));
        break;
      default:
        KeyValueList.Builder l = KeyValueList.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
          l.addValues(keyValue(depth - 1));
        }
        v.setKvlistValue(l.setUnknownFields(unknown()));
    }
    return v.setUnknownFields(unknown()).build();
  }

  /** About {@code words} words of prompt-like text: a random slice of a fixed long text. */
  public String prompt(int words) {
    int length = Math.min(PROMPT_TEXT.length() - 1, words * 6);
    int start = random.nextInt(PROMPT_TEXT.length() - length);
    int end = start + length;
    // Never split a surrogate pair: protobuf would encode the lone half as '?'.
    if (Character.isLowSurrogate(PROMPT_TEXT.charAt(start))) {
      start++;
    }
    if (Character.isHighSurrogate(PROMPT_TEXT.charAt(end - 1))) {
      end--;
    }
    return PROMPT_TEXT.substring(start, end);
  }

  private static final String PROMPT_TEXT = promptText();

  private static String promptText() {
    SplittableRandom r = new SplittableRandom(0);
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 40_000) {
      sb.append(r.nextInt(8) == 0 ? WORDS[r.nextInt(WORDS.length)] : "lorem").append(' ');
    }
    return sb.toString();
  }

  /** Random text of about {@code words} words, some of them multi-byte. */
  public String text(int words) {
    int n = 1 + random.nextInt(Math.max(1, words));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(random.nextInt(8) == 0 ? WORDS[random.nextInt(WORDS.length)] : "lorem");
    }
    return sb.toString();
  }

  public ByteString id(int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    if (length > 0) {
      b[0] |= 1;
    }
    return ByteString.copyFrom(b);
  }

  /** Unknown fields (numbers 100+), sometimes: varint, fixed32/64, bytes and a nested group. */
  public UnknownFieldSet unknown() {
    if (!unknownFields || random.nextInt(5) != 0) {
      return UnknownFieldSet.getDefaultInstance();
    }
    UnknownFieldSet.Builder u = UnknownFieldSet.newBuilder();
    int field = 100 + random.nextInt(50);
    switch (random.nextInt(5)) {
      case 0:
        u.addField(field, UnknownFieldSet.Field.newBuilder().addVarint(random.nextLong()).build());
        break;
      case 1:
        u.addField(field, UnknownFieldSet.Field.newBuilder().addFixed32(random.nextInt()).build());
        break;
      case 2:
        u.addField(field, UnknownFieldSet.Field.newBuilder().addFixed64(random.nextLong()).build());
        break;
      case 3:
        u.addField(
            field,
            UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8(text(5)))
                .build());
        break;
      default:
        UnknownFieldSet inner =
            UnknownFieldSet.newBuilder()
                .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                .addField(
                    2,
                    UnknownFieldSet.Field.newBuilder()
                        .addGroup(
                            UnknownFieldSet.newBuilder()
                                .addField(
                                    3, UnknownFieldSet.Field.newBuilder().addFixed32(9).build())
                                .build())
                        .build())
                .build();
        u.addField(field, UnknownFieldSet.Field.newBuilder().addGroup(inner).build());
    }
    return u.build();
  }

  public SplittableRandom random() {
    return random;
  }
}
