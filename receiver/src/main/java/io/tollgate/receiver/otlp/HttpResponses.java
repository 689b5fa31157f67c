package io.tollgate.receiver.otlp;

import com.google.rpc.Code;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/** Builds the HTTP server's answers. Error bodies are {@code google.rpc.Status}, as OTLP says. */
final class HttpResponses {

  private HttpResponses() {}

  static FullHttpResponse ok(ExportTraceServiceResponse response, WireFormat format) {
    return body(HttpResponseStatus.OK, format, format.encode(response));
  }

  /** The answer to a failed export, with {@code Retry-After} when the sender should wait. */
  static FullHttpResponse failure(ExportFailure failure, WireFormat format) {
    FullHttpResponse r =
        body(
            HttpResponseStatus.valueOf(failure.kind().httpStatus),
            format,
            format.encode(failure.toStatus()));
    if (failure.retryAfter() != null) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, ExportFailure.seconds(failure.retryAfter()));
    }
    return r;
  }

  /** An error outside the export itself (unknown path, wrong method, …). */
  static FullHttpResponse error(
      HttpResponseStatus status, Code code, String message, WireFormat format) {
    com.google.rpc.Status s =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    return body(status, format, format.encode(s));
  }

  static FullHttpResponse empty(HttpResponseStatus status) {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
  }

  private static FullHttpResponse body(HttpResponseStatus status, WireFormat format, byte[] bytes) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, format.mediaType());
    return r;
  }
}
