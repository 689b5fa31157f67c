package io.tollgate.config;

import io.tollgate.config.testing.FakeReceiverFactory;
import io.tollgate.config.testing.MemoryExporterFactory;
import io.tollgate.config.testing.NoopExtensionFactory;
import io.tollgate.config.testing.TagProcessorFactory;
import java.util.Map;

/** One set of test factories, shaped like the real collector's. */
final class TestComponents {
  final FakeReceiverFactory receivers = new FakeReceiverFactory();
  final TagProcessorFactory tag = new TagProcessorFactory("tag");
  final TagProcessorFactory batch = new TagProcessorFactory("batch");
  final MemoryExporterFactory otlpGrpc = new MemoryExporterFactory("otlp_grpc", "otlp");
  final MemoryExporterFactory otlpHttp = new MemoryExporterFactory("otlp_http", "otlphttp");
  final MemoryExporterFactory debug = new MemoryExporterFactory("debug");
  final NoopExtensionFactory noop = new NoopExtensionFactory();

  Components components() {
    return Components.of(receivers, tag, batch, otlpGrpc, otlpHttp, debug, noop);
  }

  ConfigLoader loader(Map<String, String> env) {
    return ConfigLoader.builder().components(components()).env(env).build();
  }

  ConfigLoader loader() {
    return loader(Map.of());
  }
}
