package io.tollgate.receiver.otlp;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * {@link AdmissionControl} for gRPC, decided on the network thread when a call's headers arrive,
 * before its message is read (the server runs calls on a direct executor), in two grpc-java hooks
 * that both see the call's headers:
 *
 * <ol>
 *   <li>{@link #tracerFactory()}: every stream gets a tracer when it is created. It asks for
 *       admission; the ticket follows the stream (resized when the message has been read, released
 *       when the stream closes, however it closes: grpc-java calls {@code streamClosed} exactly
 *       once). A refused stream is marked in its headers, after any such mark the client sent is
 *       removed.
 *   <li>{@link #refusing}: the handler closes a refused call at once with RESOURCE_EXHAUSTED and a
 *       RetryInfo, without asking for its message, so gRPC drops what arrives of it.
 * </ol>
 */
final class GrpcAdmission {

  /** Set by this class on refused calls' headers; never trusted from the client. */
  private static final Metadata.Key<String> REFUSED =
      Metadata.Key.of("tollgate-admission-refused", Metadata.ASCII_STRING_MARSHALLER);

  private final AdmissionControl admission;
  private final ExportService service;

  GrpcAdmission(AdmissionControl admission, ExportService service) {
    this.admission = admission;
    this.service = service;
  }

  ServerStreamTracer.Factory tracerFactory() {
    return new ServerStreamTracer.Factory() {
      @Override
      public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        headers.discardAll(REFUSED);
        AdmissionControl.Ticket ticket = admission.tryAdmit(-1, Transport.GRPC);
        if (ticket == null) {
          headers.put(REFUSED, "1");
          return NOOP;
        }
        return new Admitted(ticket);
      }
    };
  }

  /** {@code handler}, except that a call marked refused is closed without reading it. */
  <ReqT, RespT> ServerCallHandler<ReqT, RespT> refusing(ServerCallHandler<ReqT, RespT> handler) {
    return (call, headers) -> {
      if (!headers.containsKey(REFUSED)) {
        return handler.startCall(call, headers);
      }
      service.metrics().request(Transport.GRPC, ReceiverMetrics.Outcome.REFUSED);
      StatusRuntimeException e = StatusProto.toStatusRuntimeException(admission.refusal().toStatus());
      Metadata trailers = e.getTrailers() == null ? new Metadata() : e.getTrailers();
      call.close(e.getStatus(), trailers);
      return new ServerCall.Listener<>() {};
    };
  }

  private static final ServerStreamTracer NOOP = new ServerStreamTracer() {};

  /** The ticket of one admitted stream. */
  private static final class Admitted extends ServerStreamTracer {
    private final AdmissionControl.Ticket ticket;

    Admitted(AdmissionControl.Ticket ticket) {
      this.ticket = ticket;
    }

    @Override
    public void inboundUncompressedSize(long bytes) {
      ticket.resize(bytes);
    }

    @Override
    public void streamClosed(Status status) {
      ticket.release();
    }
  }
}
