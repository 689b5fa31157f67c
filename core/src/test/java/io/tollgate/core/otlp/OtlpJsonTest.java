package io.tollgate.core.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.Ids;
import io.tollgate.core.testing.Spans;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {

  @Test
  void decodesTheSpecExampleWithHexIdsIntegerEnumsAndUnknownFields() throws Exception {
    String json =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
            + "\"value\":{\"stringValue\":\"my.service\"}}]},\"scopeSpans\":[{\"scope\":"
            + "{\"name\":\"my.library\",\"version\":\"1.0.0\"},\"spans\":[{\"traceId\":"
            + "\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"EEE19B7EC3C1B174\","
            + "\"parentSpanId\":\"EEE19B7EC3C1B173\",\"name\":\"chat gpt-4o\","
            + "\"startTimeUnixNano\":\"1544712660000000000\",\"endTimeUnixNano\":1544712661000000000,"
            + "\"kind\":3,\"someFutureField\":{\"x\":1},\"status\":{\"code\":2},"
            + "\"attributes\":[{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"42\"}}]}]}]}]}";

    ExportTraceServiceRequest req = OtlpJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8));

    Span span = req.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(Ids.toHex(span.getTraceId())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(Ids.toHex(span.getSpanId())).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
    assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(42);
  }

  @Test
  void roundTripsAndWritesHexIds() throws Exception {
    ExportTraceServiceRequest req =
        Spans.request("svc", Spans.span("s", Map.of("a", "b", "n", 3L, "d", 1.5, "f", true)));
    String json = OtlpJson.encodeRequest(req);

    String traceHex = Ids.toHex(req.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId());
    assertThat(json).contains("\"traceId\":\"" + traceHex + "\"").contains("\"kind\":3");
    assertThat(OtlpJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(req);
  }

  @Test
  void anIdThatIsNotHexFailsTheRequestNamingTheFieldAndTheSpan() {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
            + "{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"0102030405060708\"},"
            + "{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"01020304050607zz\"}"
            + "]}]}]}";
    assertThatThrownBy(() -> OtlpJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageStartingWith(
            "resourceSpans[0].scopeSpans[0].spans[1].spanId is not hex: \"01020304050607zz\" has"
                + " 'z' at 14")
        .hasMessageContaining("span ids 16")
        .hasMessageNotContaining("length");
  }

  @Test
  void base64IdsAreRecognisedAsSuch() {
    // What protobuf's own JsonFormat writes for a 16-byte id, in the proto field names.
    String json =
        "{\"resource_spans\":[{\"scope_spans\":[{\"spans\":[{\"trace_id\":"
            + "\"AQIDBAUGBwgJCgsMDQ4PEA==\",\"span_id\":\"AQIDBAUGBwg=\"}]}]}]}";
    assertThatThrownBy(() -> OtlpJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageStartingWith(
            "resource_spans[0].scope_spans[0].spans[0].trace_id is not hex:"
                + " \"AQIDBAUGBwgJCgsMDQ4PEA==\" has 'Q' at 1")
        .hasMessageContaining("looks like base64");
  }

  @Test
  void notHexInALinkOrAParentIdIsNamedToo() {
    String span =
        "{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"0102030405060708\",";
    assertThatThrownBy(
            () ->
                OtlpJson.decodeRequest(
                    ("{\"resourceSpans\":[{},{\"scopeSpans\":[{},{\"spans\":["
                            + span
                            + "\"links\":[{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\","
                            + "\"spanId\":\"0102030405060708\"},{\"traceId\":\"abc\"}]}]}]}]}")
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageStartingWith(
            "resourceSpans[1].scopeSpans[1].spans[0].links[1].traceId is not hex: \"abc\" has an"
                + " odd number of digits (3)");
    assertThatThrownBy(
            () ->
                OtlpJson.decodeRequest(
                    ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
                            + span
                            + "\"parentSpanId\":\"01020304 5060708\"}]}]}]}")
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith(
            "resourceSpans[0].scopeSpans[0].spans[0].parentSpanId is not hex: \"01020304 5060708\""
                + " has ' ' at 8");
  }

  @Test
  void hexOfTheWrongLengthDecodesToItsBytes() throws Exception {
    // The receiver rejects such a span on its own (partial success); the request is not failed.
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0A0b\","
            + "\"spanId\":\"0102030405060708\",\"parentSpanId\":\"\"}]}]}]}";
    Span span =
        OtlpJson.decodeRequest(json.getBytes(StandardCharsets.UTF_8))
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    assertThat(span.getTraceId().toByteArray()).containsExactly(0x0a, 0x0b);
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
  }

  @Test
  void malformedJsonIsRejectedWithAReason() {
    assertThatThrownBy(() -> OtlpJson.decodeRequest("{\"resourceSpans\": [".getBytes()))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> OtlpJson.decodeRequest("[1,2]".getBytes()))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("resourceSpans");
    assertThatThrownBy(
            () -> OtlpJson.decodeRequest("{\"resourceSpans\":[{\"scopeSpans\":7}]}".getBytes()))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }
}
