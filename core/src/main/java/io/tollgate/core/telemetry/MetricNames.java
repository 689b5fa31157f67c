package io.tollgate.core.telemetry;

/**
 * Self-telemetry names. The {@code otelcol_*} ones are the OpenTelemetry Collector's, with its
 * labels, so existing dashboards and alerts work unchanged. Micrometer's Prometheus registry adds
 * {@code _total} to counters, exactly as the collector's Prometheus output does.
 */
public final class MetricNames {

  private MetricNames() {}

  // Labels, as the collector names them.
  public static final String RECEIVER = "receiver";
  public static final String TRANSPORT = "transport";
  public static final String PROCESSOR = "processor";
  public static final String EXPORTER = "exporter";
  public static final String PIPELINE = "pipeline";

  public static final String RECEIVER_ACCEPTED_SPANS = "otelcol_receiver_accepted_spans";
  public static final String RECEIVER_REFUSED_SPANS = "otelcol_receiver_refused_spans";
  public static final String RECEIVER_FAILED_SPANS = "otelcol_receiver_failed_spans";
  public static final String RECEIVER_REQUESTS = "otelcol_receiver_requests";

  public static final String PROCESSOR_INCOMING_ITEMS = "otelcol_processor_incoming_items";
  public static final String PROCESSOR_OUTGOING_ITEMS = "otelcol_processor_outgoing_items";

  public static final String EXPORTER_SENT_SPANS = "otelcol_exporter_sent_spans";
  public static final String EXPORTER_SEND_FAILED_SPANS = "otelcol_exporter_send_failed_spans";
  public static final String EXPORTER_ENQUEUE_FAILED_SPANS =
      "otelcol_exporter_enqueue_failed_spans";
  public static final String EXPORTER_QUEUE_SIZE = "otelcol_exporter_queue_size";
  public static final String EXPORTER_QUEUE_CAPACITY = "otelcol_exporter_queue_capacity";
  public static final String EXPORTER_IN_FLIGHT_REQUESTS = "otelcol_exporter_in_flight_requests";
}
