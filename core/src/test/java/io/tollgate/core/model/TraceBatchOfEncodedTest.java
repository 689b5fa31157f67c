package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.testing.RandomTraces;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch over bytes this process encoded: stays encoded, counts right, decodes to the same. */
class TraceBatchOfEncodedTest {

  @Test
  void encodedBatchesRoundTripWithoutDecoding() {
    RandomTraces random = new RandomTraces(23, true);
    for (int i = 0; i < 50; i++) {
      ExportTraceServiceRequest r = random.request(1 + i % 4, 1 + i % 7);
      TraceBatch decoded = TraceBatch.of(r);
      EncodedTraces encoded = decoded.encode();

      TraceBatch batch = TraceBatch.ofEncoded(encoded);

      assertThat(batch.isDecoded()).isEqualTo(r.getResourceSpansCount() == 0);
      assertThat(batch.spanCount()).isEqualTo(decoded.spanCount());
      assertThat(batch.serializedSize()).isEqualTo(encoded.size());
      // Forwarded as bytes: the very same array, no copy.
      assertThat(batch.encode().bytes()).isSameAs(encoded.bytes());
      assertThat(batch.isDecoded()).isEqualTo(r.getResourceSpansCount() == 0);
      // Split on the wire as the batch processor does: the same pieces as a scanned batch gives.
      List<TraceBatch> pieces = batch.split(2);
      List<TraceBatch> expected = TraceBatch.ofWire(WireScan.of(encoded.bytes())).split(2);
      assertThat(pieces).hasSameSizeAs(expected);
      for (int p = 0; p < pieces.size(); p++) {
        assertThat(pieces.get(p).toRequest()).isEqualTo(expected.get(p).toRequest());
      }
      assertThat(batch.toRequest()).isEqualTo(r);
    }
  }

  @Test
  void partsAreThePartsOfTheEncodedRequest() {
    RandomTraces random = new RandomTraces(5, true);
    ExportTraceServiceRequest r = random.request(9, 3);
    byte[] bytes = TraceBatch.of(r).encode().bytes();

    WirePart[] parts = TracesWireScanner.partsOfEncoded(bytes);
    WireScan scan = WireScan.of(bytes);

    assertThat(parts).hasSize(scan.resourceSpansCount());
    int[] expected = Arrays.copyOf(scan.parts, scan.partCount * WireScan.PART_INTS);
    int[] actual = new int[parts.length * WireScan.PART_INTS];
    for (int i = 0; i < parts.length; i++) {
      actual[i * 4] = parts[i].frameStart;
      actual[i * 4 + 1] = parts[i].offset;
      actual[i * 4 + 2] = parts[i].length;
      actual[i * 4 + 3] = parts[i].spanCount;
    }
    assertThat(actual).isEqualTo(expected);
  }
}
