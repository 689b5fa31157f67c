package io.tollgate.exporter.file;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.QueuedRetryExporter;
import io.tollgate.core.exporterhelper.RetrySettings;
import io.tollgate.exporter.internal.Validation;

/** {@code file}: OTLP/JSON lines in a file, rotated by size. */
public final class FileExporterFactory implements ExporterFactory<FileConfig> {

  /** One writer, so lines stay in order; 100 batches may wait for a slow disk. */
  static final QueueSettings QUEUE = new QueueSettings(true, 1, 100);

  @Override
  public String type() {
    return "file";
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public Class<FileConfig> configClass() {
    return FileConfig.class;
  }

  @Override
  public FileConfig defaultConfig() {
    return FileConfig.defaults();
  }

  @Override
  public String description() {
    return "Writes spans as OTLP/JSON lines to a file, rotated by size.";
  }

  @Override
  public Exporter create(FileConfig config, ComponentContext context) {
    Validation.requireValid(config, context);
    return create(new FileSender(config, "tollgate-" + context.id() + "-writer"), context);
  }

  static Exporter create(FileSender sender, ComponentContext context) {
    return QueuedRetryExporter.builder(context, sender)
        .queue(QUEUE)
        .retry(RetrySettings.disabled())
        .build();
  }
}
