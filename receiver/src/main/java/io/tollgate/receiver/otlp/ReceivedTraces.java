package io.tollgate.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.exporterhelper.RateLimitedLog;
import io.tollgate.core.model.WireScan;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request as it came in: either still bytes that the wire scan accepted (the fast path: the
 * pipeline gets them without a protobuf object being built), or a decoded message (OTLP/JSON, and
 * protobuf requests with invalid span ids, which need the partial-success answer). Exactly one is
 * set.
 */
record ReceivedTraces(WireScan scan, ExportTraceServiceRequest request) {

  private static final Logger log = LoggerFactory.getLogger(ReceivedTraces.class);
  private static final RateLimitedLog disagreement = new RateLimitedLog(log, Duration.ofMinutes(1));

  static ReceivedTraces of(ExportTraceServiceRequest request) {
    return new ReceivedTraces(null, request);
  }

  /**
   * Reads an OTLP/protobuf {@code ExportTraceServiceRequest} from {@code bytes[offset, offset +
   * length)}, which must not change afterwards: a valid request stays bytes; one with invalid span
   * ids is decoded (the receiver must find and drop those spans); one the scan refuses is parsed by
   * protobuf-java, whose exception says what is wrong.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a valid request
   */
  static ReceivedTraces fromProtobuf(byte[] bytes, int offset, int length)
      throws InvalidProtocolBufferException {
    WireScan scan = WireScan.of(bytes, offset, length);
    if (scan.verdict() == WireScan.Verdict.VALID) {
      return new ReceivedTraces(scan, null);
    }
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.parser().parseFrom(bytes, offset, length);
    if (scan.verdict() == WireScan.Verdict.MALFORMED) {
      // The scan follows protobuf-java's rules and is tested against it; should they ever differ,
      // protobuf decides, and the request is served through the decoding path.
      disagreement.warn(
          "The OTLP wire scan refused a request of {} bytes that protobuf-java accepts; it was"
              + " decoded instead. Please report this with the request if you can.",
          length);
    }
    return of(request);
  }
}
