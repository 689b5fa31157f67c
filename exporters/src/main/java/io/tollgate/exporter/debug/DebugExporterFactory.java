package io.tollgate.exporter.debug;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.QueuedRetryExporter;
import io.tollgate.core.exporterhelper.RetrySettings;
import java.io.OutputStream;

/** {@code debug}: prints spans on stdout, one line each (or more with verbosity: detailed). */
public final class DebugExporterFactory implements ExporterFactory<DebugConfig> {

  /**
   * One writer, in order; 100 batches may wait. When stdout cannot keep up the queue fills and
   * the debug exporter refuses (counted), while the other exporters of the pipeline go on.
   */
  static final QueueSettings QUEUE = new QueueSettings(true, 1, 100);

  @Override
  public String type() {
    return "debug";
  }

  @Override
  public Stability stability() {
    return Stability.DEVELOPMENT;
  }

  @Override
  public Class<DebugConfig> configClass() {
    return DebugConfig.class;
  }

  @Override
  public DebugConfig defaultConfig() {
    return DebugConfig.defaults();
  }

  @Override
  public String description() {
    return "Prints one readable line per span (model, tokens, cost) on stdout.";
  }

  @Override
  public Exporter create(DebugConfig config, ComponentContext context) {
    return create(config, context, System.out);
  }

  /** Writes to {@code out} instead of stdout (tests, embedding). */
  static Exporter create(DebugConfig config, ComponentContext context, OutputStream out) {
    return QueuedRetryExporter.builder(
            context, new DebugSender(config, out, "tollgate-" + context.id() + "-writer"))
        .queue(QUEUE)
        .retry(RetrySettings.disabled())
        .build();
  }
}
