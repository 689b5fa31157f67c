package io.tollgate.collector.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A very small HTTP/1.1 server for the operational endpoints ({@code /metrics}, health): one
 * event-loop thread, GET and HEAD only, bodies built in memory. Not for data traffic.
 */
public final class HttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** A response: status, content type, body. */
  public record Response(HttpResponseStatus status, String contentType, byte[] body) {
    public static Response text(HttpResponseStatus status, String body) {
      return new Response(
          status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Answers a GET or HEAD for a path (without the query). Runs on the event loop: be quick. */
  @FunctionalInterface
  public interface Handler {
    Response handle(String path, FullHttpRequest request) throws Exception;
  }

  private final String name;
  private final EventLoopGroup group;
  private final Channel channel;

  private HttpServer(String name, EventLoopGroup group, Channel channel) {
    this.name = name;
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds and starts serving.
   *
   * @throws IOException when the address cannot be bound (in use, not local), with the address
   */
  public static HttpServer start(String name, HostPort address, Handler handler)
      throws IOException {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("tollgate-" + name, true), NioIoHandler.newFactory());
    try {
      Channel channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(64 * 1024))
                          .addLast(new RequestHandler(name, handler));
                    }
                  })
              .bind(address.toSocketAddress())
              .sync()
              .channel();
      return new HttpServer(name, group, channel);
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException(name + " cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  /** The bound address (with the real port when 0 was asked). */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  private static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String name;
    private final Handler handler;

    RequestHandler(String name, Handler handler) {
      this.name = name;
      this.handler = handler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      Response response;
      if (!request.decoderResult().isSuccess()) {
        response = Response.text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
      } else if (!request.method().equals(HttpMethod.GET)
          && !request.method().equals(HttpMethod.HEAD)) {
        response = Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
      } else {
        String path = new QueryStringDecoder(request.uri()).path();
        try {
          response = handler.handle(path, request);
        } catch (Exception e) {
          log.warn("{}: {} failed: {}", name, path, e.toString());
          response = Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
      }
      boolean head = request.method().equals(HttpMethod.HEAD);
      ByteBuf body = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body());
      FullHttpResponse out =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), body);
      out.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
          .setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
      if (response.status().code() == 405) {
        out.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
      if (keepAlive) {
        out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(out);
      } else {
        out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("{}: connection error: {}", name, cause.toString());
      ctx.close();
    }
  }
}
