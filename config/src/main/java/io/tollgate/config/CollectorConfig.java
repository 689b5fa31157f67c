package io.tollgate.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.config.internal.ConfigMappers;
import io.tollgate.config.internal.SecretMasker;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues.Issue;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, bound and validated configuration: every component defined in the file with its
 * config record, and the {@code service} section with pipeline ids normalised. Build the running
 * collector from it with {@link ServiceAssembler}.
 */
public final class CollectorConfig {

  private final Map<ComponentKind, Map<String, ConfiguredComponent>> components;
  private final ServiceConfig service;
  private final List<Issue> warnings;

  CollectorConfig(
      Map<ComponentKind, Map<String, ConfiguredComponent>> components,
      ServiceConfig service,
      List<Issue> warnings) {
    Map<ComponentKind, Map<String, ConfiguredComponent>> copy = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      copy.put(
          kind,
          Collections.unmodifiableMap(
              new LinkedHashMap<>(components.getOrDefault(kind, Map.of()))));
    }
    this.components = copy;
    this.service = service;
    this.warnings = List.copyOf(warnings);
  }

  /** A component by the id written in the file ({@code otlp/tempo}). */
  public Optional<ConfiguredComponent> component(ComponentKind kind, String id) {
    return Optional.ofNullable(components.get(kind).get(id));
  }

  /** Every component of a kind defined in the file (used in a pipeline or not), in file order. */
  public List<ConfiguredComponent> components(ComponentKind kind) {
    return new ArrayList<>(components.get(kind).values());
  }

  public ServiceConfig service() {
    return service;
  }

  /** What is suspicious but not wrong: unset variables, components defined but unused. */
  public List<Issue> warnings() {
    return warnings;
  }

  /**
   * The effective configuration, as {@code print-config} shows it: every component with its
   * defaults filled in, environment references expanded, secrets masked.
   */
  public ObjectNode toTree() {
    ObjectMapper printing = ConfigMappers.printing();
    ObjectNode root = printing.createObjectNode();
    for (ComponentKind kind : ComponentKind.values()) {
      Map<String, ConfiguredComponent> section = components.get(kind);
      if (section.isEmpty()) {
        continue;
      }
      ObjectNode out = root.putObject(kind.section());
      for (ConfiguredComponent c : section.values()) {
        out.set(c.id().toString(), printing.valueToTree(c.config()));
      }
    }
    JsonNode serviceTree = printing.valueToTree(service);
    root.set("service", serviceTree);
    SecretMasker.mask(root);
    return root;
  }

  /** {@link #toTree()} as YAML. */
  public String toYaml() {
    try {
      return ConfigMappers.yaml().writeValueAsString(toTree());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
