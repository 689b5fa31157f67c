package io.tollgate.collector.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Wraps an SDK exporter and keeps the result of every export, so that a test sees what the
 * application's exporter saw (a {@code BatchSpanProcessor} only logs a failed export).
 */
public final class ExportResults implements SpanExporter {

  private final SpanExporter delegate;
  private final List<CompletableResultCode> results = new CopyOnWriteArrayList<>();

  public ExportResults(SpanExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    CompletableResultCode result = delegate.export(spans);
    results.add(result);
    return result;
  }

  /** Every export's result, in order. */
  public List<CompletableResultCode> results() {
    return results;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
