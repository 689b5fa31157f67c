package io.tollgate.config;

import io.tollgate.core.component.ComponentConfig;
import java.util.List;

/**
 * One pipeline: component ids, as written in the {@code receivers}, {@code processors} and
 * {@code exporters} sections. Data flows from every receiver through the processors in order to
 * every exporter.
 */
public record PipelineConfig(List<String> receivers, List<String> processors, List<String> exporters)
    implements ComponentConfig {

  public PipelineConfig {
    receivers = receivers == null ? List.of() : receivers;
    processors = processors == null ? List.of() : processors;
    exporters = exporters == null ? List.of() : exporters;
  }
}
