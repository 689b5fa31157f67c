package io.tollgate.receiver.otlp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.tollgate.core.component.ByteSize;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OTLP/HTTP server: HTTP/1.1 on Netty, requests routed by {@link HttpRouter}. Tracks its
 * connections and the requests under way, so that shutdown can stop accepting, let what is under
 * way finish, and then close.
 */
final class OtlpHttpServer {

  private final InetSocketAddress address;
  private final HttpRouter router;
  private final Cors cors;
  private final int maxBodyBytes;
  private final String sizeKey;
  private final AdmissionControl admission;
  private final EventLoopGroup group;
  private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
  private final Object idle = new Object();
  private int inFlight; // guarded by idle
  private volatile boolean draining;
  private Channel listener;

  /**
   * @param sizeKey the config key of the size limit, for messages
   */
  OtlpHttpServer(
      InetSocketAddress address,
      HttpRouter router,
      Cors cors,
      int maxBodyBytes,
      String sizeKey,
      AdmissionControl admission,
      EventLoopGroup group) {
    this.address = address;
    this.router = router;
    this.cors = cors;
    this.maxBodyBytes = maxBodyBytes;
    this.sizeKey = sizeKey;
    this.admission = admission;
    this.group = group;
  }

  /**
   * Binds and starts accepting.
   *
   * @return the bound address (with the real port when 0 was asked for)
   * @throws Exception the bind failure (e.g. {@link java.net.BindException})
   */
  InetSocketAddress start() throws Exception {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (draining) {
                      ch.close();
                      return;
                    }
                    ch.pipeline()
                        .addLast("http", new HttpServerCodec())
                        .addLast("otlp", new HttpConnection(OtlpHttpServer.this));
                    // Tracked only once it can be drained.
                    connections.add(ch);
                    ch.closeFuture().addListener(f -> connections.remove(ch));
                  }
                });
    listener = b.bind(address).sync().channel();
    return (InetSocketAddress) listener.localAddress();
  }

  HttpRouter router() {
    return router;
  }

  Cors cors() {
    return cors;
  }

  int maxBodyBytes() {
    return maxBodyBytes;
  }

  boolean isDraining() {
    return draining;
  }

  /** The 413 answer, in the encoding the request declares (JSON when it declares none). */
  FullHttpResponse tooLarge(HttpRequest request) {
    WireFormat format =
        WireFormat.fromContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    return HttpResponses.failure(
        ExportFailure.tooLarge(
            "the request body is larger than " + new ByteSize(maxBodyBytes), sizeKey),
        format == null ? WireFormat.JSON : format);
  }

  /**
   * Admits a routed request whose head has been read, or refuses it ({@code null}): see {@link
   * AdmissionControl}. Reserves its Content-Length, or the typical size when it has none.
   */
  AdmissionControl.Ticket admit(HttpRequest request) {
    return admission.tryAdmit(HttpUtil.getContentLength(request, -1L), Transport.HTTP);
  }

  /** The 429 answer to a request {@link #admit} refused, in the encoding the request declares. */
  FullHttpResponse throttled(HttpRequest request) {
    WireFormat format =
        WireFormat.fromContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    return HttpResponses.failure(admission.refusal(), format == null ? WireFormat.JSON : format);
  }

  void requestStarted() {
    synchronized (idle) {
      inFlight++;
    }
  }

  void requestDone() {
    synchronized (idle) {
      inFlight--;
      if (inFlight == 0) {
        idle.notifyAll();
      }
    }
  }

  /** Requests whose body is being read or whose answer is not written yet. */
  int inFlight() {
    synchronized (idle) {
      return inFlight;
    }
  }

  /**
   * Stops accepting connections and closes idle ones; connections with a request under way close
   * once it is answered.
   */
  void beginShutdown() {
    draining = true;
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    for (Channel ch : connections) {
      HttpConnection c = ch.pipeline().get(HttpConnection.class);
      if (c != null) {
        ch.eventLoop().execute(c::drain);
      }
    }
  }

  /**
   * Waits until no request is under way or the deadline passes.
   *
   * @return the number of requests still under way
   */
  int awaitIdle(Instant deadline) throws InterruptedException {
    synchronized (idle) {
      while (inFlight > 0) {
        long wait = deadline.toEpochMilli() - System.currentTimeMillis();
        if (wait <= 0) {
          break;
        }
        idle.wait(wait);
      }
      return inFlight;
    }
  }

  /** Closes every connection, finished or not. */
  void closeAll() {
    for (Channel ch : connections) {
      ch.close();
    }
    for (Channel ch : connections) {
      ch.closeFuture().awaitUninterruptibly(1000);
    }
  }
}
