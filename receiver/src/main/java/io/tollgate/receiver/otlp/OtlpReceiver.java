package io.tollgate.receiver.otlp;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Receiver;
import io.tollgate.core.component.TracesConsumer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code otlp} receiver: OTLP traces over gRPC and over HTTP/1.1, both served by one Netty
 * event-loop group. Network threads only read and write; decoding and the pipeline run on the
 * context's workers, and a client gets its answer only once the pipeline has accepted (or refused)
 * its spans.
 */
final class OtlpReceiver implements Receiver {

  private static final Logger log = LoggerFactory.getLogger(OtlpReceiver.class);

  private final OtlpReceiverConfig.Protocols protocols;
  private final ComponentContext context;
  private final ExportService service;
  private final AdmissionControl admission;
  private final String id;

  /** Where this receiver's protocols sit in the config, for messages. */
  private final String configKey;

  private EventLoopGroup group;
  private Server grpcServer;
  private OtlpHttpServer httpServer;
  private volatile InetSocketAddress grpcAddress;
  private volatile InetSocketAddress httpAddress;

  OtlpReceiver(OtlpReceiverConfig config, ComponentContext context, TracesConsumer next) {
    this.protocols = config.effectiveProtocols();
    this.context = context;
    this.id = context.id().toString();
    this.configKey = "receivers." + id + ".protocols";
    this.service = new ExportService(next, new ReceiverMetrics(context.meterRegistry(), id), id);
    this.admission =
        new AdmissionControl(
            config.admission().requestLimitBytes(),
            "receivers." + id + ".admission.request_limit_mib",
            context.meterRegistry(),
            id);
  }

  @Override
  public synchronized void start() throws IOException {
    if (group != null) {
      throw new IllegalStateException(id + " is already started");
    }
    group =
        new MultiThreadIoEventLoopGroup(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            new DefaultThreadFactory("tollgate-" + id.replace('/', '-'), true),
            NioIoHandler.newFactory());
    try {
      if (protocols.grpc() != null) {
        startGrpc(protocols.grpc());
      }
      if (protocols.http() != null) {
        startHttp(protocols.http());
      }
    } catch (IOException | RuntimeException e) {
      stopNow();
      throw e;
    }
    List<String> listening = new ArrayList<>();
    if (grpcAddress != null) {
      listening.add("gRPC on " + format(grpcAddress));
    }
    if (httpAddress != null) {
      listening.add(
          "HTTP on " + format(httpAddress) + " (POST " + protocols.http().tracesUrlPath() + ")");
    }
    log.info("{} receiving OTLP traces: {}", id, String.join(", ", listening));
  }

  private void startGrpc(OtlpReceiverConfig.Grpc config) throws IOException {
    String key = configKey + ".grpc.endpoint";
    Endpoint endpoint = Endpoint.parse(config.endpoint());
    InetSocketAddress address = resolve(endpoint, key);
    int maxBytes = config.maxRecvMsgSizeBytes();
    GrpcAdmission calls = new GrpcAdmission(admission, service);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(address)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .channelType(NioServerSocketChannel.class)
            // Calls run on the network thread: admission is decided there, and a message is copied
            // out of Netty's buffers as soon as it is complete; GrpcTraceService then hands it to
            // the workers, which scan it and run the pipeline.
            .directExecutor()
            .addStreamTracerFactory(calls.tracerFactory())
            .addStreamTracerFactory(
                new GrpcOversizeLog(service, maxBytes, configKey + ".grpc.max_recv_msg_size_mib")
                    .tracerFactory())
            .maxInboundMessageSize(maxBytes)
            // gzip and zstd messages are inflated by the workers, not here.
            .decompressorRegistry(GrpcCompressedMessages.registry())
            .addService(
                GrpcTraceService.definition(
                    service,
                    calls,
                    context.workers(),
                    maxBytes,
                    configKey + ".grpc.max_recv_msg_size_mib"));
    if (config.maxConcurrentStreams() > 0) {
      builder.maxConcurrentCallsPerConnection(config.maxConcurrentStreams());
    }
    Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      throw bindFailure(endpoint, key, e);
    }
    grpcServer = server;
    grpcAddress = (InetSocketAddress) server.getListenSockets().get(0);
  }

  private void startHttp(OtlpReceiverConfig.Http config) throws IOException {
    String key = configKey + ".http.endpoint";
    Endpoint endpoint = Endpoint.parse(config.endpoint());
    InetSocketAddress address = resolve(endpoint, key);
    int maxBytes = (int) config.maxRequestBodySize().bytes();
    String sizeKey = configKey + ".http.max_request_body_size";
    HttpRouter router =
        HttpRouter.builder()
            .route(
                HttpMethod.POST,
                config.tracesUrlPath(),
                new TracesHttpHandler(service, context.workers(), maxBytes, sizeKey))
            .build();
    OtlpHttpServer server =
        new OtlpHttpServer(
            address,
            router,
            new Cors(config.cors(), configKey + ".http.cors"),
            maxBytes,
            sizeKey,
            admission,
            group);
    try {
      httpAddress = server.start();
    } catch (Exception e) {
      throw bindFailure(endpoint, key, e);
    }
    httpServer = server;
  }

  @Override
  public synchronized void shutdown(Instant deadline) {
    if (group == null) {
      return;
    }
    if (grpcServer != null) {
      grpcServer.shutdown(); // open calls go on, new ones are refused
    }
    if (httpServer != null) {
      httpServer.beginShutdown();
    }
    int httpOpen = 0;
    boolean grpcDone = true;
    try {
      if (httpServer != null) {
        httpOpen = httpServer.awaitIdle(deadline);
      }
      if (grpcServer != null) {
        grpcDone = grpcServer.awaitTermination(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (httpOpen > 0 || !grpcDone) {
      log.warn(
          "{}: the shutdown deadline passed with {} export requests still waiting for the pipeline"
              + " ({} HTTP requests open{}); closing them, their senders will retry",
          id,
          service.inFlight(),
          httpOpen,
          grpcDone ? "" : ", gRPC calls open");
    }
    stopNow();
  }

  /** Closes everything at once. */
  private void stopNow() {
    if (grpcServer != null) {
      grpcServer.shutdownNow();
      try {
        grpcServer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (httpServer != null) {
      httpServer.closeAll();
    }
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    group = null;
    grpcServer = null;
    httpServer = null;
    grpcAddress = null;
    httpAddress = null;
  }

  /** Where gRPC listens; {@code null} when it is disabled or the receiver is not running. */
  InetSocketAddress grpcAddress() {
    return grpcAddress;
  }

  /** Where HTTP listens; {@code null} when it is disabled or the receiver is not running. */
  InetSocketAddress httpAddress() {
    return httpAddress;
  }

  private static InetSocketAddress resolve(Endpoint endpoint, String key) throws IOException {
    InetSocketAddress address = endpoint.toSocketAddress();
    if (address.isUnresolved()) {
      throw new IOException(
          "cannot resolve host \"" + endpoint.host() + "\" of " + endpoint + "; set " + key);
    }
    return address;
  }

  private static IOException bindFailure(Endpoint endpoint, String key, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        String m = String.valueOf(t.getMessage());
        if (m.toLowerCase(java.util.Locale.ROOT).contains("in use")) {
          return new IOException("address " + endpoint + " already in use; set " + key, e);
        }
        return new IOException("cannot listen on " + endpoint + " (" + m + "); set " + key, e);
      }
    }
    return new IOException("cannot listen on " + endpoint + " (" + e + "); set " + key, e);
  }

  private static String format(InetSocketAddress a) {
    String host = a.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private static long remainingMillis(Instant deadline) {
    return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }
}
