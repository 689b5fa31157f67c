package io.tollgate.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}, registered by hand rather
 * than through {@code TraceServiceImplBase}: grpc-java answers a request it cannot parse with
 * {@code INTERNAL} (which the spec makes the sender drop silently) and an over-size compressed one
 * with a generic error. Parsing in our own marshaller lets us answer {@code INVALID_ARGUMENT} and
 * {@code RESOURCE_EXHAUSTED} with messages that say what to fix.
 *
 * <p>Threads: the server runs calls on the network thread ({@link GrpcAdmission} decides there
 * whether a call may start). The marshaller only copies the message out of Netty's buffers into one
 * array (inflating it if it came compressed), as soon as it is complete; the handler then hands it
 * to the collector's workers, which scan it ({@link ReceivedTraces#fromProtobuf}) and run the
 * pipeline. Copying at once matters: grpc-netty keeps a message as slices of the buffers it read
 * the connection into, so a message left waiting for a worker there pins those buffers, with
 * whatever else they hold, in direct memory; under overload that exhausted {@code
 * -XX:MaxDirectMemorySize} (BENCHMARKS.md, "Overload").
 */
final class GrpcTraceService {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(GrpcTraceService.class);

  private GrpcTraceService() {}

  /** A request as read: its bytes, or why they could not be read. */
  record Decoded(byte[] bytes, ExportFailure failure) {}

  static ServerServiceDefinition definition(
      ExportService service,
      GrpcAdmission admission,
      Executor workers,
      int maxMessageBytes,
      String sizeKey) {
    MethodDescriptor<Decoded, ExportTraceServiceResponse> method =
        TraceServiceGrpc.getExportMethod().toBuilder(
                new RequestMarshaller(maxMessageBytes, sizeKey),
                ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
            .build();
    return ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
        .addMethod(
            method,
            admission.refusing(
                ServerCalls.asyncUnaryCall((req, obs) -> handOff(service, workers, req, obs))))
        .build();
  }

  /** On the network thread: answers what could not be read, gives the rest to a worker. */
  private static void handOff(
      ExportService service,
      Executor workers,
      Decoded decoded,
      StreamObserver<ExportTraceServiceResponse> obs) {
    if (decoded.failure() != null) {
      service.malformed(Transport.GRPC);
      reply(obs, ExportService.Outcome.failed(decoded.failure()));
      return;
    }
    try {
      workers.execute(() -> export(service, decoded.bytes(), obs));
    } catch (RejectedExecutionException e) {
      reply(
          obs,
          ExportService.Outcome.failed(
              ExportFailure.unavailable("the collector is shutting down; retry later.")));
    }
  }

  /** On a worker: scans the request and runs the pipeline. */
  private static void export(
      ExportService service, byte[] bytes, StreamObserver<ExportTraceServiceResponse> obs) {
    ReceivedTraces traces;
    try {
      traces = ReceivedTraces.fromProtobuf(bytes, 0, bytes.length);
    } catch (InvalidProtocolBufferException e) {
      service.malformed(Transport.GRPC);
      reply(obs, ExportService.Outcome.failed(RequestMarshaller.malformed(e)));
      return;
    }
    try {
      service.export(traces, Transport.GRPC).thenAccept(outcome -> reply(obs, outcome));
    } catch (RuntimeException e) {
      log.warn("export failed unexpectedly", e);
      obs.onError(
          io.grpc.Status.INTERNAL
              .withDescription("internal error (" + e + "); see the collector's log")
              .asRuntimeException());
    }
  }

  private static void reply(
      StreamObserver<ExportTraceServiceResponse> obs, ExportService.Outcome outcome) {
    try {
      if (outcome.failure() == null) {
        obs.onNext(outcome.response());
        obs.onCompleted();
      } else {
        obs.onError(StatusProto.toStatusRuntimeException(outcome.failure().toStatus()));
      }
    } catch (RuntimeException e) {
      // The client went away (cancelled, deadline passed); there is no one left to answer.
    }
  }

  /** Reads requests without throwing, so that the handler can answer with a useful status. */
  private static final class RequestMarshaller implements MethodDescriptor.Marshaller<Decoded> {
    private final int maxMessageBytes;
    private final String sizeKey;

    RequestMarshaller(int maxMessageBytes, String sizeKey) {
      this.maxMessageBytes = maxMessageBytes;
      this.sizeKey = sizeKey;
    }

    @Override
    public InputStream stream(Decoded value) {
      return new java.io.ByteArrayInputStream(value.bytes());
    }

    @Override
    public Decoded parse(InputStream stream) {
      try {
        byte[] bytes;
        if (stream instanceof KnownLength) {
          // An uncompressed message, already framed (and within the size limit): one exact-size
          // copy out of gRPC's buffers.
          bytes = readExactly(stream, stream.available());
        } else {
          // A decompressing stream: grpc-java enforces the size limit while we read.
          bytes = stream.readAllBytes();
        }
        return new Decoded(bytes, null);
      } catch (StatusRuntimeException e) {
        // grpc-java's limit on the decompressed size trips while we read.
        if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          return new Decoded(
              null,
              ExportFailure.tooLarge(
                  "the request is larger than "
                      + (maxMessageBytes / (1024 * 1024))
                      + " MiB once decompressed. Send smaller batches (e.g. a smaller max export"
                      + " batch size in the SDK) or raise "
                      + sizeKey
                      + "."));
        }
        throw e;
      } catch (IOException e) {
        return new Decoded(null, malformed(e));
      }
    }

    /**
     * Reads {@code length} bytes straight into one array of that size. Not {@code
     * InputStream.readNBytes(int)}: it reads in 8 KiB chunks and joins them, so every request was
     * allocated and copied twice.
     */
    static byte[] readExactly(InputStream stream, int length) throws IOException {
      byte[] bytes = new byte[length];
      int at = 0;
      while (at < length) {
        int n = stream.read(bytes, at, length - at);
        if (n < 0) {
          throw new java.io.EOFException(
              "the message ended after " + at + " of its " + length + " bytes");
        }
        at += n;
      }
      return bytes;
    }

    static ExportFailure malformed(IOException e) {
      return ExportFailure.badRequest(
          "the request is not a valid ExportTraceServiceRequest ("
              + e.getMessage()
              + "). Send OTLP protobuf messages; do not resend this one.");
    }
  }
}
