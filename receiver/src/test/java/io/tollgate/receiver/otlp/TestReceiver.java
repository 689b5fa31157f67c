package io.tollgate.receiver.otlp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.testing.RecordingConsumer;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A started receiver on loopback ports chosen by the OS, feeding a {@link RecordingConsumer}. */
final class TestReceiver implements AutoCloseable {

  final RecordingConsumer consumer = new RecordingConsumer();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ExecutorService workers;
  final OtlpReceiver receiver;

  private TestReceiver(OtlpReceiverConfig config) throws Exception {
    this(config, cachedWorkers());
  }

  private TestReceiver(OtlpReceiverConfig config, ExecutorService workers) throws Exception {
    this.workers = workers;
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.RECEIVER, ComponentId.of("otlp"))
            .meterRegistry(registry)
            .workers(workers)
            .build();
    receiver = (OtlpReceiver) new OtlpReceiverFactory().create(config, ctx, consumer);
    receiver.start();
  }

  static TestReceiver start(OtlpReceiverConfig.Grpc grpc, OtlpReceiverConfig.Http http)
      throws Exception {
    return new TestReceiver(OtlpReceiverConfig.of(new OtlpReceiverConfig.Protocols(grpc, http)));
  }

  /** Both protocols (either may be null) with admission control bounded at {@code limitMib}. */
  static TestReceiver start(
      OtlpReceiverConfig.Grpc grpc,
      OtlpReceiverConfig.Http http,
      int admissionLimitMib,
      ExecutorService workers)
      throws Exception {
    return new TestReceiver(
        new OtlpReceiverConfig(
            new OtlpReceiverConfig.Protocols(grpc, http),
            new OtlpReceiverConfig.Admission(admissionLimitMib)),
        workers);
  }

  static ExecutorService cachedWorkers() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, "test-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** gRPC on 127.0.0.1:0 with a limit in MiB. */
  static OtlpReceiverConfig.Grpc grpc(int maxMib) {
    return new OtlpReceiverConfig.Grpc("127.0.0.1:0", maxMib, null, null);
  }

  /** HTTP on 127.0.0.1:0. */
  static OtlpReceiverConfig.Http http(
      io.tollgate.core.component.ByteSize maxBody, OtlpReceiverConfig.Cors cors) {
    return new OtlpReceiverConfig.Http("127.0.0.1:0", null, maxBody, cors);
  }

  int grpcPort() {
    return receiver.grpcAddress().getPort();
  }

  int httpPort() {
    return receiver.httpAddress().getPort();
  }

  URI httpUri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort() + path);
  }

  double counter(String name, String transport) {
    Counter c = registry.find(name).tag("transport", transport).tag("receiver", "otlp").counter();
    return c == null ? -1 : c.count();
  }

  double requests(String transport, String outcome) {
    Counter c =
        registry
            .find(io.tollgate.core.telemetry.MetricNames.RECEIVER_REQUESTS)
            .tag("transport", transport)
            .tag("outcome", outcome)
            .counter();
    return c == null ? -1 : c.count();
  }

  @Override
  public void close() {
    receiver.shutdown(Instant.now().plusSeconds(5));
    workers.shutdownNow();
  }
}
