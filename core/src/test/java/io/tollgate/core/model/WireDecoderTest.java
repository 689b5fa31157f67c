package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.testing.RandomTraces;
import io.tollgate.core.testing.Spans;
import io.tollgate.core.testing.StringForm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link WireDecoder} against its oracle, protobuf-java's {@code ResourceSpans.parseFrom}: the
 * decoded builder must build a message equal to the parsed one and encode to the same bytes, for
 * random requests of every shape and for hand-made wire corner cases (unknown fields and known
 * fields with another wire type at every level, repeated singular fields, explicit defaults, empty
 * messages). And its strings must really stay the received bytes.
 */
class WireDecoderTest {

  // --- the oracle -------------------------------------------------------------------------

  /** Decodes {@code rs} from inside a larger array (at an offset) and compares with protobuf. */
  private static ResourceSpans.Builder assertDecodesLikeProtobuf(byte[] rs) {
    ResourceSpans parsed;
    try {
      parsed = ResourceSpans.parseFrom(rs);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the test input must be valid", e);
    }
    // The decoder trusts the scan; make sure the scan accepts the input as a request.
    byte[] request = field(1, rs);
    assertThat(WireScan.of(request).verdict()).isNotEqualTo(WireScan.Verdict.MALFORMED);
    byte[] padded = new byte[rs.length + 7];
    System.arraycopy(rs, 0, padded, 3, rs.length);
    ResourceSpans.Builder decoded = WireDecoder.decode(padded, 3, rs.length);
    ResourceSpans built = decoded.build();
    assertThat(built.toByteArray()).isEqualTo(parsed.toByteArray());
    assertThat(built).isEqualTo(parsed);
    assertThat(built.getSerializedSize()).isEqualTo(parsed.getSerializedSize());
    return decoded;
  }

  // --- random requests --------------------------------------------------------------------

  @Test
  void randomRequestsDecodeAsProtobufParsesThem() throws Exception {
    int resources = 0;
    for (int seed = 0; seed < 150; seed++) {
      RandomTraces traces = new RandomTraces(seed, seed % 3 != 0).maxPromptWords(200);
      ExportTraceServiceRequest request = traces.request(3, 4);
      for (ResourceSpans rs : request.getResourceSpansList()) {
        assertDecodesLikeProtobuf(rs.toByteArray());
        resources++;
      }
      // Through the batch: parts at their offsets in the request array, then encoded again.
      byte[] bytes = request.toByteArray();
      TraceBatch batch = TraceBatch.ofWire(WireScan.of(bytes));
      List<ResourceSpans> decoded = new ArrayList<>();
      for (ResourceSpans.Builder b : batch.resourceSpansBuilders()) {
        decoded.add(b.build());
      }
      assertThat(decoded)
          .isEqualTo(ExportTraceServiceRequest.parseFrom(bytes).getResourceSpansList());
      assertThat(batch.encode().bytes()).isEqualTo(bytes);
    }
    assertThat(resources).isGreaterThan(250);
  }

  // --- hand-made corner cases -------------------------------------------------------------

  private static final String ASCII = "gen_ai.prompt";
  private static final String NON_ASCII = "Größe 日本語 данные λ";
  private static final String FOUR_BYTES = "😀 emoji 𝄞";

  private static byte[] traceId() {
    return Spans.traceId(3).toByteArray();
  }

  private static byte[] spanId() {
    return new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
  }

  /** A span with valid ids, then whatever {@code more} writes. */
  private static W span(Consumer<W> more) {
    W s = new W().bytes(1, traceId()).bytes(2, spanId());
    more.accept(s);
    return s;
  }

  private static byte[] oneSpan(W span) {
    return new W().msg(2, new W().msg(2, span)).toBytes();
  }

  @Test
  void everyValueKindNestedWithEveryKindOfText() {
    W kvlist =
        new W()
            .msg(1, new W().string(1, "inner").msg(2, new W().string(1, FOUR_BYTES)))
            .msg(1, new W().string(1, "n").msg(2, new W().varint(3, -5)))
            .msg(1, new W().string(1, NON_ASCII).msg(2, new W()));
    W array =
        new W()
            .msg(1, new W().string(1, NON_ASCII))
            .msg(1, new W().varint(2, 1))
            .msg(1, new W().fixed64(4, Double.doubleToRawLongBits(-0.0)))
            .msg(1, new W().fixed64(4, 0x7ff8_0000_0000_0123L)) // a NaN with a payload
            .msg(1, new W().bytes(7, new byte[] {0, (byte) 0xff, 0x7f}))
            .msg(1, new W().msg(5, new W().msg(1, new W().string(1, "deep"))))
            .msg(1, new W().msg(6, kvlist))
            .msg(1, new W());
    W span =
        span(
            s ->
                s.string(5, NON_ASCII)
                    .string(3, "vendor=" + FOUR_BYTES)
                    .msg(9, new W().string(1, ASCII).msg(2, new W().string(1, FOUR_BYTES)))
                    .msg(9, new W().string(1, NON_ASCII).msg(2, new W().string(1, "")))
                    .msg(9, new W().string(1, "i").msg(2, new W().varint(3, Long.MIN_VALUE)))
                    .msg(9, new W().string(1, "a").msg(2, new W().msg(5, array)))
                    .msg(9, new W().string(1, "l").msg(2, new W().msg(6, kvlist)))
                    .msg(9, new W().string(1, "idx").varint(3, 7).msg(2, new W().varint(8, 9)))
                    .msg(9, new W())
                    .msg(
                        11,
                        new W()
                            .fixed64(1, -1)
                            .string(2, FOUR_BYTES)
                            .msg(3, new W().string(1, "e").msg(2, new W().string(1, NON_ASCII)))
                            .varint(4, 2))
                    .msg(11, new W())
                    .msg(
                        13,
                        new W()
                            .bytes(1, traceId())
                            .bytes(2, spanId())
                            .string(3, NON_ASCII)
                            .msg(4, new W().string(1, "k").msg(2, new W().string(1, "v")))
                            .varint(5, 1)
                            .fixed32(6, 0x301))
                    .msg(15, new W().string(2, FOUR_BYTES).varint(3, 2))
                    .fixed32(16, 0x101));
    W resource =
        new W()
            .msg(1, new W().string(1, "service.name").msg(2, new W().string(1, NON_ASCII)))
            .varint(2, 3)
            .msg(3, new W().string(1, "service").string(2, "url").string(3, "a").string(3, "b"));
    W scope =
        new W()
            .string(1, FOUR_BYTES)
            .string(2, "1.0")
            .msg(3, new W().string(1, "s").msg(2, new W().varint(2, 0)))
            .varint(4, 1);
    byte[] rs =
        new W()
            .msg(1, resource)
            .msg(2, new W().msg(1, scope).msg(2, span).string(3, "https://schema/" + NON_ASCII))
            .msg(2, new W()) // an empty scope
            .string(3, "https://opentelemetry.io/schemas/1.26.0")
            .toBytes();
    ResourceSpans.Builder decoded = assertDecodesLikeProtobuf(rs);
    Span s = decoded.getScopeSpans(0).getSpans(0);
    assertThat(s.getName()).isEqualTo(NON_ASCII);
    assertThat(s.getAttributes(0).getValue().getStringValue()).isEqualTo(FOUR_BYTES);
  }

  @Test
  void explicitDefaultsAndEmptyMessagesAreKeptAsProtobufKeepsThem() {
    assertDecodesLikeProtobuf(new byte[0]);
    assertDecodesLikeProtobuf(new W().msg(1, new W()).msg(2, new W()).string(3, "").toBytes());
    assertDecodesLikeProtobuf(
        oneSpan(
            span(
                s ->
                    s.string(5, "")
                        .string(3, "")
                        .bytes(4, new byte[0])
                        .varint(6, 0)
                        .fixed64(7, 0)
                        .fixed64(8, 0)
                        .varint(10, 0)
                        .fixed32(16, 0)
                        .msg(15, new W().string(2, "").varint(3, 0))
                        .msg(9, new W().string(1, "").msg(2, new W().string(1, "")))
                        .msg(9, new W().string(1, "b").msg(2, new W().bytes(7, new byte[0])))
                        .msg(9, new W().string(1, "z").msg(2, new W().varint(3, 0))))));
    // An unrecognised enum value (kind 9, status code 7) is kept as its number.
    assertDecodesLikeProtobuf(
        oneSpan(span(s -> s.varint(6, 9).msg(15, new W().varint(3, 7)))));
  }

  @Test
  void repeatedSingularFieldsFollowProtobuf() {
    // Scalars and strings: the last wins. Messages: merged as the parser merges them, so a
    // second status that sets the message to "" explicitly clears it (a message merge would not).
    assertDecodesLikeProtobuf(
        oneSpan(
            span(
                s ->
                    s.string(5, "first")
                        .string(5, "second")
                        .varint(6, 1)
                        .varint(6, 2)
                        .msg(15, new W().string(2, "error").varint(3, 2))
                        .msg(15, new W().string(2, ""))
                        .bytes(1, traceId()))));
    W arrayA = new W().msg(1, new W().string(1, "a"));
    W arrayB = new W().msg(1, new W().varint(3, 2));
    assertDecodesLikeProtobuf(
        oneSpan(
            span(
                s ->
                    s.msg(
                            9,
                            new W()
                                .string(1, "k")
                                .msg(2, new W().msg(5, arrayA))
                                .msg(2, new W().msg(5, arrayB))
                                .string(1, "k2"))
                        // A value whose oneof switches kinds and back.
                        .msg(
                            9,
                            new W()
                                .string(1, "s")
                                .msg(
                                    2,
                                    new W()
                                        .msg(5, arrayA)
                                        .string(1, "x")
                                        .msg(5, arrayB)
                                        .msg(5, arrayA)
                                        .msg(6, new W().msg(1, new W().string(1, "q")))
                                        .msg(6, new W().msg(1, new W().string(1, "r"))))))));
    // Resource and scope twice.
    W res1 = new W().msg(1, new W().string(1, "a").msg(2, new W().string(1, "1"))).varint(2, 4);
    W res2 = new W().msg(1, new W().string(1, "b").msg(2, new W().string(1, "2")));
    W scope1 = new W().string(1, "s1").string(2, "v1");
    W scope2 = new W().string(2, "v2").msg(3, new W().string(1, "x"));
    assertDecodesLikeProtobuf(
        new W()
            .msg(1, res1)
            .msg(2, new W().msg(1, scope1).msg(2, span(s -> {})).msg(1, scope2))
            .msg(1, res2)
            .toBytes());
  }

  @Test
  void unknownFieldsAndFieldsOfAnotherWireTypeSurviveAtEveryLevel() {
    // Appends every kind of unknown field, and known field numbers with another wire type.
    Consumer<W> junk =
        w ->
            w.varint(99, 12345)
                .fixed64(98, -2)
                .fixed32(97, 7)
                .string(96, NON_ASCII)
                .group(95, new W().varint(1, 1).group(2, new W().string(3, "g")))
                .varint(1, 5) // field 1 as a varint: in every message here it is not one
                .fixed32(2, 9) // field 2 as fixed32: nowhere a fixed32
                .varint(99, 6); // the same unknown number again: both kept, in order
    W kv = new W().string(1, "k").msg(2, junked(new W().string(1, "v"), junk));
    W array = junked(new W().msg(1, junked(new W().varint(3, 1), junk)), junk);
    W kvlist = junked(new W().msg(1, junked(new W().string(1, "x"), junk)), junk);
    W span =
        span(
            s -> {
              s.string(5, "n")
                  .msg(9, junked(kv, junk))
                  .msg(9, new W().string(1, "a").msg(2, new W().msg(5, array)))
                  .msg(9, new W().string(1, "l").msg(2, new W().msg(6, kvlist)))
                  .msg(11, junked(new W().string(2, "event").msg(3, kv), junk))
                  .msg(13, junked(new W().bytes(1, traceId()).msg(4, kv), junk))
                  .msg(15, junked(new W().varint(3, 1), junk));
              junk.accept(s);
            });
    W resource =
        junked(
            new W()
                .msg(1, junked(kv, junk))
                .msg(3, junked(new W().string(1, "service"), junk)),
            junk);
    W scope = junked(new W().string(1, "scope").msg(3, kv), junk);
    W scopeSpans = junked(new W().msg(1, scope).msg(2, span), junk);
    byte[] rs = junked(new W().msg(1, resource).msg(2, scopeSpans), junk).toBytes();
    ResourceSpans.Builder decoded = assertDecodesLikeProtobuf(rs);
    assertThat(decoded.getUnknownFields().asMap()).containsKeys(1, 2, 95, 96, 97, 98, 99);
    assertThat(decoded.getUnknownFields().getField(99).getVarintList()).containsExactly(12345L, 6L);
    // Known fields with another wire type, one by one (each message's own numbers).
    assertDecodesLikeProtobuf(oneSpan(span(s -> s.varint(5, 3)))); // name as a varint
    assertDecodesLikeProtobuf(oneSpan(span(s -> s.fixed64(6, 3)))); // kind as fixed64
    assertDecodesLikeProtobuf(oneSpan(span(s -> s.string(7, "t")))); // start time as bytes
    assertDecodesLikeProtobuf(oneSpan(span(s -> s.varint(16, 1)))); // flags as a varint
    assertDecodesLikeProtobuf(
        oneSpan(span(s -> s.msg(9, new W().fixed32(1, 1).varint(2, 1))))); // key, value
    assertDecodesLikeProtobuf(
        oneSpan(span(s -> s.msg(9, new W().string(1, "k").msg(2, new W().varint(1, 1))))));
    assertDecodesLikeProtobuf(new W().fixed64(3, 1).varint(1, 1).toBytes()); // schema_url, resource
  }

  private static W junked(W w, Consumer<W> junk) {
    junk.accept(w);
    return w;
  }

  // --- strings stay bytes -----------------------------------------------------------------

  @Test
  void decodedStringsAreOwnUtf8CopiesThatStayBytesThroughEncoding() {
    String prompt = "You are a helpful assistant. 日本語 😀 " + "x".repeat(200);
    Span.Builder span =
        Spans.span("chat gpt-4o", java.util.Map.of())
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("gen_ai.prompt")
                    .setValue(AnyValue.newBuilder().setStringValue(prompt)))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("gen_ai.content.completion")
                    .addAttributes(
                        KeyValue.newBuilder()
                            .setKey("gen_ai.completion")
                            .setValue(AnyValue.newBuilder().setStringValue("COMPLETION-TEXT"))));
    byte[] bytes = Spans.request("svc", span).toByteArray();
    TraceBatch batch = TraceBatch.ofWire(WireScan.of(bytes));
    List<SpanRecord> spans = batch.spans(); // decodes
    byte[] before = batch.encode().bytes(); // re-encodes the decoded builders
    assertThat(before).isEqualTo(bytes);

    // The values hold UTF-8 (protobuf keeps a ByteString, not a String) ...
    SpanRecord record = spans.get(0);
    AnyValue value = record.attributes().get("gen_ai.prompt");
    AnyValue completion = record.events().get(0).attributes().get("gen_ai.completion");
    assertThat(StringForm.isBytes(value)).isTrue();
    assertThat(StringForm.isBytes(completion)).isTrue();
    // ... of their own: overwriting the received array changes none of them, so a decoded span
    // does not keep its whole request alive (which, aliased, made memory_limiter refuse more).
    java.util.Arrays.fill(bytes, (byte) 'Z');
    assertThat(value.getStringValueBytes().toStringUtf8()).isEqualTo(prompt);
    assertThat(completion.getStringValueBytes().toStringUtf8()).isEqualTo("COMPLETION-TEXT");
    assertThat(record.proto().getNameBytes().toStringUtf8()).isEqualTo("chat gpt-4o");
    assertThat(record.attributes().indexOf("gen_ai.prompt")).isNotNegative();
    // Encoding did not turn them into Strings.
    assertThat(batch.encode().bytes()).isEqualTo(before);
    assertThat(StringForm.isBytes(value)).isTrue();
    // Reading the value as a String gives the text (protobuf converts then).
    assertThat(value.getStringValue()).isEqualTo(prompt);
  }

  // --- writing the wire format by hand ----------------------------------------------------

  private static byte[] field(int number, byte[] content) {
    return new W().bytes(number, content).toBytes();
  }

  /** A protobuf message written field by field, in the order given. */
  private static final class W {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    W varint(int field, long value) {
      tag(field, 0);
      raw(value);
      return this;
    }

    W fixed64(int field, long value) {
      tag(field, 1);
      for (int i = 0; i < 8; i++) {
        out.write((int) (value >>> (8 * i)));
      }
      return this;
    }

    W fixed32(int field, int value) {
      tag(field, 5);
      for (int i = 0; i < 4; i++) {
        out.write(value >>> (8 * i));
      }
      return this;
    }

    W bytes(int field, byte[] value) {
      tag(field, 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    W string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    W msg(int field, W message) {
      return bytes(field, message.toBytes());
    }

    W group(int field, W body) {
      tag(field, 3);
      out.writeBytes(body.toBytes());
      tag(field, 4);
      return this;
    }

    private void tag(int field, int wireType) {
      raw(((long) field << 3) | wireType);
    }

    private void raw(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }
}
