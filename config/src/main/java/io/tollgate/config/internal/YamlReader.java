package io.tollgate.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML into a Jackson tree the way the OpenTelemetry Collector (go-yaml v3) reads it.
 *
 * <p>Why not Jackson's own YAML tree reader: it turns an alias ({@code *retry}) into the string
 * {@code "retry"} without a word, ignores merge keys ({@code <<}), and reads {@code on}/{@code yes}
 * as booleans (YAML 1.1). Here SnakeYAML composes the node graph (anchors resolved, alias bombs
 * bounded) and scalars are typed with the YAML 1.2 core schema, as go-yaml does.
 */
public final class YamlReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 200;

  private YamlReader() {}

  /** A problem in the YAML text itself, with its line. */
  public static final class YamlSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    YamlSyntaxException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses one YAML document.
   *
   * @return the root node; an empty or comment-only document gives {@link
   *     com.fasterxml.jackson.databind.node.NullNode}
   */
  public static JsonNode read(String text) throws YamlSyntaxException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(100);
    options.setAllowRecursiveKeys(false);
    Yaml yaml =
        new Yaml(
            new SafeConstructor(options),
            new Representer(new DumperOptions()),
            new DumperOptions(),
            options,
            new CoreSchemaResolver());
    Node root;
    try {
      root = yaml.compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new YamlSyntaxException(describe(e));
    } catch (YAMLException e) {
      throw new YamlSyntaxException(e.getMessage());
    }
    if (root == null) {
      return NODES.nullNode();
    }
    return convert(root, 0);
  }

  private static String describe(MarkedYAMLException e) {
    StringBuilder sb = new StringBuilder();
    Mark at = e.getProblemMark();
    if (at != null) {
      sb.append("line ").append(at.getLine() + 1).append(", column ").append(at.getColumn() + 1);
      sb.append(": ");
    }
    sb.append(e.getProblem() == null ? "invalid YAML" : e.getProblem());
    if (e.getContext() != null) {
      sb.append(" (").append(e.getContext());
      Mark ctx = e.getContextMark();
      if (ctx != null) {
        sb.append(" at line ").append(ctx.getLine() + 1).append(", column ");
        sb.append(ctx.getColumn() + 1);
      }
      sb.append(')');
    }
    return sb.toString();
  }

  private static JsonNode convert(Node node, int depth) throws YamlSyntaxException {
    if (depth > MAX_DEPTH) {
      throw new YamlSyntaxException(
          at(node) + "nesting deeper than " + MAX_DEPTH + " levels (a recursive alias?)");
    }
    if (node instanceof ScalarNode) {
      return scalar((ScalarNode) node);
    }
    if (node instanceof SequenceNode) {
      ArrayNode array = NODES.arrayNode();
      for (Node item : ((SequenceNode) node).getValue()) {
        array.add(convert(item, depth + 1));
      }
      return array;
    }
    return mapping((MappingNode) node, depth);
  }

  private static ObjectNode mapping(MappingNode node, int depth) throws YamlSyntaxException {
    Map<String, JsonNode> explicit = new LinkedHashMap<>();
    List<MappingNode> merged = new ArrayList<>();
    for (NodeTuple tuple : node.getValue()) {
      Node keyNode = tuple.getKeyNode();
      Node valueNode = tuple.getValueNode();
      if (keyNode.getTag().equals(Tag.MERGE)) {
        collectMerge(valueNode, merged);
        continue;
      }
      if (!(keyNode instanceof ScalarNode)) {
        throw new YamlSyntaxException(at(keyNode) + "a key must be a plain value, not a list or map");
      }
      String key = ((ScalarNode) keyNode).getValue();
      if (explicit.containsKey(key)) {
        throw new YamlSyntaxException(at(keyNode) + "key \"" + key + "\" is defined twice in this map");
      }
      explicit.put(key, convert(valueNode, depth + 1));
    }
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : explicit.entrySet()) {
      out.set(e.getKey(), e.getValue());
    }
    // Merge keys: explicit keys win; among merged maps the first one listed wins (YAML spec).
    for (MappingNode m : merged) {
      JsonNode converted = convert(m, depth + 1);
      for (Map.Entry<String, JsonNode> f : converted.properties()) {
        if (!out.has(f.getKey())) {
          out.set(f.getKey(), f.getValue());
        }
      }
    }
    return out;
  }

  private static void collectMerge(Node value, List<MappingNode> into) throws YamlSyntaxException {
    if (value instanceof MappingNode) {
      into.add((MappingNode) value);
    } else if (value instanceof SequenceNode) {
      for (Node item : ((SequenceNode) value).getValue()) {
        if (!(item instanceof MappingNode)) {
          throw new YamlSyntaxException(at(item) + "a merge key (<<) takes maps only");
        }
        into.add((MappingNode) item);
      }
    } else {
      throw new YamlSyntaxException(at(value) + "a merge key (<<) takes a map or a list of maps");
    }
  }

  private static JsonNode scalar(ScalarNode node) {
    String v = node.getValue();
    Tag tag = node.getTag();
    if (tag.equals(Tag.NULL)) {
      return NODES.nullNode();
    }
    if (tag.equals(Tag.BOOL)) {
      return NODES.booleanNode(v.toLowerCase(Locale.ROOT).equals("true"));
    }
    if (tag.equals(Tag.INT)) {
      BigInteger n = parseInt(v);
      if (n != null) {
        if (n.bitLength() < 32) {
          return NODES.numberNode(n.intValue());
        }
        if (n.bitLength() < 64) {
          return NODES.numberNode(n.longValue());
        }
        return NODES.numberNode(n);
      }
      return NODES.textNode(v);
    }
    if (tag.equals(Tag.FLOAT)) {
      String s = v.toLowerCase(Locale.ROOT);
      if (s.endsWith(".inf")) {
        return NODES.numberNode(
            s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
      }
      if (s.equals(".nan")) {
        return NODES.numberNode(Double.NaN);
      }
      try {
        return NODES.numberNode(Double.parseDouble(v));
      } catch (NumberFormatException e) {
        return NODES.textNode(v);
      }
    }
    return NODES.textNode(v);
  }

  private static BigInteger parseInt(String v) {
    String s = v;
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    try {
      BigInteger n;
      if (s.startsWith("0x")) {
        n = new BigInteger(s.substring(2), 16);
      } else if (s.startsWith("0o")) {
        n = new BigInteger(s.substring(2), 8);
      } else {
        n = new BigInteger(s);
      }
      return negative ? n.negate() : n;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String at(Node node) {
    Mark m = node.getStartMark();
    return m == null ? "" : "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ";
  }

  /** YAML 1.2 core schema: only true/false are booleans, no sexagesimal or 0755 octal. */
  private static final class CoreSchemaResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(
          Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
      addImplicitResolver(
          Tag.INT, Pattern.compile("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789");
      addImplicitResolver(
          Tag.FLOAT,
          Pattern.compile(
              "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                  + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"),
          "-+0123456789.");
      addImplicitResolver(Tag.MERGE, Pattern.compile("^(?:<<)$"), "<");
      addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL| )$"), "~nN\0");
      addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
    }
  }
}
