package io.tollgate.receiver.otlp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.core.exporterhelper.RateLimitedLog;
import io.tollgate.core.telemetry.MetricNames;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control: a bound on the bytes of requests a receiver holds, from the moment a request
 * starts (its headers) until it is answered, over both transports. A request that starts while the
 * bound is reached is refused at once, before its body is read, with RESOURCE_EXHAUSTED / 429 and a
 * retry hint.
 *
 * <p>Why: without it, a client that keeps more requests outstanding than the workers can take makes
 * the receiver read all of them. Waiting requests sit in Netty's direct buffers; once those reach
 * {@code -XX:MaxDirectMemorySize} the JDK runs a full collection before every allocation, and the
 * collector, offered 30% more than it can do, accepted 1% (BENCHMARKS.md, "Overload"). Refusing
 * early keeps what waits bounded, so the collector goes on at its capacity and tells the excess to
 * come back.
 *
 * <p>The size of a gRPC request is not known when it starts: it is reserved at the typical size of
 * recent requests and corrected when the message has been read. The bound is soft: a request is
 * admitted while less than the limit is held, so one request is always admitted however large, and
 * requests that start at the same moment may overshoot by their own sizes.
 *
 * <p>Thread-safe.
 */
final class AdmissionControl {

  private static final Logger log = LoggerFactory.getLogger(AdmissionControl.class);

  /** Retry hint sent with a refusal: what the memory limiter asks for too. */
  static final Duration RETRY_AFTER = ExportFailure.DEFAULT_THROTTLE_DELAY;

  /** The typical request size before any has been seen: an SDK's batch of a few hundred spans. */
  private static final long INITIAL_TYPICAL_BYTES = 256 * 1024;

  private final long limitBytes;
  private final String limitKey;
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong typicalBytes = new AtomicLong(INITIAL_TYPICAL_BYTES);
  private final Map<Transport, Counter> refused = new EnumMap<>(Transport.class);
  private final RateLimitedLog refusalLog = new RateLimitedLog(log, Duration.ofSeconds(10));
  private final String receiverId;

  /**
   * @param limitBytes the bound; 0 admits everything (the bytes are still counted)
   * @param limitKey the config key of the bound, for messages
   */
  AdmissionControl(long limitBytes, String limitKey, MeterRegistry registry, String receiverId) {
    if (limitBytes < 0) {
      throw new IllegalArgumentException("limitBytes must not be negative: " + limitBytes);
    }
    this.limitBytes = limitBytes;
    this.limitKey = limitKey;
    this.receiverId = receiverId;
    Gauge.builder("tollgate_receiver_admission_held_bytes", held, AtomicLong::get)
        .description(
            "Bytes of export requests the receiver holds between their start and their answer.")
        .baseUnit("bytes")
        .tag(MetricNames.RECEIVER, receiverId)
        .register(registry);
    for (Transport t : Transport.values()) {
      refused.put(
          t,
          Counter.builder("tollgate_receiver_admission_refused_requests")
              .description(
                  "Export requests refused when they started, because the receiver held its"
                      + " admission.request_limit_mib of requests.")
              .tag(MetricNames.RECEIVER, receiverId)
              .tag(MetricNames.TRANSPORT, t.label())
              .register(registry));
    }
  }

  /**
   * Admits a request that is starting, or refuses it.
   *
   * @param expectedBytes its size when known (HTTP's Content-Length), else negative
   * @return the request's reservation, to be released exactly once; {@code null} when refused
   */
  Ticket tryAdmit(long expectedBytes, Transport transport) {
    long reserve = expectedBytes >= 0 ? expectedBytes : typicalBytes.get();
    if (limitBytes > 0 && held.get() >= limitBytes) {
      refused.get(transport).increment();
      refusalLog.warn(
          "{}: refusing export requests: it holds {} MiB of requests not answered yet, the limit"
              + " is {} MiB. Senders are told to retry in {}s. The collector is receiving more"
              + " than it can process; add replicas or CPU, or raise {} if memory allows.",
          receiverId,
          held.get() >> 20,
          limitBytes >> 20,
          RETRY_AFTER.toSeconds(),
          limitKey);
      return null;
    }
    held.addAndGet(reserve);
    return new Ticket(reserve);
  }

  /** The answer to a refused request. */
  ExportFailure refusal() {
    return new ExportFailure(
        ExportFailure.Kind.THROTTLED,
        "the collector holds "
            + (limitBytes >> 20)
            + " MiB of requests it has not processed yet ("
            + limitKey
            + "). Retry after "
            + RETRY_AFTER.toSeconds()
            + "s.",
        RETRY_AFTER);
  }

  /** One admitted request's reservation. */
  final class Ticket {
    /** Bytes reserved; -1 once released. Guarded by this. */
    private long bytes;

    private boolean sized;

    private Ticket(long bytes) {
      this.bytes = bytes;
    }

    /**
     * The request turned out to be {@code actualBytes} long: reserve that instead of the guess, and
     * let it inform the guess for the next requests. The first call counts; later ones are ignored.
     */
    synchronized void resize(long actualBytes) {
      if (bytes < 0 || sized || actualBytes < 0) {
        return;
      }
      sized = true;
      held.addAndGet(actualBytes - bytes);
      bytes = actualBytes;
      // Exponential moving average with weight 1/8: follows a change of batch sizes within a few
      // dozen requests, and one odd request moves it little.
      long typical = typicalBytes.get();
      typicalBytes.set(Math.max(1024, typical + (actualBytes - typical) / 8));
    }

    /** The request was answered (or abandoned); idempotent. */
    synchronized void release() {
      if (bytes >= 0) {
        held.addAndGet(-bytes);
        bytes = -1;
      }
    }
  }
}
