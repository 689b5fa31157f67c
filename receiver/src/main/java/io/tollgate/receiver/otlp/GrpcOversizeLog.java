package io.tollgate.receiver.otlp;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.tollgate.core.exporterhelper.RateLimitedLog;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator which key to raise when grpc-java refuses a message over {@code
 * max_recv_msg_size_mib}. grpc-java refuses it from the message's length prefix, before reading it
 * (so an over-size request never costs its size in memory), with its own text ("gRPC message
 * exceeds maximum size 67108864: 314572870"), written by the transport where no interceptor can
 * change it. So the sender gets the limit in bytes, and this log line names our key; the request
 * counts as failed.
 *
 * <p>Enforcing the limit ourselves, to answer in our words, was tried: with grpc-java's check off
 * the message is buffered until a tracer sees the limit passed, and a 300 MiB request then
 * exhausted a sidecar's 32 MiB of direct memory and killed the connection.
 */
final class GrpcOversizeLog {

  private static final Logger log = LoggerFactory.getLogger(GrpcOversizeLog.class);

  /** The start of grpc-java's description of the refusal (its {@code MessageDeframer}). */
  static final String GRPC_JAVA_TEXT = "gRPC message exceeds maximum size";

  private final RateLimitedLog warnings = new RateLimitedLog(log, Duration.ofSeconds(10));
  private final ExportService service;
  private final int maxMessageBytes;
  private final String sizeKey;

  GrpcOversizeLog(ExportService service, int maxMessageBytes, String sizeKey) {
    this.service = service;
    this.maxMessageBytes = maxMessageBytes;
    this.sizeKey = sizeKey;
  }

  ServerStreamTracer.Factory tracerFactory() {
    return new ServerStreamTracer.Factory() {
      @Override
      public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return tracer;
      }
    };
  }

  /** One tracer for every stream: it keeps no state of its own. */
  private final ServerStreamTracer tracer =
      new ServerStreamTracer() {
        @Override
        public void streamClosed(Status status) {
          if (isOversize(status)) {
            service.malformed(Transport.GRPC);
            warnings.warn(
                "A gRPC request was refused because its message is larger than {} MiB ({}). {}",
                maxMessageBytes / (1024 * 1024),
                status.getDescription(),
                ExportFailure.smallerBatchesOrRaise(sizeKey));
          }
        }
      };

  static boolean isOversize(Status status) {
    String d = status.getDescription();
    return status.getCode() == Status.Code.RESOURCE_EXHAUSTED
        && d != null
        && d.startsWith(GRPC_JAVA_TEXT);
  }
}
