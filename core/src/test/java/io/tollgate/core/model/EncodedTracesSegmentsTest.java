package io.tollgate.core.model;

import static io.tollgate.core.model.WireTestRequests.wire;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.testing.RandomTraces;
import io.tollgate.core.testing.Spans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A batch merged from several requests encodes to segments that stay in the received arrays, and
 * every way of reading the encoding (one array, a write, a stream read in any pattern) gives the
 * same bytes: the requests' resource_spans one after another.
 */
class EncodedTracesSegmentsTest {

  private final RandomTraces random = new RandomTraces(31, true);

  @Test
  void aBatchThatIsOneRequestIsThatArray() throws IOException {
    byte[] a = random.request(2, 3).toByteArray();
    EncodedTraces e = TraceBatch.ofWire(WireScan.of(a)).encode();

    assertThat(e.segmentCount()).isEqualTo(1);
    assertThat(e.bytes()).isSameAs(a);
    assertThat(e.size()).isEqualTo(a.length);
    assertThat(readAll(e.newInputStream(), 7)).isEqualTo(a);
  }

  @Test
  void mergedRequestsAreSegmentsNotACopy() throws IOException {
    ExportTraceServiceRequest r1 = random.request(2, 4);
    ExportTraceServiceRequest r2 = random.request(3, 2);
    ExportTraceServiceRequest r3 = random.request(1, 5);
    TraceBatch batch = wire(r1);
    batch.addAll(wire(r2));
    batch.addAll(wire(r3));
    byte[] expected = concat(r1.toByteArray(), r2.toByteArray(), r3.toByteArray());

    EncodedTraces e = batch.encode();

    // One segment per request: the parts of each request follow each other in its array.
    assertThat(e.segmentCount()).isEqualTo(3);
    assertThat(e.size()).isEqualTo(expected.length);
    assertThat(written(e)).isEqualTo(expected);
    assertThat(readAll(e.newInputStream(), 1)).isEqualTo(expected);
    assertThat(readAll(e.newInputStream(), 5)).isEqualTo(expected);
    assertThat(readAll(e.newInputStream(), 1 << 20)).isEqualTo(expected);
    assertThat(e.bytes()).isEqualTo(expected);
    assertThat(e.bytes()).isSameAs(e.bytes()); // joined once
    assertThat(e.request()).isEqualTo(ExportTraceServiceRequest.parseFrom(expected));
    assertThat(e.spanCount()).isEqualTo(batch.spanCount());
    assertThat(e.toString()).contains("segments=3");
    assertThat(batch.isDecoded()).isFalse();
  }

  @Test
  void decodedPartsBetweenEncodedOnesKeepTheirPlace() throws IOException {
    ExportTraceServiceRequest r1 = random.request(2, 3);
    ExportTraceServiceRequest decoded1 =
        Spans.request("svc-a", Spans.span("a", Map.of("k", "v")));
    ExportTraceServiceRequest decoded2 = random.request(2, 2);
    ExportTraceServiceRequest r2 = random.request(1, 3);
    TraceBatch batch = wire(r1);
    batch.addAll(TraceBatch.of(decoded1));
    batch.addAll(TraceBatch.of(decoded2));
    batch.addAll(wire(r2));

    EncodedTraces e = batch.encode();

    // The run of two decoded parts is encoded into one array between the two received ones.
    assertThat(e.segmentCount()).isEqualTo(3);
    assertThat(written(e))
        .isEqualTo(
            concat(
                r1.toByteArray(),
                decoded1.toByteArray(),
                decoded2.toByteArray(),
                r2.toByteArray()));
    assertThat(e.bytes()).isEqualTo(written(e));
    assertThat(e.size()).isEqualTo((int) batch.serializedSize());
  }

  @Test
  void aStreamCanBeSkippedAndThenDrained() throws IOException {
    ExportTraceServiceRequest r1 = random.request(2, 3);
    ExportTraceServiceRequest r2 = random.request(2, 3);
    TraceBatch batch = wire(r1);
    batch.addAll(wire(r2));
    EncodedTraces e = batch.encode();
    byte[] expected = e.bytes();
    int cut = r1.getSerializedSize() - 3; // inside the first segment, near its end

    InputStream in = e.newInputStream();
    assertThat(in.available()).isEqualTo(expected.length);
    byte[] head = new byte[5];
    assertThat(in.read(head, 0, 5)).isEqualTo(5);
    assertThat(in.skip(cut - 5)).isEqualTo(cut - 5);
    assertThat(in.read()).isEqualTo(expected[cut] & 0xff);
    assertThat(in.available()).isEqualTo(expected.length - cut - 1);
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    assertThat(in.transferTo(rest)).isEqualTo(expected.length - cut - 1);

    byte[] tail = rest.toByteArray();
    assertThat(tail)
        .isEqualTo(java.util.Arrays.copyOfRange(expected, cut + 1, expected.length));
    assertThat(in.available()).isZero();
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read(head, 0, 5)).isEqualTo(-1);
    assertThat(in.skip(10)).isZero();
  }

  @Test
  void storedAndEmptyEncodingsStream() throws IOException {
    assertThat(readAll(EncodedTraces.empty().newInputStream(), 3)).isEmpty();
    assertThat(EncodedTraces.empty().segmentCount()).isEqualTo(1);
    byte[] a = random.request(1, 2).toByteArray();
    assertThat(written(EncodedTraces.ofStored(a, 2))).isEqualTo(a);
  }

  private static byte[] written(EncodedTraces e) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    e.writeTo(out);
    return out.toByteArray();
  }

  /** Reads {@code in} to its end in reads of at most {@code chunk} bytes (1: byte by byte). */
  private static byte[] readAll(InputStream in, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[chunk];
    while (true) {
      if (chunk == 1) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        out.write(b);
      } else {
        int n = in.read(buf, 0, chunk);
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
      }
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... arrays) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] a : arrays) {
      out.writeBytes(a);
    }
    return out.toByteArray();
  }
}
