package io.tollgate.config.testing;

import io.tollgate.config.CollectorConfig;
import io.tollgate.config.Components;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentFactory;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds one component's YAML section through the real {@link ConfigLoader}, so that a component's
 * tests prove what users get: the section is written into a config file with a minimal pipeline
 * around it and loaded as {@code tollgate --config} loads it (unknown keys refused with a
 * suggestion, the section deep-merged over the factory's defaults, durations and sizes parsed,
 * {@code validate} run).
 *
 * <p>The component's factory is found by {@link java.util.ServiceLoader} on the test class path;
 * the pipeline's other ends are a {@value #RECEIVER} receiver and a {@value #EXPORTER} exporter
 * provided here, so a processor's tests need no receiver or exporter module.
 */
public final class ComponentConfigs {

  /** The type of the receiver that feeds the pipeline when the component is not a receiver. */
  public static final String RECEIVER = "test_receiver";

  /** The type of the exporter that ends the pipeline when the component is not an exporter. */
  public static final String EXPORTER = "test_exporter";

  private ComponentConfigs() {}

  /**
   * Binds {@code yaml}, the settings of a component of this kind and type (the text under {@code
   * processors: {tail_sampling: ...}}; block or flow style; empty means no settings).
   *
   * @throws ConfigException with every problem the loader found, as the user would see them
   */
  @SuppressWarnings("unchecked")
  public static <C extends ComponentConfig> C bind(ComponentKind kind, String type, String yaml)
      throws ConfigException {
    CollectorConfig config = load(kind, type, yaml);
    return (C)
        config
            .component(kind, type)
            .orElseThrow(() -> new AssertionError(type + " was not bound"))
            .config();
  }

  /**
   * {@link #bind}, for tests that use a section as their set-up: a section the loader refuses fails
   * the test with the loader's report.
   */
  public static <C extends ComponentConfig> C bindValid(
      ComponentKind kind, String type, String yaml) {
    try {
      return bind(kind, type, yaml);
    } catch (ConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /**
   * The problems the loader reports for this section, as {@code "path: message"} with the path
   * relative to the section ({@code "policies[0].name: ..."}; the section itself has no path).
   * Problems elsewhere in the file (none, unless this fixture is broken) keep their full path.
   * Empty when the section binds and validates.
   */
  public static List<String> problems(ComponentKind kind, String type, String yaml) {
    return problemIssues(kind, type, yaml).stream()
        .map(ConfigIssues.Issue::toString)
        .collect(Collectors.toList());
  }

  /** {@link #problems}, as issues with their (relative) path and message apart. */
  public static List<ConfigIssues.Issue> problemIssues(
      ComponentKind kind, String type, String yaml) {
    try {
      load(kind, type, yaml);
      return List.of();
    } catch (ConfigException e) {
      String section = kind.section() + "." + type;
      List<ConfigIssues.Issue> out = new ArrayList<>();
      for (ConfigIssues.Issue issue : e.problems()) {
        String path = issue.path();
        if (path.equals(section)) {
          path = "";
        } else if (path.startsWith(section + ".")) {
          path = path.substring(section.length() + 1);
        }
        out.add(new ConfigIssues.Issue(path, issue.message()));
      }
      return out;
    }
  }

  /**
   * What {@code config.validate} reports for a record built in code, as {@code "path: message"}:
   * the same strings {@link #problems} gives for a section that binds but does not validate.
   */
  public static List<String> issues(ComponentConfig config) {
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    return issues.issues().stream().map(ConfigIssues.Issue::toString).collect(Collectors.toList());
  }

  /** Loads a config file holding the section and a pipeline through it. */
  public static CollectorConfig load(ComponentKind kind, String type, String yaml)
      throws ConfigException {
    String file = document(kind, type, yaml);
    Path path;
    try {
      path = Files.createTempFile("tollgate-component-", ".yaml");
      Files.writeString(path, file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return loader().load(List.of(path.toString()), List.of());
    } finally {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // A temporary file left behind is not worth failing a test over.
      }
    }
  }

  /** The real factories on the class path, plus this fixture's receiver and exporter. */
  public static ConfigLoader loader() {
    List<ComponentFactory<?>> factories = new ArrayList<>();
    for (ComponentKind kind : ComponentKind.values()) {
      factories.addAll(Components.load().factories(kind));
    }
    factories.add(new FakeReceiverFactory(RECEIVER));
    factories.add(new MemoryExporterFactory(EXPORTER));
    return ConfigLoader.builder().components(Components.of(factories)).env(Map.of()).build();
  }

  static String document(ComponentKind kind, String type, String yaml) {
    StringBuilder sb = new StringBuilder();
    sb.append(kind.section()).append(":\n  ").append(type).append(":");
    String body = yaml == null ? "" : yaml.stripTrailing();
    if (!body.isBlank()) {
      sb.append('\n');
      for (String line : body.split("\n", -1)) {
        sb.append("    ").append(line).append('\n');
      }
    } else {
      sb.append('\n');
    }
    String receiver = kind == ComponentKind.RECEIVER ? type : RECEIVER;
    String exporter = kind == ComponentKind.EXPORTER ? type : EXPORTER;
    if (kind != ComponentKind.RECEIVER) {
      sb.append("receivers:\n  ").append(RECEIVER).append(":\n");
    }
    if (kind != ComponentKind.EXPORTER) {
      // The fixture exporter checks that an endpoint is set.
      sb.append("exporters:\n  ").append(EXPORTER).append(": {endpoint: \"localhost:1\"}\n");
    }
    sb.append("service:\n");
    if (kind == ComponentKind.EXTENSION) {
      sb.append("  extensions: [").append(type).append("]\n");
    }
    sb.append("  pipelines:\n    traces:\n");
    sb.append("      receivers: [").append(receiver).append("]\n");
    if (kind == ComponentKind.PROCESSOR) {
      sb.append("      processors: [").append(type).append("]\n");
    }
    sb.append("      exporters: [").append(exporter).append("]\n");
    return sb.toString();
  }
}
