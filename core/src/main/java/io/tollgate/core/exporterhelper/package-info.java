/**
 * The machinery every exporter shares, after the OpenTelemetry Collector's {@code exporterhelper}:
 * a bounded sending queue, {@code num_consumers} concurrent senders, retries with exponential
 * backoff and jitter that honour the server's {@code Retry-After} / {@code RetryInfo}, the
 * collector's {@code otelcol_exporter_*} metrics, and a shutdown that drains by a deadline.
 *
 * <p>A new exporter is a {@link io.tollgate.core.exporterhelper.Sender} (one request, one async
 * result) plus its config: {@link io.tollgate.core.exporterhelper.QueuedRetryExporter#builder}
 * does the rest. The shared config records ({@link io.tollgate.core.exporterhelper.QueueSettings},
 * {@link io.tollgate.core.exporterhelper.RetrySettings},
 * {@link io.tollgate.core.exporterhelper.TlsSettings},
 * {@link io.tollgate.core.exporterhelper.Compression}) bind the collector's keys
 * {@code sending_queue}, {@code retry_on_failure}, {@code tls} and {@code compression}.
 */
package io.tollgate.core.exporterhelper;
