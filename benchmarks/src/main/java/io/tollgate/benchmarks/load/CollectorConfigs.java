package io.tollgate.benchmarks.load;

/**
 * The collector configurations the load tool runs, as collector-style YAML. Everything listens on
 * 127.0.0.1 only.
 */
final class CollectorConfigs {

  private CollectorConfigs() {}

  /** Ports of one collector under test. */
  record Ports(
      int passGrpc,
      int passHttp,
      int genaiGrpc,
      int genaiHttp,
      int sinkPass,
      int sinkGenai,
      int metrics,
      int health) {}

  /**
   * Two pipelines side by side in one collector. Pass-through: {@code otlp → memory_limiter → batch
   * → otlp_grpc} (sink A; the memory limiter reads no span, but without it a receiver that no
   * longer decodes accepts faster than one exporter drains, and the sending queue fills the heap). GenAI: {@code otlp/genai →} the default GenAI processors {@code → otlp_grpc} (sink
   * B). Tail sampling keeps everything ({@code always_sample}) so that every span sent must come
   * out and loss is checkable; a real deployment keeps fewer, which only makes its exporter's job
   * lighter. Its decision waits are shortened from 30 s / 2 s to 2 s / 500 ms, because at full rate
   * 30 s of buffered GenAI spans would be gigabytes (the byte budget would then decide early
   * anyway).
   *
   * <p>Direct memory is sized as the README advises ("Sizing direct memory"): two receivers and two
   * gRPC exporters share the gateway's 64 MiB, so each receiver admits 16 MiB and each exporter
   * keeps 8 MiB in flight (48 MiB, three quarters of it).
   */
  static String twoPipelines(Ports p, String exportCompression) {
    return twoPipelines(p, exportCompression, "2s", "500ms");
  }

  /** {@link #twoPipelines(Ports, String)} with other decision waits for tail sampling. */
  static String twoPipelines(
      Ports p, String exportCompression, String decisionWait, String decisionWaitAfterRoot) {
    return String.join(
        "\n",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      grpc: {endpoint: \"127.0.0.1:" + p.passGrpc() + "\"}",
        "      http: {endpoint: \"127.0.0.1:" + p.passHttp() + "\"}",
        "    admission: {request_limit_mib: 16}",
        "  otlp/genai:",
        "    protocols:",
        "      grpc: {endpoint: \"127.0.0.1:" + p.genaiGrpc() + "\"}",
        "      http: {endpoint: \"127.0.0.1:" + p.genaiHttp() + "\"}",
        "    admission: {request_limit_mib: 16}",
        "processors:",
        "  batch: {}",
        "  memory_limiter: {limit_percentage: 80, spike_limit_percentage: 20}",
        "  genai_normalize: {}",
        "  genai_cost: {}",
        "  redaction: {}",
        "  truncate: {}",
        "  tail_sampling:",
        "    decision_wait: " + decisionWait,
        "    decision_wait_after_root: " + decisionWaitAfterRoot,
        "    policies:",
        "      - {name: keep-all, type: always_sample}",
        "exporters:",
        "  otlp_grpc/a:",
        "    endpoint: \"127.0.0.1:" + p.sinkPass() + "\"",
        "    tls: {insecure: true}",
        "    compression: " + exportCompression,
        "    sending_queue: {max_in_flight_bytes: 8MiB}",
        "  otlp_grpc/b:",
        "    endpoint: \"127.0.0.1:" + p.sinkGenai() + "\"",
        "    tls: {insecure: true}",
        "    compression: " + exportCompression,
        "    sending_queue: {max_in_flight_bytes: 8MiB}",
        telemetry(p),
        "  pipelines:",
        "    traces/passthrough:",
        "      receivers: [otlp]",
        "      processors: [memory_limiter, batch]",
        "      exporters: [otlp_grpc/a]",
        "    traces/genai:",
        "      receivers: [otlp/genai]",
        "      processors: [memory_limiter, genai_normalize, genai_cost, redaction, truncate,"
            + " tail_sampling, batch]",
        "      exporters: [otlp_grpc/b]",
        "");
  }

  /**
   * A sidecar: one receiver, the default GenAI pipeline, one exporter. Its receiver admits 16 MiB,
   * which with the exporter's default budget (a quarter of 32 MiB) fits the sidecar's direct memory
   * as the README advises.
   */
  static String sidecar(Ports p, String exportCompression) {
    return String.join(
        "\n",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      grpc: {endpoint: \"127.0.0.1:" + p.genaiGrpc() + "\"}",
        "      http: {endpoint: \"127.0.0.1:" + p.genaiHttp() + "\"}",
        "    admission: {request_limit_mib: 16}",
        "processors:",
        "  memory_limiter: {limit_percentage: 80, spike_limit_percentage: 20}",
        "  genai_normalize: {}",
        "  genai_cost: {}",
        "  redaction: {}",
        "  truncate: {}",
        "  tail_sampling:",
        "    policies:",
        "      - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}",
        "      - {name: ten-percent, type: probabilistic, probabilistic: {sampling_percentage:"
            + " 10}}",
        "  batch: {}",
        "exporters:",
        "  otlp_grpc:",
        "    endpoint: \"127.0.0.1:" + p.sinkGenai() + "\"",
        "    tls: {insecure: true}",
        "    compression: " + exportCompression,
        telemetry(p),
        "  pipelines:",
        "    traces:",
        "      receivers: [otlp]",
        "      processors: [memory_limiter, genai_normalize, genai_cost, redaction, truncate,"
            + " tail_sampling, batch]",
        "      exporters: [otlp_grpc]",
        "");
  }

  private static String telemetry(Ports p) {
    return String.join(
        "\n",
        "extensions:",
        "  health_check: {endpoint: \"127.0.0.1:" + p.health() + "\"}",
        "service:",
        "  extensions: [health_check]",
        "  telemetry:",
        "    metrics: {address: \"127.0.0.1:" + p.metrics() + "\"}");
  }
}
