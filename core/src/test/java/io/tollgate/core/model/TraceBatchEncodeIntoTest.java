package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.testing.RandomTraces;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Encoding into a caller's region: the bytes {@link TraceBatch#encode()} makes, where asked. */
class TraceBatchEncodeIntoTest {

  private record Region(byte[] array, int offset) implements ByteRegion {}

  @Test
  void writesTheSameBytesAsEncodeAtTheGivenOffset() {
    RandomTraces random = new RandomTraces(31, true);
    byte[] slab = new byte[1 << 20];
    int at = 7;
    for (int i = 0; i < 40; i++) {
      ExportTraceServiceRequest r = random.request(1 + i % 3, 1 + i % 5);
      TraceBatch batch = TraceBatch.of(r);
      byte[] expected = batch.encode().bytes();
      int[] asked = {-1};
      int start = at;

      EncodedTraces e =
          batch.encodeInto(
              size -> {
                asked[0] = size;
                return new Region(slab, start);
              });

      assertThat(asked[0]).isEqualTo(expected.length);
      assertThat(Arrays.copyOfRange(slab, start, start + expected.length)).isEqualTo(expected);
      assertThat(e.size()).isEqualTo(expected.length);
      assertThat(e.spanCount()).isEqualTo(batch.spanCount());
      assertThat(e.segmentArray(0)).isSameAs(slab);
      assertThat(e.bytes()).isEqualTo(expected);
      assertThat(e.request()).isEqualTo(r);
      at += expected.length;
    }
  }

  @Test
  void encodedPartsAreCopiedIntoTheRegionSoNoReceivedArrayIsKept() {
    ExportTraceServiceRequest r = new RandomTraces(3, true).request(4, 3);
    byte[] received = r.toByteArray();
    TraceBatch wire = TraceBatch.ofWire(WireScan.of(received));
    byte[] slab = new byte[received.length + 100];

    EncodedTraces e = wire.encodeInto(size -> new Region(slab, 100));

    assertThat(wire.isDecoded()).isFalse();
    assertThat(e.segmentCount()).isEqualTo(1);
    assertThat(e.segmentArray(0)).isSameAs(slab);
    assertThat(e.bytes()).isEqualTo(received);
  }

  @Test
  void noRegionMeansAnArrayOfItsOwn() {
    TraceBatch batch = TraceBatch.of(new RandomTraces(4, true).request(2, 2));

    EncodedTraces e = batch.encodeInto(size -> null);

    assertThat(e.segmentCount()).isEqualTo(1);
    assertThat(e.bytes()).isEqualTo(batch.encode().bytes()).isSameAs(e.segmentArray(0));
  }

  @Test
  void anEmptyBatchDoesNotAskForRoom() {
    EncodedTraces e =
        TraceBatch.empty()
            .encodeInto(
                size -> {
                  throw new AssertionError("asked for " + size + " bytes");
                });

    assertThat(e.size()).isZero();
    assertThat(e.spanCount()).isZero();
  }

  @Test
  void aRegionWithoutRoomIsRefusedBeforeAnythingIsWritten() {
    TraceBatch batch = TraceBatch.of(new RandomTraces(5, true).request(2, 2));
    byte[] small = new byte[(int) batch.serializedSize() - 1];

    assertThatThrownBy(() -> batch.encodeInto(size -> new Region(small, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no room");
    assertThat(small).containsOnly(0);
  }
}
