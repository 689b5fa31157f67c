package io.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.config.internal.ConfigMappers;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Extension;
import io.tollgate.core.component.ExtensionFactory;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Receiver;
import io.tollgate.core.component.Secret;
import io.tollgate.core.component.ReceiverFactory;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.pipeline.ExecutorHop;
import io.tollgate.core.pipeline.FanOutConsumer;
import io.tollgate.core.pipeline.ObservedProcessor;
import io.tollgate.core.pipeline.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds the running graph ({@link Service}) from a {@link CollectorConfig}, as the collector does:
 *
 * <ul>
 *   <li>each exporter used by a pipeline is created once and shared by every pipeline that lists
 *       it (one queue per exporter);
 *   <li>each pipeline gets its own instance of each of its processors, wrapped to count {@code
 *       otelcol_processor_incoming_items}/{@code outgoing_items}; the last one feeds the fan-out
 *       to the pipeline's exporters;
 *   <li>each receiver is created once and feeds every pipeline that lists it, each through an
 *       {@link ExecutorHop} onto the worker threads (the fan-out gives each pipeline its own copy
 *       when the pipeline changes data), which cuts a large request across idle workers when a
 *       processor of the pipeline reads spans;
 *   <li>the extensions of {@code service.extensions}, in order.
 * </ul>
 *
 * Components defined but used nowhere are not created.
 */
public final class ServiceAssembler {

  private ServiceAssembler() {}

  /** What the components share: the meter registry and the collector's threads. */
  public record Resources(
      MeterRegistry meterRegistry, ScheduledExecutorService scheduler, Executor workers) {
    public Resources {
      Objects.requireNonNull(meterRegistry, "meterRegistry");
      Objects.requireNonNull(scheduler, "scheduler");
      Objects.requireNonNull(workers, "workers");
    }
  }

  /** The built service and a description of it for the startup log. */
  public record Assembly(Service service, List<String> pipelines, List<String> listening) {}

  /**
   * Creates every used component and wires them.
   *
   * @throws ConfigException when a factory refuses its config, with every such failure
   */
  public static Assembly assemble(CollectorConfig config, Resources resources)
      throws ConfigException {
    AtomicReference<Service> serviceRef = new AtomicReference<>();
    ComponentContext base =
        ComponentContext.builder(ComponentKind.EXTENSION, ComponentId.of("service"))
            .meterRegistry(resources.meterRegistry())
            .scheduler(resources.scheduler())
            .workers(resources.workers())
            .pipelinesReady(
                () -> {
                  Service s = serviceRef.get();
                  return s != null && s.isReady();
                })
            .build();
    ConfigIssues errors = new ConfigIssues();
    Map<String, PipelineConfig> pipelines = config.service().pipelines();

    // Exporters: one instance each, shared.
    Map<String, Exporter> exporters = new LinkedHashMap<>();
    java.util.Set<String> attempted = new java.util.HashSet<>();
    for (PipelineConfig p : pipelines.values()) {
      for (String id : p.exporters()) {
        if (attempted.add(id)) {
          ConfiguredComponent c = get(config, ComponentKind.EXPORTER, id);
          Exporter e =
              create(
                  c,
                  errors,
                  () ->
                      createExporter(
                          (ExporterFactory<?>) c.factory(),
                          c.config(),
                          base.forComponent(ComponentKind.EXPORTER, c.id(), "")));
          if (e != null) {
            exporters.put(id, e);
          }
        }
      }
    }

    // Processors: one chain per pipeline, built back to front.
    List<Service.Named> processors = new ArrayList<>();
    Map<String, TracesConsumer> entries = new LinkedHashMap<>();
    List<String> descriptions = new ArrayList<>();
    for (Map.Entry<String, PipelineConfig> e : pipelines.entrySet()) {
      String pipelineId = e.getKey();
      PipelineConfig p = e.getValue();
      List<TracesConsumer> targets = new ArrayList<>();
      for (String id : p.exporters()) {
        if (exporters.containsKey(id)) {
          targets.add(exporters.get(id));
        }
      }
      if (targets.size() != p.exporters().size()) {
        continue; // an exporter failed to build; reported already
      }
      TracesConsumer next = FanOutConsumer.of(targets);
      List<Service.Named> chain = new ArrayList<>();
      boolean complete = true;
      boolean readsSpans = false;
      for (int i = p.processors().size() - 1; i >= 0; i--) {
        String id = p.processors().get(i);
        ConfiguredComponent c = get(config, ComponentKind.PROCESSOR, id);
        TracesConsumer downstream = next;
        MeterRegistry registry = resources.meterRegistry();
        Processor created =
            create(
                c,
                errors,
                () ->
                    createProcessor(
                        (ProcessorFactory<?>) c.factory(),
                        c.config(),
                        base.forComponent(ComponentKind.PROCESSOR, c.id(), pipelineId),
                        ObservedProcessor.countingNext(downstream, registry, id, pipelineId)));
        if (created == null) {
          complete = false;
          continue;
        }
        readsSpans |= created.readsSpans();
        ObservedProcessor observed = ObservedProcessor.wrap(created, registry, id, pipelineId);
        chain.add(0, new Service.Named("processor " + id + " (" + pipelineId + ")", observed));
        next = observed;
      }
      if (!complete) {
        continue;
      }
      processors.addAll(chain);
      entries.put(pipelineId, new ExecutorHop(resources.workers(), next, readsSpans));
      descriptions.add(
          pipelineId
              + ": "
              + String.join(", ", p.receivers())
              + " -> "
              + (p.processors().isEmpty() ? "" : String.join(" -> ", p.processors()) + " -> ")
              + String.join(", ", p.exporters()));
    }

    // Receivers: one instance each, feeding every pipeline that lists it.
    Map<String, List<TracesConsumer>> receiverTargets = new LinkedHashMap<>();
    for (Map.Entry<String, PipelineConfig> e : pipelines.entrySet()) {
      TracesConsumer entry = entries.get(e.getKey());
      for (String id : e.getValue().receivers()) {
        List<TracesConsumer> list = receiverTargets.computeIfAbsent(id, k -> new ArrayList<>());
        if (entry != null) {
          list.add(entry);
        }
      }
    }
    List<Service.Named> receivers = new ArrayList<>();
    for (Map.Entry<String, List<TracesConsumer>> e : receiverTargets.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue; // all its pipelines failed to build; reported already
      }
      ConfiguredComponent c = get(config, ComponentKind.RECEIVER, e.getKey());
      TracesConsumer next = FanOutConsumer.of(e.getValue());
      Receiver r =
          create(
              c,
              errors,
              () ->
                  createReceiver(
                      (ReceiverFactory<?>) c.factory(),
                      c.config(),
                      base.forComponent(ComponentKind.RECEIVER, c.id(), ""),
                      next));
      if (r != null) {
        receivers.add(new Service.Named("receiver " + e.getKey(), r));
      }
    }

    List<Service.Named> extensions = new ArrayList<>();
    for (String id : config.service().extensions()) {
      ConfiguredComponent c = get(config, ComponentKind.EXTENSION, id);
      Extension x =
          create(
              c,
              errors,
              () ->
                  createExtension(
                      (ExtensionFactory<?>) c.factory(),
                      c.config(),
                      base.forComponent(ComponentKind.EXTENSION, c.id(), "")));
      if (x != null) {
        extensions.add(new Service.Named("extension " + id, x));
      }
    }

    if (!errors.isEmpty()) {
      throw new ConfigException(errors.issues(), List.of());
    }
    List<Service.Named> exporterList = new ArrayList<>();
    exporters.forEach((id, e) -> exporterList.add(new Service.Named("exporter " + id, e)));
    Service service =
        new Service(
            extensions, exporterList, processors, receivers, new ArrayList<>(pipelines.keySet()));
    serviceRef.set(service);
    return new Assembly(service, descriptions, listening(config));
  }

  /**
   * Where receivers and extensions listen, read from their effective config: every {@code
   * endpoint} key (the collector's convention for server addresses).
   */
  static List<String> listening(CollectorConfig config) {
    List<String> out = new ArrayList<>();
    for (ComponentKind kind : List.of(ComponentKind.RECEIVER, ComponentKind.EXTENSION)) {
      for (ConfiguredComponent c : config.components(kind)) {
        boolean used =
            kind == ComponentKind.EXTENSION
                ? config.service().extensions().contains(c.id().toString())
                : config.service().pipelines().values().stream()
                    .anyMatch(p -> p.receivers().contains(c.id().toString()));
        if (used) {
          collectEndpoints(
              ConfigMappers.printing().valueToTree(c.config()), c.id().toString(), out);
        }
      }
    }
    return out;
  }

  private static void collectEndpoints(JsonNode node, String path, List<String> out) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getKey().equals("endpoint") && e.getValue().isTextual()) {
        out.add(path + " on " + withoutUserInfo(e.getValue().textValue()));
      } else if (e.getValue().isObject()) {
        collectEndpoints(e.getValue(), path + "." + e.getKey(), out);
      }
    }
  }

  /** {@code http://user:secret@host} → {@code http://[REDACTED]@host}: logs never show it. */
  static String withoutUserInfo(String endpoint) {
    return endpoint.replaceAll("(^|//)[^/@\\s]+@", "$1" + Secret.MASK + "@");
  }

  private static ConfiguredComponent get(CollectorConfig config, ComponentKind kind, String id) {
    return config
        .component(kind, id)
        .orElseThrow(
            () -> new IllegalStateException(kind.displayName() + " " + id + " was not bound"));
  }

  private interface Creator<T> {
    T create();
  }

  private static <T> T create(ConfiguredComponent c, ConfigIssues errors, Creator<T> creator) {
    try {
      T created = creator.create();
      if (created == null) {
        errors.add(c.path(), "the factory returned nothing (a bug in the component)");
      }
      return created;
    } catch (RuntimeException e) {
      errors.add(c.path(), "cannot be created: " + e.getMessage());
      return null;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Exporter createExporter(
      ExporterFactory factory, ComponentConfig config, ComponentContext ctx) {
    return factory.create(config, ctx);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Processor createProcessor(
      ProcessorFactory factory, ComponentConfig config, ComponentContext ctx, TracesConsumer next) {
    return factory.create(config, ctx, next);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Receiver createReceiver(
      ReceiverFactory factory, ComponentConfig config, ComponentContext ctx, TracesConsumer next) {
    return factory.create(config, ctx, next);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Extension createExtension(
      ExtensionFactory factory, ComponentConfig config, ComponentContext ctx) {
    return factory.create(config, ctx);
  }
}
