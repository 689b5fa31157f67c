package io.tollgate.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.config.internal.ConfigMappers;
import io.tollgate.config.internal.EnvExpander;
import io.tollgate.config.internal.SecretMasker;
import io.tollgate.config.internal.SetFlags;
import io.tollgate.config.internal.ShapeChecker;
import io.tollgate.config.internal.Suggestions;
import io.tollgate.config.internal.Trees;
import io.tollgate.config.internal.YamlReader;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentFactory;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.ConfigIssues.Issue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Loads a collector configuration: reads the {@code --config} sources and merges them in order
 * (maps merge, lists and values replace), applies {@code --set} flags, expands {@code ${env:…}},
 * binds every component's section over its factory's defaults, validates it, and checks the
 * pipelines. Every problem in the whole configuration is collected before {@link ConfigException}
 * is thrown, so the user fixes everything in one round.
 *
 * <p>Config locations: a file path, or {@code file:PATH}, {@code env:VARIABLE} (YAML in a
 * variable), {@code yaml:INLINE} (keys may use {@code ::} as separator, as with the collector),
 * {@code classpath:RESOURCE}.
 */
public final class ConfigLoader {

  private static final List<String> SECTIONS =
      List.of("receivers", "processors", "exporters", "extensions", "connectors", "service");
  private static final List<ComponentKind> PIPELINE_KINDS =
      List.of(ComponentKind.RECEIVER, ComponentKind.PROCESSOR, ComponentKind.EXPORTER);
  private static final Set<String> OTHER_SIGNALS = Set.of("metrics", "logs", "profiles");

  private final Components components;
  private final Function<String, String> env;
  private final ObjectMapper binding = ConfigMappers.binding();

  private ConfigLoader(Builder b) {
    this.components = Objects.requireNonNull(b.components, "components");
    this.env = b.env;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The components this loader resolves types against. */
  public Components components() {
    return components;
  }

  /**
   * Loads, merges, expands, binds and validates.
   *
   * @param locations config sources, merged in order (later ones win)
   * @param setFlags {@code key.path=value} overrides, applied after every source, in order
   * @throws ConfigException with every problem found
   */
  public CollectorConfig load(List<String> locations, List<String> setFlags)
      throws ConfigException {
    ConfigIssues errors = new ConfigIssues();
    ConfigIssues warnings = new ConfigIssues();
    if (locations.isEmpty()) {
      errors.add("no configuration given; pass --config <file>");
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (String location : locations) {
      JsonNode tree = read(location, errors);
      if (tree == null || tree.isNull()) {
        continue;
      }
      if (!tree.isObject()) {
        errors.add(
            location
                + ": the top level must be a map of sections (receivers, processors, exporters,"
                + " extensions, service), not "
                + Trees.describeKind(tree));
        continue;
      }
      Trees.merge(root, tree);
    }
    for (String flag : setFlags) {
      SetFlags.apply(root, flag, errors);
    }
    fail(errors, warnings);

    ConfigIssues envErrors = new ConfigIssues();
    new EnvExpander(env, envErrors, warnings).expandAll(root, "");
    Set<String> envErrorPaths =
        envErrors.issues().stream().map(Issue::path).collect(Collectors.toSet());

    ConfigIssues bindErrors = new ConfigIssues();
    CollectorConfig config = bind(root, bindErrors, warnings);
    List<Issue> all = new ArrayList<>(envErrors.issues());
    for (Issue issue : bindErrors.issues()) {
      // A broken ${...} expanded to ""; don't also complain that "" is not a duration.
      if (!envErrorPaths.contains(issue.path())) {
        all.add(issue);
      }
    }
    if (!all.isEmpty()) {
      throw new ConfigException(all, warnings.issues());
    }
    return config;
  }

  /** Convenience for tests and embedding: one YAML text, no flags. */
  public CollectorConfig loadYaml(String yaml) throws ConfigException {
    return load(List.of("yaml:" + yaml), List.of());
  }

  private static void fail(ConfigIssues errors, ConfigIssues warnings) throws ConfigException {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors.issues(), warnings.issues());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sources

  private JsonNode read(String location, ConfigIssues errors) {
    String text;
    boolean inline = false;
    try {
      if (location.startsWith("yaml:")) {
        text = location.substring("yaml:".length());
        inline = true;
      } else if (location.startsWith("env:")) {
        String name = location.substring("env:".length());
        text = env.apply(name);
        if (text == null) {
          errors.add(location + ": environment variable " + name + " is not set");
          return null;
        }
      } else if (location.startsWith("classpath:")) {
        String resource = location.substring("classpath:".length());
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
          if (in == null) {
            errors.add(location + ": no such resource");
            return null;
          }
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } else if (location.startsWith("http:") || location.startsWith("https:")) {
        errors.add(location + ": only files, env: and yaml: sources are supported");
        return null;
      } else {
        String file = location.startsWith("file:") ? location.substring("file:".length()) : location;
        text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      }
    } catch (NoSuchFileException e) {
      errors.add(location + ": no such file");
      return null;
    } catch (IOException | RuntimeException e) {
      errors.add(location + ": cannot read: " + e);
      return null;
    }
    try {
      JsonNode tree = YamlReader.read(text);
      return inline ? splitColonKeys(tree) : tree;
    } catch (YamlReader.YamlSyntaxException e) {
      errors.add((inline ? "--config yaml" : location) + ": " + e.getMessage());
      return null;
    }
  }

  /** {@code yaml:a::b: 1} means {@code a: {b: 1}}, as with the collector's yaml provider. */
  private static JsonNode splitColonKeys(JsonNode node) {
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String[] parts = e.getKey().split("::");
      ObjectNode nested = JsonNodeFactory.instance.objectNode();
      ObjectNode cursor = nested;
      for (int i = 0; i < parts.length - 1; i++) {
        cursor = cursor.putObject(parts[i]);
      }
      cursor.set(parts[parts.length - 1], splitColonKeys(e.getValue()));
      Trees.merge(out, nested);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Binding

  private CollectorConfig bind(ObjectNode root, ConfigIssues errors, ConfigIssues warnings) {
    Iterator<String> names = root.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!SECTIONS.contains(name)) {
        errors.add(
            name,
            ShapeChecker.unknownKeyMessage(name, new LinkedHashSet<>(SECTIONS))
                .replace("unknown key", "unknown section"));
      }
    }
    Map<ComponentKind, Map<String, ConfiguredComponent>> bound = new EnumMap<>(ComponentKind.class);
    Map<ComponentKind, Set<String>> defined = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      bound.put(kind, new LinkedHashMap<>());
      defined.put(kind, new LinkedHashSet<>());
    }
    for (ComponentKind kind : ComponentKind.values()) {
      bindSection(kind, root.get(kind.section()), bound.get(kind), defined.get(kind), errors);
    }
    JsonNode connectors = root.get("connectors");
    boolean noConnectors =
        connectors == null || connectors.isNull() || (connectors.isObject() && connectors.isEmpty());
    if (!noConnectors) {
      errors.add(
          "connectors",
          "connectors are not supported yet; remove this section (Tollgate runs traces pipelines"
              + " from receivers to exporters)");
    }
    ServiceConfig service = bindService(root.get("service"), errors);
    if (service != null) {
      service = checkPipelines(service, defined, bound, errors, warnings);
    }
    return new CollectorConfig(
        bound, service == null ? ServiceConfig.defaults() : service, warnings.issues());
  }

  private void bindSection(
      ComponentKind kind,
      JsonNode section,
      Map<String, ConfiguredComponent> out,
      Set<String> defined,
      ConfigIssues errors) {
    if (section == null || section.isNull()) {
      return;
    }
    if (!section.isObject()) {
      errors.add(
          kind.section(),
          "expected a map from component id to settings (e.g. "
              + exampleId(kind)
              + ": {}), got "
              + Trees.describeKind(section));
      return;
    }
    for (Map.Entry<String, JsonNode> e : section.properties()) {
      String path = kind.section() + "." + e.getKey();
      ComponentId id;
      try {
        id = ComponentId.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        errors.add(path, ex.getMessage() + "; an id is type or type/name, e.g. otlp/tempo");
        continue;
      }
      if (!defined.add(id.toString())) {
        errors.add(path, "`" + id + "` is defined twice in " + kind.section());
        continue;
      }
      Optional<ComponentFactory<?>> factory = components.find(kind, id.type());
      if (factory.isEmpty()) {
        errors.add(path, unknownType(kind, id.type()));
        continue;
      }
      ComponentConfig config =
          bindConfig(
              factory.get().configClass(),
              () -> factory.get().defaultConfig(),
              e.getValue(),
              path,
              errors,
              p -> null);
      if (config != null) {
        out.put(id.toString(), new ConfiguredComponent(kind, id, factory.get(), config));
      }
    }
  }

  private String unknownType(ComponentKind kind, String type) {
    for (ComponentKind other : ComponentKind.values()) {
      if (other != kind && components.find(other, type).isPresent()) {
        return "`"
            + type
            + "` is "
            + article(other)
            + " "
            + other.displayName()
            + ", not "
            + article(kind)
            + " "
            + kind.displayName()
            + "; define it under "
            + other.section();
      }
    }
    String message = "unknown " + kind.displayName() + " type `" + type + "`";
    Set<String> known = components.names(kind);
    if (known.isEmpty()) {
      return message + "; no " + kind.displayName() + " is installed";
    }
    Optional<String> close = components.closest(kind, type);
    if (close.isPresent()) {
      return message + "; did you mean `" + close.get() + "`?";
    }
    return message
        + "; known "
        + kind.displayName()
        + " types: "
        + known.stream().sorted().map(n -> "`" + n + "`").collect(Collectors.joining(", "))
        + " (see `tollgate components`)";
  }

  private static String article(ComponentKind kind) {
    return kind == ComponentKind.EXPORTER || kind == ComponentKind.EXTENSION ? "an" : "a";
  }

  private static String exampleId(ComponentKind kind) {
    switch (kind) {
      case RECEIVER:
        return "otlp";
      case PROCESSOR:
        return "batch";
      case EXPORTER:
        return "otlp/tempo";
      default:
        return "health_check";
    }
  }

  /**
   * Checks the user's tree against the record, merges it over the defaults, binds, and validates.
   * Returns null (and has reported why) when the section cannot be used.
   */
  private <C extends ComponentConfig> C bindConfig(
      Class<C> type,
      Supplier<? extends ComponentConfig> defaults,
      JsonNode user,
      String path,
      ConfigIssues errors,
      Function<String, String> hints) {
    int before = errors.issues().size();
    if (user == null || user.isNull() || (user.isObject() && user.isEmpty())) {
      // `genai_cost: {}` means the factory's defaults. The tree round trip below would give an
      // equal record (DefaultConfigRoundTripTest checks every bundled component) after building a
      // Jackson serializer and deserializer for it: a large part of a sidecar's start.
      ComponentConfig config;
      try {
        config = defaults.get();
      } catch (RuntimeException e) {
        errors.add(
            path, "the component's default configuration cannot be read (a bug in it): " + e);
        return null;
      }
      if (type.isInstance(config)) {
        return validated(type.cast(config), path, errors, before);
      }
      user = JsonNodeFactory.instance.objectNode();
    }
    // errors is the root view (empty prefix), so the checker's full paths are kept as they are.
    new ShapeChecker(binding, errors, hints).check(user, type, path);
    if (errors.issues().size() > before) {
      return null;
    }
    ObjectNode merged;
    try {
      JsonNode tree = binding.valueToTree(defaults.get());
      merged = tree.isObject() ? (ObjectNode) tree : JsonNodeFactory.instance.objectNode();
    } catch (RuntimeException e) {
      errors.add(path, "the component's default configuration cannot be read (a bug in it): " + e);
      return null;
    }
    Trees.mergeOverDefaults(merged, user);
    UnknownProperties unknown = new UnknownProperties();
    C config;
    try {
      config = binding.readerFor(type).withHandler(unknown).readValue(merged);
    } catch (JsonMappingException e) {
      String at = pathOf(path, e);
      String key = at.substring(at.lastIndexOf('.') + 1);
      // Jackson's messages quote the value; a secret's must not be shown.
      errors.add(
          at,
          SecretMasker.looksSecret(key)
              ? "invalid value (not shown: the key looks secret); check its type and format"
              : bindingMessage(e));
      return null;
    } catch (IOException | RuntimeException e) {
      errors.add(path, "cannot read these settings: " + e.getMessage());
      return null;
    }
    // Keys Jackson did not know but the shape check let through (inside polymorphic or opaque
    // values). Keys that only the defaults had (a component's getter) are not the user's fault.
    for (UnknownProperties.Found f : unknown.found) {
      if (!user.at(f.pointer).isMissingNode()) {
        errors.add(
            path + f.pointer.toString().replace('/', '.'),
            ShapeChecker.unknownKeyMessage(f.key, f.known));
      }
    }
    if (errors.issues().size() > before) {
      return null;
    }
    return validated(config, path, errors, before);
  }

  private static <C extends ComponentConfig> C validated(
      C config, String path, ConfigIssues errors, int before) {
    try {
      config.validate(errors.at(path));
    } catch (RuntimeException e) {
      errors.add(path, "the component could not check its settings (a bug in it): " + e);
    }
    return errors.issues().size() > before ? null : config;
  }

  private static String pathOf(String base, JsonMappingException e) {
    StringBuilder sb = new StringBuilder(base);
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String bindingMessage(JsonMappingException e) {
    Throwable cause = e;
    if (e instanceof ValueInstantiationException && e.getCause() != null) {
      cause = e.getCause();
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      return "invalid value: " + cause.getMessage();
    }
    String m = e.getOriginalMessage();
    int nl = m.indexOf('\n');
    return "invalid value: " + (nl < 0 ? m : m.substring(0, nl));
  }

  /** Records unknown properties instead of failing at the first one. */
  private static final class UnknownProperties extends DeserializationProblemHandler {
    record Found(JsonPointer pointer, String key, Set<String> known) {}

    final List<Found> found = new ArrayList<>();

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      Set<String> known = new LinkedHashSet<>();
      if (deserializer.getKnownPropertyNames() != null) {
        for (Object k : deserializer.getKnownPropertyNames()) {
          known.add(String.valueOf(k));
        }
      }
      found.add(new Found(p.getParsingContext().pathAsPointer(), propertyName, known));
      p.skipChildren();
      return true;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Service and pipelines

  private ServiceConfig bindService(JsonNode user, ConfigIssues errors) {
    return bindConfig(
        ServiceConfig.class,
        ServiceConfig::defaults,
        user,
        "service",
        errors,
        ConfigLoader::serviceHint);
  }

  private static final Set<String> COLLECTOR_METRICS_KEYS = Set.of("readers", "views");
  private static final Set<String> COLLECTOR_LOGS_KEYS =
      Set.of(
          "encoding",
          "development",
          "disable_caller",
          "disable_stacktrace",
          "sampling",
          "output_paths",
          "error_output_paths",
          "initial_fields",
          "processors");

  /** Keys the collector has and Tollgate deliberately does not. */
  private static String serviceHint(String path) {
    String key = path.substring(path.lastIndexOf('.') + 1);
    if (path.startsWith("service.telemetry.metrics.") && COLLECTOR_METRICS_KEYS.contains(key)) {
      return "`"
          + key
          + "` is not supported: Tollgate serves its metrics in Prometheus format at `address`"
          + " (default localhost:8888); set only `address` and `level`";
    }
    if (path.startsWith("service.telemetry.logs.") && COLLECTOR_LOGS_KEYS.contains(key)) {
      return "`" + key + "` is not supported: logs go to stderr; set only `level`";
    }
    if (path.equals("service.telemetry.traces") || path.equals("service.telemetry.resource")) {
      return "`" + key + "` is not supported: Tollgate exports metrics and logs only";
    }
    return null;
  }

  private ServiceConfig checkPipelines(
      ServiceConfig service,
      Map<ComponentKind, Set<String>> defined,
      Map<ComponentKind, Map<String, ConfiguredComponent>> bound,
      ConfigIssues errors,
      ConfigIssues warnings) {
    Map<ComponentKind, Set<String>> used = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      used.put(kind, new HashSet<>());
    }
    if (service.pipelines().isEmpty()) {
      errors.add(
          "service.pipelines",
          "no pipeline is defined; add one, e.g. traces: {receivers: [otlp], exporters: [debug]}");
    }
    Map<String, PipelineConfig> normalised = new LinkedHashMap<>();
    for (Map.Entry<String, PipelineConfig> e : service.pipelines().entrySet()) {
      String path = "service.pipelines." + e.getKey();
      ComponentId pipelineId;
      try {
        pipelineId = ComponentId.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        errors.add(path, "invalid pipeline id: " + ex.getMessage());
        continue;
      }
      String signal = pipelineId.type();
      if (OTHER_SIGNALS.contains(signal)) {
        errors.add(
            path,
            "only traces are supported; Tollgate has no "
                + signal
                + " pipelines, so remove this one (or send "
                + signal
                + " to another collector)");
        continue;
      }
      if (!signal.equals("traces")) {
        String message =
            "unknown pipeline type `" + signal + "`; pipelines are named traces or traces/<name>";
        if (Suggestions.closest(signal, List.of("traces")).isPresent()) {
          message += "; did you mean `traces`?";
        }
        errors.add(path, message);
        continue;
      }
      PipelineConfig p = e.getValue() == null ? new PipelineConfig(null, null, null) : e.getValue();
      List<String> receivers =
          checkIds(path, p.receivers(), ComponentKind.RECEIVER, defined, used, errors);
      List<String> processors =
          checkIds(path, p.processors(), ComponentKind.PROCESSOR, defined, used, errors);
      List<String> exporters =
          checkIds(path, p.exporters(), ComponentKind.EXPORTER, defined, used, errors);
      if (p.receivers().isEmpty()) {
        errors.add(
            path + ".receivers", "a pipeline needs at least one receiver; add e.g. receivers: [otlp]");
      }
      if (p.exporters().isEmpty()) {
        errors.add(
            path + ".exporters",
            "a pipeline needs at least one exporter; add e.g. exporters: [debug]");
      }
      normalised.put(pipelineId.toString(), new PipelineConfig(receivers, processors, exporters));
    }
    List<String> extensions =
        checkIds("service", service.extensions(), ComponentKind.EXTENSION, defined, used, errors);
    for (ComponentKind kind : ComponentKind.values()) {
      for (String id : bound.get(kind).keySet()) {
        if (!used.get(kind).contains(id)) {
          warnings.add(
              kind.section() + "." + id,
              kind == ComponentKind.EXTENSION
                  ? "defined but not listed in service.extensions; it will not be started"
                  : "defined but not used in any pipeline; it will not be started");
        }
      }
    }
    return new ServiceConfig(
        extensions,
        normalised,
        service.telemetry(),
        service.shutdownTimeout(),
        service.shutdownDelay());
  }

  private List<String> checkIds(
      String ownerPath,
      List<String> ids,
      ComponentKind kind,
      Map<ComponentKind, Set<String>> defined,
      Map<ComponentKind, Set<String>> used,
      ConfigIssues errors) {
    String path = ownerPath + "." + kind.section();
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      String raw = ids.get(i);
      if (raw == null || raw.isBlank()) {
        errors.add(path + "[" + i + "]", "empty id; remove it or name a " + kind.displayName());
        continue;
      }
      String id;
      try {
        id = ComponentId.parse(raw).toString();
      } catch (IllegalArgumentException ex) {
        errors.add(path, ex.getMessage());
        continue;
      }
      if (!seen.add(id)) {
        errors.add(path, "`" + id + "` is listed twice; list each " + kind.displayName() + " once");
        continue;
      }
      out.add(id);
      if (defined.get(kind).contains(id)) {
        used.get(kind).add(id);
        continue;
      }
      errors.add(path, notDefined(kind, id, defined));
    }
    return out;
  }

  private String notDefined(
      ComponentKind kind, String id, Map<ComponentKind, Set<String>> defined) {
    for (ComponentKind other : PIPELINE_KINDS) {
      if (other != kind && defined.get(other).contains(id)) {
        return "`"
            + id
            + "` is defined under "
            + other.section()
            + ", not "
            + kind.section()
            + "; list it under "
            + other.section();
      }
    }
    String message = "`" + id + "` is not defined under " + kind.section();
    Optional<String> close = Suggestions.closest(id, defined.get(kind));
    if (close.isPresent()) {
      return message + "; did you mean `" + close.get() + "`?";
    }
    // A pipeline that names a type nobody configured, e.g. `processors: [batch]` with no
    // `batch:` section: the collector wants it defined, so say exactly what to add.
    String type = ComponentId.parse(id).type();
    if (components.find(kind, type).isPresent()) {
      return message
          + "; `"
          + type
          + (kind.displayName().matches("[aeiou].*") ? "` is an " : "` is a ")
          + kind.displayName()
          + " type: add `"
          + id
          + ": {}` under "
          + kind.section()
          + " to use its defaults";
    }
    return message + "; define it there or fix the name";
  }

  /** Builds a {@link ConfigLoader}. */
  public static final class Builder {
    private Components components;
    private Function<String, String> env = EnvExpander.systemEnv();

    private Builder() {}

    /** The factories to resolve types against (default: none; use {@link Components#load()}). */
    public Builder components(Components components) {
      this.components = Objects.requireNonNull(components, "components");
      return this;
    }

    /** Where {@code ${env:NAME}} looks names up (default: the process environment). */
    public Builder env(Function<String, String> env) {
      this.env = Objects.requireNonNull(env, "env");
      return this;
    }

    /** Environment from a map (tests). */
    public Builder env(Map<String, String> env) {
      Map<String, String> copy = Map.copyOf(env);
      return env(copy::get);
    }

    public ConfigLoader build() {
      return new ConfigLoader(this);
    }
  }
}
