package io.tollgate.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tollgate.core.otlp.OtlpJson;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code POST /v1/traces}: OTLP/protobuf or OTLP/JSON, plain or gzip/deflate/zstd. Headers are
 * checked on the event loop; decompression, decoding and the pipeline run on the workers.
 */
final class TracesHttpHandler implements HttpHandler {

  private final ExportService service;
  private final Executor workers;
  private final int maxBodyBytes;
  private final String sizeKey;

  /**
   * @param sizeKey the config key of the size limit, for messages
   */
  TracesHttpHandler(ExportService service, Executor workers, int maxBodyBytes, String sizeKey) {
    this.service = service;
    this.workers = workers;
    this.maxBodyBytes = maxBodyBytes;
    this.sizeKey = sizeKey;
  }

  @Override
  public FullHttpResponse checkHead(HttpRequest head) {
    String contentType = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
    WireFormat format = WireFormat.fromContentType(contentType);
    if (format == null) {
      service.malformed(Transport.HTTP);
      return HttpResponses.error(
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          Code.INVALID_ARGUMENT,
          (contentType == null
                  ? "the request has no Content-Type"
                  : "Content-Type \"" + contentType + "\" is not supported")
              + "; send application/x-protobuf (OTLP/protobuf) or application/json (OTLP/JSON)",
          WireFormat.JSON);
    }
    String encoding = head.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    if (RequestBodies.Encoding.fromHeader(encoding) == null) {
      service.malformed(Transport.HTTP);
      return HttpResponses.error(
          HttpResponseStatus.BAD_REQUEST,
          Code.INVALID_ARGUMENT,
          "Content-Encoding \""
              + encoding
              + "\" is not supported; use "
              + RequestBodies.Encoding.SUPPORTED,
          format);
    }
    return null;
  }

  @Override
  public CompletionStage<FullHttpResponse> handle(
      FullHttpRequest request, Map<String, String> pathParams) {
    // checkHead has vetted both headers.
    WireFormat format =
        WireFormat.fromContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    RequestBodies.Encoding encoding =
        RequestBodies.Encoding.fromHeader(request.headers().get(HttpHeaderNames.CONTENT_ENCODING));
    CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
    try {
      workers.execute(() -> export(request, format, encoding, answer));
    } catch (RejectedExecutionException e) {
      request.release();
      answer.complete(
          HttpResponses.failure(
              ExportFailure.unavailable("the collector is shutting down; retry later."), format));
    }
    return answer;
  }

  private void export(
      FullHttpRequest request,
      WireFormat format,
      RequestBodies.Encoding encoding,
      CompletableFuture<FullHttpResponse> answer) {
    ReceivedTraces decoded;
    try {
      decoded = decode(request.content(), format, encoding);
    } catch (RequestBodies.TooLargeException e) {
      service.malformed(Transport.HTTP);
      answer.complete(
          HttpResponses.failure(
              ExportFailure.tooLarge(
                  "the request body is larger than "
                      + new io.tollgate.core.component.ByteSize(maxBodyBytes)
                      + " once decompressed. Send smaller batches (e.g. a smaller max export batch"
                      + " size in the SDK) or raise "
                      + sizeKey
                      + "."),
              format));
      return;
    } catch (MalformedBody e) {
      service.malformed(Transport.HTTP);
      answer.complete(HttpResponses.failure(ExportFailure.badRequest(e.getMessage()), format));
      return;
    } catch (RuntimeException e) {
      service.malformed(Transport.HTTP);
      answer.completeExceptionally(e);
      return;
    } finally {
      request.release();
    }
    try {
      service
          .export(decoded, Transport.HTTP)
          .thenAccept(
              outcome ->
                  answer.complete(
                      outcome.failure() == null
                          ? HttpResponses.ok(outcome.response(), format)
                          : HttpResponses.failure(outcome.failure(), format)));
    } catch (RuntimeException e) {
      answer.completeExceptionally(e); // a 500, rather than a client left waiting
    }
  }

  /**
   * Protobuf bodies are copied out of Netty's buffer once and scanned: a valid one goes down the
   * pipeline as those bytes ({@link ReceivedTraces#fromProtobuf}); JSON is decoded.
   */
  private ReceivedTraces decode(ByteBuf content, WireFormat format, RequestBodies.Encoding encoding)
      throws RequestBodies.TooLargeException, MalformedBody {
    try {
      if (encoding == RequestBodies.Encoding.IDENTITY) {
        byte[] bytes = ByteBufUtil.getBytes(content);
        if (format == WireFormat.PROTOBUF) {
          return ReceivedTraces.fromProtobuf(bytes, 0, bytes.length);
        }
        return ReceivedTraces.of(OtlpJson.decodeRequest(bytes));
      }
      RequestBodies.Body body;
      try {
        body = RequestBodies.decompress(content, encoding, maxBodyBytes);
      } catch (IOException e) {
        String name = encoding.name().toLowerCase(java.util.Locale.ROOT);
        throw new MalformedBody(
            "the body is not valid "
                + name
                + " ("
                + e.getMessage()
                + "); compress it with "
                + name
                + " or send it without a Content-Encoding header");
      }
      if (format == WireFormat.PROTOBUF) {
        // The batch keeps the array until export: do not keep much more than the body with it.
        byte[] bytes =
            body.bytes().length - body.length() > body.length() / 8 ? body.exact() : body.bytes();
        return ReceivedTraces.fromProtobuf(bytes, 0, body.length());
      }
      return ReceivedTraces.of(OtlpJson.decodeRequest(body.exact()));
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedBody(
          format == WireFormat.PROTOBUF
              ? "the body is not a valid OTLP/protobuf ExportTraceServiceRequest ("
                  + e.getMessage()
                  + "). If it is OTLP/JSON, send Content-Type: application/json; do not resend"
                  + " this body as it is."
              : "the body is not valid OTLP/JSON ("
                  + e.getMessage()
                  + "). Send an ExportTraceServiceRequest as OTLP/JSON (resourceSpans, hex ids);"
                  + " do not resend this body as it is.");
    } catch (IOException e) {
      // Reading a ByteBuf does not fail; a parser's own IOException is a malformed body.
      throw new MalformedBody("the body could not be read (" + e.getMessage() + ")");
    }
  }

  /** The body cannot be decoded; the message says why and what to do. */
  private static final class MalformedBody extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedBody(String message) {
      super(message, null, false, false);
    }
  }
}
