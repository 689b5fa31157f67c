package io.tollgate.collector;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --set}, accepted before or after the subcommand. */
final class ConfigOptions {

  @Option(
      names = "--config",
      paramLabel = "<location>",
      description = {
        "A config file (repeatable; later ones merge over earlier ones: maps merge, lists"
            + " replace). Also file:PATH, env:VARIABLE (YAML in a variable) or yaml:INLINE.",
        "Without --config, the embedded default configuration is used."
      })
  List<String> configs = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "<key.path=value>",
      description = {
        "Sets one key, over every file (repeatable), e.g. --set"
            + " exporters.otlp/tempo.endpoint=tempo:4317. The value is read as YAML. Use :: as"
            + " the separator when a key contains a dot."
      })
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--feature-gates",
      paramLabel = "<gates>",
      description = {
        "Accepted for compatibility with the collector's command line (the OpenTelemetry"
            + " Operator may pass it); Tollgate has no feature gates, so it is ignored with a"
            + " warning."
      })
  List<String> featureGates = new ArrayList<>();
}
