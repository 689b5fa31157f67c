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
import io.netty.buffer.Unpooled;
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
 * array, as soon as it is complete, compressed as it came ({@link GrpcCompressedMessages}); the
 * handler then hands it to the collector's workers, which inflate it if it came compressed, scan it
 * ({@link ReceivedTraces#fromProtobuf}) and run the pipeline. Copying at once matters: grpc-netty
 * keeps a message as slices of the buffers it read the connection into, so a message left waiting
 * for a worker there pins those buffers, with whatever else they hold, in direct memory; under
 * overload that exhausted {@code -XX:MaxDirectMemorySize} (BENCHMARKS.md, "Overload"). Inflating on
 * the worker matters as much: a large gzip request inflated on the event loop stalled every
 * connection of that loop meanwhile.
 */
final class GrpcTraceService {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(GrpcTraceService.class);

  private GrpcTraceService() {}

  /**
   * A request as read: its bytes, or why they could not be read. {@code encoding} is {@code
   * IDENTITY} for a message as it is; otherwise {@code bytes} are the message compressed in that
   * encoding, after one tag byte.
   */
  record Decoded(byte[] bytes, RequestBodies.Encoding encoding, ExportFailure failure) {}

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
                ServerCalls.asyncUnaryCall(
                    (req, obs) -> handOff(service, workers, req, obs, maxMessageBytes, sizeKey))))
        .build();
  }

  /** On the network thread: answers what could not be read, gives the rest to a worker. */
  private static void handOff(
      ExportService service,
      Executor workers,
      Decoded decoded,
      StreamObserver<ExportTraceServiceResponse> obs,
      int maxMessageBytes,
      String sizeKey) {
    if (decoded.failure() != null) {
      service.malformed(Transport.GRPC);
      reply(obs, ExportService.Outcome.failed(decoded.failure()));
      return;
    }
    try {
      workers.execute(() -> export(service, decoded, obs, maxMessageBytes, sizeKey));
    } catch (RejectedExecutionException e) {
      reply(
          obs,
          ExportService.Outcome.failed(
              ExportFailure.unavailable("the collector is shutting down; retry later.")));
    }
  }

  /** On a worker: inflates the request if it came compressed, scans it and runs the pipeline. */
  private static void export(
      ExportService service,
      Decoded decoded,
      StreamObserver<ExportTraceServiceResponse> obs,
      int maxMessageBytes,
      String sizeKey) {
    byte[] bytes = decoded.bytes();
    int length = bytes.length;
    if (decoded.encoding() != RequestBodies.Encoding.IDENTITY) {
      RequestBodies.Body body;
      try {
        body =
            RequestBodies.decompress(
                Unpooled.wrappedBuffer(bytes, 1, bytes.length - 1),
                decoded.encoding(),
                maxMessageBytes);
      } catch (RequestBodies.TooLargeException e) {
        service.malformed(Transport.GRPC);
        reply(obs, ExportService.Outcome.failed(tooLarge(maxMessageBytes, sizeKey)));
        return;
      } catch (IOException | RuntimeException e) {
        // zstd-jni reports some corrupt frames with unchecked exceptions; the sender must get an
        // answer either way, not wait for its deadline.
        service.malformed(Transport.GRPC);
        String name = decoded.encoding().name().toLowerCase(java.util.Locale.ROOT);
        reply(
            obs,
            ExportService.Outcome.failed(
                ExportFailure.badRequest(
                    "the request is not valid "
                        + name
                        + " ("
                        + e.getMessage()
                        + "); compress it with "
                        + name
                        + " or send it uncompressed. Do not resend this one.")));
        return;
      }
      // The batch keeps the array until export: do not keep much more than the message with it.
      length = body.length();
      bytes = body.bytes().length - length > length / 8 ? body.exact() : body.bytes();
    }
    ReceivedTraces traces;
    try {
      traces = ReceivedTraces.fromProtobuf(bytes, 0, length);
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

  static ExportFailure tooLarge(int maxMessageBytes, String sizeKey) {
    return ExportFailure.tooLarge(
        "the request is larger than "
            + (maxMessageBytes / (1024 * 1024))
            + " MiB once decompressed",
        sizeKey);
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
      // Only the server's side of the method is used, which parses; never called for a response.
      return new java.io.ByteArrayInputStream(value.bytes());
    }

    @Override
    public Decoded parse(InputStream stream) {
      try {
        if (stream instanceof KnownLength) {
          // An uncompressed message, already framed (and within the size limit): one exact-size
          // copy out of gRPC's buffers.
          return new Decoded(
              readExactly(stream, stream.available()), RequestBodies.Encoding.IDENTITY, null);
        }
        // A compressed message, which GrpcCompressedMessages passes through as a tag byte and the
        // compressed bytes (their size within the limit, as gRPC checked the frame's length):
        // copied out as they are; a worker inflates them.
        byte[] bytes = readExactly(stream, stream.available());
        int more = stream.read();
        if (more >= 0) {
          // available() fell short; not expected of gRPC's buffers, but never lose the rest.
          byte[] rest = stream.readAllBytes();
          byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + 1 + rest.length);
          all[bytes.length] = (byte) more;
          System.arraycopy(rest, 0, all, bytes.length + 1, rest.length);
          bytes = all;
        }
        if (bytes.length == 0) {
          throw new java.io.EOFException("the compressed message is empty");
        }
        return new Decoded(bytes, GrpcCompressedMessages.encodingOf(bytes[0]), null);
      } catch (StatusRuntimeException e) {
        // grpc-java's limit on a message's size trips while we read.
        if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          return new Decoded(null, null, tooLarge(maxMessageBytes, sizeKey));
        }
        throw e;
      } catch (IOException e) {
        return new Decoded(null, null, malformed(e));
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
