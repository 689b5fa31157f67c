package io.tollgate.receiver.otlp;

import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code max_recv_msg_size_mib} for gRPC, enforced here rather than by grpc-java's {@code
 * maxInboundMessageSize}: grpc-java refuses an over-size message from its frame header with its own
 * text ("gRPC message exceeds maximum size 4194304: 5242880"), written straight to the stream by
 * the transport where no interceptor sees it, so the client is never told which key to raise. The
 * server is therefore built with grpc-java's limit off, and this class closes the call itself, with
 * {@code RESOURCE_EXHAUSTED} and a message that names the limit and the key, as soon as more bytes
 * of a message have arrived than the limit allows.
 *
 * <p>How: grpc-java tells a stream's tracer every wire byte its deframer reads ({@link
 * ServerStreamTracer#inboundWireSize}), on the network thread, as the message arrives. The tracer
 * puts itself in the call's {@link Context}, where {@link #enforcing} finds it when the call starts
 * and hands it the call. Memory stays bounded as before: the call is closed when the limit is
 * passed, after which grpc-java discards what still arrives and grants no more flow-control window.
 * Decompressed sizes are bounded where the message is read (see {@code GrpcTraceService}).
 */
final class GrpcSizeLimit {

  /** gRPC's length-prefixed framing: one flag byte and a four-byte length per message. */
  private static final int FRAME_HEADER_BYTES = 5;

  private static final Context.Key<Tracker> TRACKER = Context.key("tollgate-grpc-size-limit");

  private final long maxMessageBytes;
  private final ExportFailure tooLarge;
  private final ExportService service;

  GrpcSizeLimit(int maxMessageBytes, String sizeKey, ExportService service) {
    this.maxMessageBytes = maxMessageBytes;
    this.tooLarge = tooLarge(maxMessageBytes, sizeKey, "");
    this.service = service;
  }

  /** The answer to a message over {@code maxMessageBytes}; {@code qualifier} follows the size. */
  static ExportFailure tooLarge(int maxMessageBytes, String sizeKey, String qualifier) {
    return ExportFailure.tooLarge(
        "the request is larger than "
            + (maxMessageBytes / (1024 * 1024))
            + " MiB"
            + qualifier
            + ". Send smaller batches (e.g. a smaller max export batch size in the SDK) or raise "
            + sizeKey
            + ".");
  }

  ServerStreamTracer.Factory tracerFactory() {
    return new ServerStreamTracer.Factory() {
      @Override
      public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return new Tracker();
      }
    };
  }

  /** {@code handler}, with its call closed by the tracker once its message is over the limit. */
  <ReqT, RespT> ServerCallHandler<ReqT, RespT> enforcing(ServerCallHandler<ReqT, RespT> handler) {
    return (call, headers) -> {
      Tracker tracker = TRACKER.get();
      if (tracker == null) {
        return handler.startCall(call, headers);
      }
      ClosableOnce<ReqT, RespT> once = new ClosableOnce<>(call);
      tracker.attach(once);
      return handler.startCall(once, headers);
    };
  }

  /** Counts one stream's wire bytes; closes its call when they pass the limit. */
  private final class Tracker extends ServerStreamTracer {
    private long wireBytes;
    private boolean over;
    private ClosableOnce<?, ?> call;

    @Override
    public Context filterContext(Context context) {
      return context.withValue(TRACKER, this);
    }

    @Override
    public void inboundWireSize(long bytes) {
      ClosableOnce<?, ?> toClose;
      synchronized (this) {
        wireBytes += bytes;
        // A unary call carries one message: its bytes on the wire are one header and the body.
        if (over || wireBytes <= maxMessageBytes + FRAME_HEADER_BYTES) {
          return;
        }
        over = true;
        toClose = call;
      }
      if (toClose != null) {
        refuse(toClose);
      }
    }

    void attach(ClosableOnce<?, ?> c) {
      boolean refuseNow;
      synchronized (this) {
        call = c;
        refuseNow = over;
      }
      if (refuseNow) {
        refuse(c);
      }
    }
  }

  private void refuse(ClosableOnce<?, ?> call) {
    StatusRuntimeException e = StatusProto.toStatusRuntimeException(tooLarge.toStatus());
    Metadata trailers = e.getTrailers() == null ? new Metadata() : e.getTrailers();
    if (call.closeOnce(e.getStatus(), trailers)) {
      service.malformed(Transport.GRPC);
    }
  }

  /**
   * A call that is closed at most once: once this class has closed it, the handler may still try (a
   * unary handler answers a half-close without a message with INTERNAL), and grpc-java throws on a
   * second close.
   */
  private static final class ClosableOnce<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private final AtomicBoolean closed = new AtomicBoolean();

    ClosableOnce(ServerCall<ReqT, RespT> delegate) {
      super(delegate);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      closeOnce(status, trailers);
    }

    boolean closeOnce(Status status, Metadata trailers) {
      if (!closed.compareAndSet(false, true)) {
        return false;
      }
      super.close(status, trailers);
      return true;
    }
  }
}
