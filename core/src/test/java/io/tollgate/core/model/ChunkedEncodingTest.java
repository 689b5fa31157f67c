package io.tollgate.core.model;

import static io.tollgate.core.model.WireTestRequests.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tollgate.core.testing.RandomTraces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A batch larger than one chunk is encoded into chunks of at most {@link
 * EncodedTraces#CHUNK_BYTES} (no array large enough to be a humongous G1 object), which together
 * are exactly protobuf's encoding of the same request.
 */
class ChunkedEncodingTest {

  @Test
  void largeDecodedBatchIsChunkedAndExactlyProtobufsEncoding() throws IOException {
    RandomTraces random = new RandomTraces(5, true).maxPromptWords(2000);
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    while (request.build().getSerializedSize() < 3 * EncodedTraces.CHUNK_BYTES + 1000) {
      request.addResourceSpans(random.resourceSpans(8));
    }
    ExportTraceServiceRequest r = request.build();

    EncodedTraces encoded = TraceBatch.of(r).encode();

    assertChunked(encoded, r.toByteArray());
    assertThat(encoded.spanCount()).isEqualTo(spans(r));
    assertThat(encoded.request()).isEqualTo(r);
  }

  @Test
  void mixOfEncodedAndDecodedPartsKeepsEveryByteInOrder() throws IOException {
    RandomTraces random = new RandomTraces(8, true).maxPromptWords(2000);
    ExportTraceServiceRequest.Builder all = ExportTraceServiceRequest.newBuilder();
    TraceBatch batch = TraceBatch.empty();
    for (int i = 0; batch.serializedSize() < 2 * EncodedTraces.CHUNK_BYTES + 77; i++) {
      ExportTraceServiceRequest piece =
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(random.resourceSpans(6))
              .addResourceSpans(random.resourceSpans(6))
              .build();
      // Every other piece stays bytes on the wire (unknown fields and all), the rest is decoded.
      batch.addAll(i % 2 == 0 ? wire(piece) : TraceBatch.of(piece));
      all.addAllResourceSpans(piece.getResourceSpansList());
    }
    assertThat(batch.isDecoded()).isFalse();

    EncodedTraces encoded = batch.encode();

    assertChunked(encoded, all.build().toByteArray());
  }

  @Test
  void batchOfExactlyOneChunkStaysOneArray() {
    RandomTraces random = new RandomTraces(3, false);
    ResourceSpans rs = random.resourceSpans(3);
    EncodedTraces encoded =
        TraceBatch.of(ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build()).encode();
    assertThat(encoded.chunkCount()).isEqualTo(1);
    assertThat(encoded.chunk(0)).isSameAs(encoded.bytes());
  }

  @Test
  void chunkedOutputHoldsExactlyWhatWasAnnounced() {
    ChunkedOutput out = new ChunkedOutput(10, 4);
    out.write(new byte[] {1, 2, 3, 4, 5, 6, 7}, 0, 7);
    out.write(8);
    assertThatThrownBy(out::finish).hasMessageContaining("8 bytes written, 10 announced");
    out.write(new byte[] {9, 10}, 0, 2);
    byte[][] chunks = out.finish();
    assertThat(chunks).hasNumberOfRows(3);
    assertThat(chunks[0]).containsExactly(1, 2, 3, 4);
    assertThat(chunks[1]).containsExactly(5, 6, 7, 8);
    assertThat(chunks[2]).containsExactly(9, 10);
    assertThatThrownBy(() -> out.write(11)).hasMessageContaining("more than the 10 bytes");
  }

  private static void assertChunked(EncodedTraces encoded, byte[] expected) throws IOException {
    assertThat(encoded.size()).isEqualTo(expected.length);
    assertThat(encoded.chunkCount())
        .isEqualTo((expected.length + EncodedTraces.CHUNK_BYTES - 1) / EncodedTraces.CHUNK_BYTES);
    for (int i = 0; i < encoded.chunkCount() - 1; i++) {
      assertThat(encoded.chunk(i)).hasSize(EncodedTraces.CHUNK_BYTES);
    }
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    encoded.writeTo(written);
    assertThat(written.toByteArray()).isEqualTo(expected);
    assertThat(encoded.bytes()).isEqualTo(expected);
    assertThat(encoded.bytes()).isSameAs(encoded.bytes()); // joined once, kept for retries
  }

  private static int spans(ExportTraceServiceRequest r) {
    return r.getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .mapToInt(ss -> ss.getSpansCount())
        .sum();
  }
}
