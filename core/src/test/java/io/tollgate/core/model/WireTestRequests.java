package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared by the tests of encoded ("wire") batches: build a batch from request bytes, and take a
 * request apart into what a correct batch must keep, both as protobuf objects and as raw bytes.
 */
final class WireTestRequests {

  private WireTestRequests() {}

  /** A batch made from the request's bytes; fails the test if the scan does not accept them. */
  static TraceBatch wire(ExportTraceServiceRequest r) {
    WireScan scan = WireScan.of(r.toByteArray());
    assertThat(scan.verdict()).isEqualTo(WireScan.Verdict.VALID);
    return TraceBatch.ofWire(scan);
  }

  /** One entry per span, in order: the span and its resource and scope, as protobuf objects. */
  record Placed(ResourceSpans resource, ScopeSpans scope, Span span) {}

  static List<Placed> placed(ExportTraceServiceRequest r) {
    List<Placed> out = new ArrayList<>();
    for (ResourceSpans rs : r.getResourceSpansList()) {
      ResourceSpans bare = rs.toBuilder().clearScopeSpans().build();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans bareScope = ss.toBuilder().clearSpans().build();
        for (Span s : ss.getSpansList()) {
          out.add(new Placed(bare, bareScope, s));
        }
      }
    }
    return out;
  }

  /** The raw bytes of every span in an encoded request, in order. */
  static List<ByteString> rawSpans(byte[] request) throws IOException {
    List<ByteString> out = new ArrayList<>();
    CodedInputStream req = CodedInputStream.newInstance(request);
    for (int t = req.readTag(); t != 0; t = req.readTag()) {
      CodedInputStream rs = CodedInputStream.newInstance(req.readByteArray());
      for (int u = rs.readTag(); u != 0; u = rs.readTag()) {
        if (u != 18) {
          rs.skipField(u);
          continue;
        }
        CodedInputStream ss = CodedInputStream.newInstance(rs.readByteArray());
        for (int v = ss.readTag(); v != 0; v = ss.readTag()) {
          if (v == 18) {
            out.add(ss.readBytes());
          } else {
            ss.skipField(v);
          }
        }
      }
    }
    return out;
  }
}
