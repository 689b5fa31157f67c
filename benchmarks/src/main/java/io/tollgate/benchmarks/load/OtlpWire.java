package io.tollgate.benchmarks.load;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A few facts read straight off OTLP trace bytes without building messages: how many spans a
 * request holds, and where its trace ids sit. The sink counts spans with it (decoding whole
 * requests would cost the sink more CPU than the collector spends on them), and the load tool
 * stamps fresh trace ids into pre-encoded requests with it. Its cost is also a useful floor: it is
 * roughly what a lazy wire-level decoder would pay for a span it forwards unchanged.
 */
public final class OtlpWire {

  // ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.scope_spans = 2;
  // ScopeSpans.spans = 2; Span.trace_id = 1.
  private static final int REQUEST_RESOURCE_SPANS = tag(1);
  private static final int RESOURCE_SCOPE_SPANS = tag(2);
  private static final int SCOPE_SPANS = tag(2);
  private static final int SPAN_TRACE_ID = tag(1);

  private OtlpWire() {}

  private static int tag(int field) {
    return (field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  /** Spans in an encoded {@code ExportTraceServiceRequest}. */
  public static int countSpans(byte[] request) {
    return countSpans(CodedInputStream.newInstance(request));
  }

  public static int countSpans(ByteBuffer request) {
    return countSpans(CodedInputStream.newInstance(request));
  }

  /** Spans in an encoded request read from {@code stream}; the stream is read to its end. */
  public static int countSpans(java.io.InputStream stream) {
    return countSpans(CodedInputStream.newInstance(stream, 64 * 1024));
  }

  private static int countSpans(CodedInputStream in) {
    try {
      int spans = 0;
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (t != REQUEST_RESOURCE_SPANS) {
          in.skipField(t);
          continue;
        }
        int rsLimit = in.pushLimit(in.readRawVarint32());
        for (int r = in.readTag(); r != 0; r = in.readTag()) {
          if (r != RESOURCE_SCOPE_SPANS) {
            in.skipField(r);
            continue;
          }
          int ssLimit = in.pushLimit(in.readRawVarint32());
          for (int s = in.readTag(); s != 0; s = in.readTag()) {
            if (s == SCOPE_SPANS) {
              spans++;
            }
            in.skipField(s);
          }
          in.popLimit(ssLimit);
        }
        in.popLimit(rsLimit);
      }
      return spans;
    } catch (IOException e) {
      throw new UncheckedIOException("not an OTLP trace request", e);
    }
  }

  /** Offsets of the 16 trace-id bytes of every span in an encoded request. */
  public static int[] traceIdOffsets(byte[] request) {
    CodedInputStream in = CodedInputStream.newInstance(request);
    int[] out = new int[64];
    int n = 0;
    try {
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (t != REQUEST_RESOURCE_SPANS) {
          in.skipField(t);
          continue;
        }
        int rsLimit = in.pushLimit(in.readRawVarint32());
        for (int r = in.readTag(); r != 0; r = in.readTag()) {
          if (r != RESOURCE_SCOPE_SPANS) {
            in.skipField(r);
            continue;
          }
          int ssLimit = in.pushLimit(in.readRawVarint32());
          for (int s = in.readTag(); s != 0; s = in.readTag()) {
            if (s != SCOPE_SPANS) {
              in.skipField(s);
              continue;
            }
            int spanLimit = in.pushLimit(in.readRawVarint32());
            for (int f = in.readTag(); f != 0; f = in.readTag()) {
              if (f == SPAN_TRACE_ID) {
                int len = in.readRawVarint32();
                if (len == 16) {
                  if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                  }
                  out[n++] = in.getTotalBytesRead();
                }
                in.skipRawBytes(len);
              } else {
                in.skipField(f);
              }
            }
            in.popLimit(spanLimit);
          }
          in.popLimit(ssLimit);
        }
        in.popLimit(rsLimit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not an OTLP trace request", e);
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Writes {@code generation} into bytes 8–11 of every trace id at {@code offsets}, so that a
   * request sent again carries new traces (a tail sampler would otherwise see one trace grow
   * forever). Spans of one trace keep sharing an id.
   */
  public static void stampTraceIds(byte[] request, int[] offsets, int generation) {
    for (int off : offsets) {
      request[off + 8] = (byte) (generation >>> 24);
      request[off + 9] = (byte) (generation >>> 16);
      request[off + 10] = (byte) (generation >>> 8);
      request[off + 11] = (byte) generation;
    }
  }
}
