package io.tollgate.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.config.Components;
import io.tollgate.config.internal.ConfigMappers;
import io.tollgate.core.component.ComponentFactory;
import io.tollgate.core.component.ComponentKind;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate components}: every component type this build has, as YAML. */
@Command(
    name = "components",
    mixinStandardHelpOptions = true,
    versionProvider = Version.Provider.class,
    description = {
      "Lists the component types of this build, per kind, with stability, aliases and"
          + " description (YAML, as the collector's `components`)."
    })
final class ComponentsCommand implements Callable<Integer> {

  @ParentCommand TollgateCommand parent;

  @Override
  public Integer call() throws JsonProcessingException {
    Components components = parent.components();
    ObjectNode root = ConfigMappers.yaml().createObjectNode();
    ObjectNode build = root.putObject("buildinfo");
    build.put("command", "tollgate");
    build.put("description", "Tollgate: an OpenTelemetry-Collector-style gateway for LLM traces");
    build.put("version", Version.get());
    for (ComponentKind kind : ComponentKind.values()) {
      ArrayNode list = root.putArray(kind.section());
      for (ComponentFactory<?> f : components.factories(kind)) {
        ObjectNode entry = list.addObject();
        entry.put("name", f.type());
        entry.put("stability", f.stability().toString());
        if (!f.aliases().isEmpty()) {
          ArrayNode aliases = entry.putArray("aliases");
          f.aliases().forEach(aliases::add);
        }
        if (!f.description().isEmpty()) {
          entry.put("description", f.description());
        }
      }
    }
    PrintWriter out = parent.spec.commandLine().getOut();
    out.print(ConfigMappers.yaml().writeValueAsString(root));
    out.flush();
    return ExitCodes.OK;
  }
}
