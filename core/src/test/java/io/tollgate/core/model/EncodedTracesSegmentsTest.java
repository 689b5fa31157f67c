package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.testing.RandomTraces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A batch of received requests is encoded as ranges of the arrays they arrived in (no copy, no
 * array of the batch's size), and every way of reading the result gives the request protobuf
 * would encode.
 */
class EncodedTracesSegmentsTest {

  @Test
  void aBatchOfReceivedRequestsSharesTheirArrays() throws IOException {
    RandomTraces random = new RandomTraces(11, true).maxPromptWords(400);
    List<byte[]> received = new ArrayList<>();
    TraceBatch batch = TraceBatch.empty();
    ExportTraceServiceRequest.Builder merged = ExportTraceServiceRequest.newBuilder();
    for (int i = 0; i < 6; i++) {
      ExportTraceServiceRequest r = random.request(3, 5);
      byte[] bytes = r.toByteArray();
      received.add(bytes);
      batch.addAll(TraceBatch.ofWire(WireScan.of(bytes)));
      merged.addAllResourceSpans(r.getResourceSpansList());
    }

    EncodedTraces encoded = batch.encode();

    List<byte[]> arrays = new ArrayList<>();
    for (int i = 0; i < encoded.segmentCount(); i++) {
      // Unknown fields between a request's resource_spans break its range in two.
      if (arrays.isEmpty() || arrays.get(arrays.size() - 1) != encoded.segmentArray(i)) {
        arrays.add(encoded.segmentArray(i));
      }
    }
    assertThat(arrays).containsExactlyElementsOf(withParts(received));
    assertThat(encoded.spanCount()).isEqualTo(batch.spanCount());
    assertReadsAs(encoded, merged.build());
  }

  @Test
  void aBatchUsingLittleOfAnArrayCopiesItsPart() {
    RandomTraces random = new RandomTraces(12, true).maxPromptWords(400);
    ExportTraceServiceRequest.Builder r = ExportTraceServiceRequest.newBuilder();
    for (int i = 0; i < 8; i++) {
      r.addResourceSpans(random.resourceSpans(3));
    }
    byte[] bytes = r.build().toByteArray();
    TraceBatch whole = TraceBatch.ofWire(WireScan.of(bytes));
    // One resource of eight (as tail sampling holds one trace of a request): copied, so that the
    // encoded result does not keep the whole request alive.
    int firstSpans = r.getResourceSpans(0).getScopeSpansList().stream()
        .mapToInt(s -> s.getSpansCount())
        .sum();
    TraceBatch first = whole.split(firstSpans, 0).get(0);

    EncodedTraces encoded = first.encode();

    assertThat(2L * encoded.size()).isLessThan(bytes.length);
    assertThat(encoded.segmentCount()).isEqualTo(1);
    assertThat(encoded.segmentArray(0)).isNotSameAs(bytes);
    assertThat(encoded.bytes()).isEqualTo(first.toRequest().toByteArray());
  }

  @Test
  void changedPartsAreEncodedIntoArraysBelowTheHumongousSize() throws IOException {
    RandomTraces random = new RandomTraces(13, true).maxPromptWords(3000);
    ExportTraceServiceRequest.Builder expected = ExportTraceServiceRequest.newBuilder();
    TraceBatch batch = TraceBatch.empty();
    for (int i = 0; i < 30; i++) {
      ExportTraceServiceRequest r = random.request(3, 8);
      expected.addAllResourceSpans(r.getResourceSpansList());
      // Half of the requests received, half changed by a processor (decoded builders).
      batch.addAll(i % 2 == 0 ? TraceBatch.ofWire(WireScan.of(r.toByteArray())) : TraceBatch.of(r));
    }
    assertThat(batch.serializedSize()).isGreaterThan(4L * TraceBatch.COPY_ARRAY_MAX);

    EncodedTraces encoded = batch.encode();

    for (int i = 0; i < encoded.segmentCount(); i++) {
      byte[] array = encoded.segmentArray(i);
      boolean alone = isOneResourceSpans(array);
      assertThat(array.length <= TraceBatch.COPY_ARRAY_MAX || alone)
          .as("segment %d of %d bytes", i, array.length)
          .isTrue();
    }
    assertReadsAs(encoded, expected.build());
  }

  @Test
  void aWholeReceivedRequestIsItsOwnArray() {
    byte[] bytes = new RandomTraces(14, true).request(4, 4).toByteArray();

    EncodedTraces encoded = TraceBatch.ofWire(WireScan.of(bytes)).encode();

    assertThat(encoded.bytes()).isSameAs(bytes);
  }

  /** Every reading of {@code encoded} gives protobuf's encoding of {@code expected}. */
  private static void assertReadsAs(EncodedTraces encoded, ExportTraceServiceRequest expected)
      throws IOException {
    byte[] want = expected.toByteArray();
    assertThat(encoded.size()).isEqualTo(want.length);
    assertThat(encoded.bytes()).isEqualTo(want);
    assertThat(encoded.request()).isEqualTo(expected);

    ByteArrayOutputStream written = new ByteArrayOutputStream();
    encoded.writeTo(written);
    assertThat(written.toByteArray()).isEqualTo(want);

    ByteArrayOutputStream transferred = new ByteArrayOutputStream();
    InputStream in = encoded.inputStream();
    assertThat(in.transferTo(transferred)).isEqualTo(want.length);
    assertThat(transferred.toByteArray()).isEqualTo(want);
    assertThat(in.read()).isEqualTo(-1);

    // Mixed single bytes, odd-sized reads and skips, across segment boundaries.
    SplittableRandom steps = new SplittableRandom(want.length);
    in = encoded.inputStream();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < want.length) {
      assertThat(in.available()).isEqualTo(want.length - pos);
      int kind = steps.nextInt(3);
      if (kind == 0) {
        int b = in.read();
        assertThat(b).isEqualTo(want[pos] & 0xff);
        read.write(b);
        pos++;
      } else if (kind == 1) {
        byte[] buf = new byte[1 + steps.nextInt(70_000)];
        int n = in.read(buf, 0, buf.length);
        assertThat(n).isPositive();
        read.write(buf, 0, n);
        pos += n;
      } else {
        int n = (int) in.skip(1 + steps.nextInt(50_000));
        read.write(want, pos, n);
        pos += n;
      }
    }
    assertThat(read.toByteArray()).isEqualTo(want);
    assertThat(in.available()).isZero();
    assertThat(in.read(new byte[8], 0, 8)).isEqualTo(-1);
    assertThat(in.skip(5)).isZero();
  }

  private static boolean isOneResourceSpans(byte[] array) {
    return TracesWireScanner.partsOfEncoded(array).length == 1;
  }

  private static List<byte[]> withParts(List<byte[]> arrays) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] a : arrays) {
      if (WireScan.of(a).partCount > 0) {
        out.add(a);
      }
    }
    return out;
  }
}
