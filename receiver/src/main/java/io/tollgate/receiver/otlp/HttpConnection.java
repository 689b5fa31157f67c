package io.tollgate.receiver.otlp;

import com.google.rpc.Code;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection: routes each request on its head, refuses early what cannot succeed
 * (without buffering its body), gathers the body of the rest up to the size limit, and hands it to
 * the route's handler.
 *
 * <p>One request at a time: while a handler works, the connection stops reading, which is
 * back-pressure on the sender and keeps pipelined answers in order; whatever was already read is
 * kept in {@link #backlog} and served next. Everything here runs on the connection's event loop.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);

  /**
   * How much of a refused body is read and dropped after the refusal, in body limits, before the
   * connection is closed (a body refused while streaming had one limit read before). Closing while
   * the client is still sending makes the kernel answer its bytes with a reset: its write fails and
   * the answer it has not read yet may be lost with the connection (the JDK HttpClient then reports
   * "header parser received no bytes"). Dropping costs bandwidth but no memory. A body that
   * declares more than this is refused and the connection closed at once: reading part of it would
   * not save the answer.
   */
  static final long REFUSED_BODY_READ_LIMITS = 4;

  private enum State {
    /** Waiting for a request head. */
    IDLE,
    /** Gathering the body of a routed request. */
    READING,
    /** Answered early; dropping the rest of the body. */
    DISCARDING
  }

  private final OtlpHttpServer server;
  private final ArrayDeque<Object> backlog = new ArrayDeque<>();
  private ChannelHandlerContext ctx;

  private State state = State.IDLE;

  /** A handler is working on a request; its answer is not written yet. */
  private boolean busy;

  /** Close once the current exchange is over (the server is stopping). */
  private boolean closeWhenIdle;

  // The request being read.
  private HttpRequest head;
  private HttpHandler handler;
  private Map<String, String> pathParams;
  private CompositeByteBuf body;
  private boolean keepAlive;
  private String origin;

  /** The admitted request's reservation, from its head until its answer is written. */
  private AdmissionControl.Ticket ticket;

  // An early answer's tail.
  private long discarded;
  private boolean closeAfterDiscard;

  HttpConnection(OtlpHttpServer server) {
    this.server = server;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (busy || !backlog.isEmpty()) {
      backlog.add(msg);
      return;
    }
    process(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (state == State.READING) {
      requestDone();
    }
    resetRequest();
    while (!backlog.isEmpty()) {
      ReferenceCountUtil.release(backlog.poll());
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "closing HTTP connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** The server is stopping: close now if nothing is under way, else after this exchange. */
  void drain() {
    if (state != State.READING && !busy) {
      ctx.close();
    } else {
      closeWhenIdle = true;
    }
  }

  private void process(Object msg) {
    try {
      if (msg instanceof HttpRequest) {
        onHead((HttpRequest) msg);
      }
      if (msg instanceof HttpContent && ctx.channel().isActive()) {
        onContent((HttpContent) msg);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(HttpRequest req) {
    if (state == State.READING) {
      // A new head before the last body chunk: the decoder lost track; give up on the connection.
      ctx.close();
      return;
    }
    state = State.IDLE;
    keepAlive = HttpUtil.isKeepAlive(req);
    origin = req.headers().get(HttpHeaderNames.ORIGIN);
    DecoderResult result = req.decoderResult();
    if (result.isFailure()) {
      answerAndClose(undecodable(result.cause()));
      return;
    }
    String path;
    try {
      path = new QueryStringDecoder(req.uri()).path();
    } catch (IllegalArgumentException e) {
      answerAndClose(
          HttpResponses.error(
              HttpResponseStatus.BAD_REQUEST,
              Code.INVALID_ARGUMENT,
              "the request URI is malformed (" + e.getMessage() + ")",
              WireFormat.JSON));
      return;
    }
    Cors cors = server.cors();
    if (cors.isPreflight(req)) {
      var methods = server.router().methodsAt(path);
      answerHead(
          req, methods.isEmpty() ? notFound(req, path) : cors.preflight(req, methods), false);
      return;
    }
    HttpRouter.Match match = server.router().match(req.method(), path);
    if (match instanceof HttpRouter.NotFound) {
      answerHead(req, notFound(req, path), false);
      return;
    }
    if (match instanceof HttpRouter.MethodNotAllowed) {
      HttpRouter.MethodNotAllowed m = (HttpRouter.MethodNotAllowed) match;
      FullHttpResponse r =
          HttpResponses.error(
              HttpResponseStatus.METHOD_NOT_ALLOWED,
              Code.UNIMPLEMENTED,
              req.method() + " is not served at " + path + "; use " + m.allowHeader(),
              WireFormat.JSON);
      r.headers().set(HttpHeaderNames.ALLOW, m.allowHeader());
      answerHead(req, r, false);
      return;
    }
    HttpRouter.Found found = (HttpRouter.Found) match;
    FullHttpResponse refused = found.handler().checkHead(req);
    if (refused != null) {
      answerHead(req, refused, false);
      return;
    }
    long declared = HttpUtil.getContentLength(req, -1L);
    if (declared > REFUSED_BODY_READ_LIMITS * server.maxBodyBytes()) {
      // More than would be read and dropped: the client would get the reset anyway, later.
      answerAndClose(server.tooLarge(req));
      return;
    }
    if (declared > server.maxBodyBytes()) {
      answerHead(req, server.tooLarge(req), true);
      return;
    }
    if (isUnsupportedExpectation(req)) {
      answerAndClose(
          HttpResponses.error(
              HttpResponseStatus.EXPECTATION_FAILED,
              Code.FAILED_PRECONDITION,
              "only Expect: 100-continue is supported",
              WireFormat.JSON));
      return;
    }
    AdmissionControl.Ticket admitted = server.admit(req);
    if (admitted == null) {
      // The body is read and dropped (unless the client waits for 100 Continue), so that the
      // connection stays usable for the retry.
      answerHead(req, server.throttled(req), false);
      return;
    }
    ticket = admitted;
    if (HttpUtil.is100ContinueExpected(req)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
    head = req;
    handler = found.handler();
    pathParams = found.pathParams();
    body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    state = State.READING;
    server.requestStarted();
  }

  private void onContent(HttpContent chunk) {
    switch (state) {
      case READING:
        readBody(chunk);
        break;
      case DISCARDING:
        discard(chunk);
        break;
      default:
        // Stray content after an answer we already closed the exchange for.
        break;
    }
  }

  private void readBody(HttpContent chunk) {
    int n = chunk.content().readableBytes();
    if (body.readableBytes() + (long) n > server.maxBodyBytes()) {
      HttpRequest req = head;
      resetRequest();
      requestDone();
      // The client is sending: let it finish (up to a point) so that it reads the answer.
      answerEarly(server.tooLarge(req), true, false);
      discard(chunk);
      return;
    }
    if (n > 0) {
      body.addComponent(true, chunk.content().retain());
    }
    if (!(chunk instanceof LastHttpContent)) {
      return;
    }
    if (chunk.decoderResult().isFailure()) {
      resetRequest();
      requestDone();
      answerAndClose(undecodable(chunk.decoderResult().cause()));
      return;
    }
    FullHttpRequest full =
        new DefaultFullHttpRequest(
            head.protocolVersion(),
            head.method(),
            head.uri(),
            body,
            head.headers(),
            ((LastHttpContent) chunk).trailingHeaders());
    HttpHandler h = handler;
    Map<String, String> params = pathParams;
    if (ticket != null) {
      ticket.resize(body.readableBytes()); // a chunked body had no Content-Length to reserve
    }
    body = null; // now owned by the handler
    resetRequest();
    dispatch(h, full, params);
  }

  private void discard(HttpContent chunk) {
    discarded += chunk.content().readableBytes();
    if (chunk instanceof LastHttpContent) {
      state = State.IDLE;
      if (closeAfterDiscard || closeWhenIdle) {
        ctx.close();
      }
    } else if (discarded > REFUSED_BODY_READ_LIMITS * server.maxBodyBytes()) {
      ctx.close();
    }
  }

  private void dispatch(HttpHandler h, FullHttpRequest request, Map<String, String> params) {
    busy = true;
    ctx.channel().config().setAutoRead(false);
    boolean ka = keepAlive;
    String org = origin;
    CompletionStage<FullHttpResponse> answer;
    try {
      answer = h.handle(request, params);
    } catch (RuntimeException e) {
      if (request.refCnt() > 0) {
        request.release();
      }
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (response, error) -> {
          FullHttpResponse r = error == null ? response : internalError(error);
          if (ctx.executor().inEventLoop()) {
            finish(r, ka, org);
          } else {
            try {
              ctx.executor().execute(() -> finish(r, ka, org));
            } catch (RejectedExecutionException e) {
              r.release();
              requestDone();
            }
          }
        });
  }

  private void finish(FullHttpResponse response, boolean ka, String org) {
    requestDone();
    busy = false;
    if (!ctx.channel().isActive()) {
      response.release();
      return;
    }
    boolean close = !ka || closeWhenIdle || server.isDraining();
    write(response, org, close, close);
    if (close) {
      return;
    }
    while (!busy && !backlog.isEmpty() && ctx.channel().isActive()) {
      process(backlog.poll());
    }
    if (!busy) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /**
   * Answers before the body is read. Unless {@code closeNow}, the rest of the body is read and
   * dropped, so that a client still sending gets to see the answer; then the connection is closed
   * if {@code close} or the client asked for it.
   */
  private void answerEarly(FullHttpResponse response, boolean close, boolean closeNow) {
    closeAfterDiscard = close || closeNow || !keepAlive || closeWhenIdle || server.isDraining();
    write(response, origin, closeAfterDiscard, closeNow);
    discarded = 0;
    state = State.DISCARDING;
  }

  /** Answers and closes the connection: what follows on it cannot be trusted or is not wanted. */
  private void answerAndClose(FullHttpResponse response) {
    answerEarly(response, true, true);
  }

  /**
   * Answers on the head, before any of the body is read. A client that waits for "100 Continue"
   * will not send the body after a final answer, so what follows would be misread as a body: such a
   * connection is closed right away.
   */
  private void answerHead(HttpRequest req, FullHttpResponse response, boolean close) {
    answerEarly(response, close, HttpUtil.is100ContinueExpected(req));
  }

  private void write(
      FullHttpResponse response, String org, boolean connectionClose, boolean closeNow) {
    server.cors().decorate(org, response.headers());
    HttpUtil.setContentLength(response, response.content().readableBytes());
    response
        .headers()
        .set(
            HttpHeaderNames.CONNECTION,
            connectionClose ? HttpHeaderValues.CLOSE : HttpHeaderValues.KEEP_ALIVE);
    var written = ctx.writeAndFlush(response);
    if (closeNow) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static boolean isUnsupportedExpectation(HttpRequest req) {
    String expect = req.headers().get(HttpHeaderNames.EXPECT);
    return expect != null
        && req.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0
        && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim());
  }

  /** The request under way is over: answered, refused after its head, or abandoned. */
  private void requestDone() {
    server.requestDone();
    AdmissionControl.Ticket t = ticket;
    ticket = null;
    if (t != null) {
      t.release();
    }
  }

  private void resetRequest() {
    if (body != null) {
      body.release();
      body = null;
    }
    head = null;
    handler = null;
    pathParams = null;
    if (state == State.READING) {
      state = State.IDLE;
    }
  }

  private FullHttpResponse notFound(HttpRequest req, String path) {
    return HttpResponses.error(
        HttpResponseStatus.NOT_FOUND,
        Code.NOT_FOUND,
        "nothing is served at "
            + req.method()
            + " "
            + path
            + "; this endpoint serves "
            + server.router().describe(),
        WireFormat.JSON);
  }

  private static FullHttpResponse undecodable(Throwable cause) {
    HttpResponseStatus status =
        cause instanceof TooLongHttpLineException
            ? HttpResponseStatus.REQUEST_URI_TOO_LONG
            : cause instanceof TooLongHttpHeaderException
                ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
    String what = cause instanceof TooLongFrameException ? "too long" : "not valid HTTP/1.1";
    return HttpResponses.error(
        status,
        Code.INVALID_ARGUMENT,
        "the request is " + what + " (" + cause.getMessage() + ")",
        WireFormat.JSON);
  }

  private FullHttpResponse internalError(Throwable error) {
    log.warn("HTTP handler failed", error);
    return HttpResponses.error(
        HttpResponseStatus.INTERNAL_SERVER_ERROR,
        Code.INTERNAL,
        "internal error (" + error.getClass().getSimpleName() + "); see the collector's log",
        WireFormat.JSON);
  }
}
