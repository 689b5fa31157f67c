package io.tollgate.config.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.AnnotationIntrospector;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Durations;
import io.tollgate.core.component.Secret;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Walks the user's part of a config tree against the shape of the record it will bind to, and
 * reports every unknown key and every value of the wrong type, each with its full path.
 *
 * <p>Why not let Jackson find these: Jackson stops at the first problem, and its messages speak of
 * Java types. This pass sees the whole tree (all problems at once) and knows the value types the
 * config language has (durations, sizes, secrets, enums). It uses Jackson's own introspection for
 * property names (SNAKE_CASE, {@code @JsonProperty}, {@code @JsonAlias}, ignorals), so what it
 * accepts is what Jackson binds. Types it does not understand (polymorphic, {@code Object}) are
 * left to Jackson, whose errors the loader still turns into path-addressed messages.
 */
public final class ShapeChecker {

  /** The type of a value this pass does not check. */
  private static final JavaType OPAQUE = TypeFactory.defaultInstance().constructType(Object.class);

  private final ObjectMapper mapper;
  private final ConfigIssues issues;
  private final Function<String, String> unknownKeyHints;

  /**
   * @param issues a root view (empty path); issues are added with their full path
   * @param unknownKeyHints for a full path, a message that replaces "unknown key" (or null)
   */
  public ShapeChecker(
      ObjectMapper mapper, ConfigIssues issues, Function<String, String> unknownKeyHints) {
    this.mapper = mapper;
    this.issues = issues;
    this.unknownKeyHints = unknownKeyHints;
  }

  public ShapeChecker(ObjectMapper mapper, ConfigIssues issues) {
    this(mapper, issues, p -> null);
  }

  /** Checks {@code node} (found at {@code path}) against {@code type}. */
  public void check(JsonNode node, Class<?> type, String path) {
    check(node, mapper.constructType(type), path);
  }

  private void check(JsonNode node, JavaType type, String path) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    Class<?> raw = type.getRawClass();
    if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
      return;
    }
    if ((type.isCollectionLikeType() || type.isArrayType()) && raw != byte[].class) {
      if (!node.isArray()) {
        issues.add(path, "expected a list, got " + show(node, path, type.getContentType()));
        return;
      }
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), type.getContentType(), path + "[" + i + "]");
        JsonNode text = asTextIfWanted(node.get(i), type.getContentType());
        if (text != null) {
          ((ArrayNode) node).set(i, text);
        }
      }
      return;
    }
    if (type.isMapLikeType()) {
      if (!node.isObject()) {
        issues.add(path, "expected a map, got " + show(node, path, type.getContentType()));
        return;
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String childPath = Trees.join(path, e.getKey());
        JavaType keyType = type.getKeyType();
        if (keyType != null && keyType.isEnumType()) {
          checkEnum(mapper.getNodeFactory().textNode(e.getKey()), keyType.getRawClass(), childPath);
        }
        check(e.getValue(), type.getContentType(), childPath);
        JsonNode text = asTextIfWanted(e.getValue(), type.getContentType());
        if (text != null) {
          ((ObjectNode) node).set(e.getKey(), text);
        }
      }
      return;
    }
    if (raw.isAnnotationPresent(JsonTypeInfo.class)) {
      return; // polymorphic: Jackson knows the subtypes
    }
    BeanDescription bean = leafOrBean(type);
    if (bean == null) {
      checkLeaf(node, type, path);
    } else {
      checkObject(node, type, bean, path);
    }
  }

  /** The bean description when {@code type} is a settings object, or null for a single value. */
  private BeanDescription leafOrBean(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (raw.isPrimitive()
        || raw.isEnum()
        || raw.getName().startsWith("java.")
        || raw == Secret.class
        || raw == ByteSize.class) {
      return null;
    }
    DeserializationConfig config = mapper.getDeserializationConfig();
    BeanDescription bean = config.introspect(type);
    if (bean.findJsonValueAccessor() != null) {
      return null; // a value type (written as one scalar), like ByteSize
    }
    return bean;
  }

  private void checkObject(JsonNode node, JavaType type, BeanDescription bean, String path) {
    if (!node.isObject()) {
      issues.add(path, "expected a map of settings, got " + show(node, path, null));
      return;
    }
    Map<String, JavaType> properties = new LinkedHashMap<>();
    for (BeanPropertyDefinition p : bean.findProperties()) {
      if (!(p.hasConstructorParameter() || p.hasSetter() || p.hasField())) {
        continue; // read-only (a getter): not a key the user can set
      }
      // A single value with its own deserializer is what that deserializer accepts (a number of
      // seconds where the type is a Duration, say): leave it to Jackson. Settings objects with
      // their own deserializer still have their keys and values checked here.
      JavaType valueType = p.getPrimaryType();
      if (hasOwnDeserializer(p) && leafOrBean(valueType) == null) {
        valueType = OPAQUE;
      }
      properties.put(p.getName(), valueType);
      for (PropertyName alias : p.findAliases()) {
        properties.put(alias.getSimpleName(), valueType);
      }
    }
    DeserializationConfig config = mapper.getDeserializationConfig();
    JsonIgnoreProperties.Value ignorals =
        config.getDefaultPropertyIgnorals(type.getRawClass(), bean.getClassInfo());
    boolean anyKey =
        bean.findAnySetterAccessor() != null || (ignorals != null && ignorals.getIgnoreUnknown());
    Set<String> ignored = ignorals == null ? Set.of() : ignorals.findIgnoredForDeserialization();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      String childPath = Trees.join(path, key);
      JavaType propertyType = properties.get(key);
      if (propertyType == null) {
        if (!anyKey && !ignored.contains(key)) {
          issues.add(childPath, unknownKey(childPath, key, properties.keySet()));
        }
        continue;
      }
      check(e.getValue(), propertyType, childPath);
      JsonNode text = asTextIfWanted(e.getValue(), propertyType);
      if (text != null) {
        ((ObjectNode) node).set(key, text);
      }
    }
  }

  /** {@code @JsonDeserialize(using = ...)} on the property (its parameter, field or setter). */
  private boolean hasOwnDeserializer(BeanPropertyDefinition p) {
    AnnotationIntrospector introspector =
        mapper.getDeserializationConfig().getAnnotationIntrospector();
    for (AnnotatedMember m :
        new AnnotatedMember[] {p.getConstructorParameter(), p.getField(), p.getSetter()}) {
      if (m != null && introspector.findDeserializer(m) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * A number or boolean where text is wanted ({@code password: 12345}) becomes text here, so that
   * Jackson never has to convert it: its message would quote the value, and a secret must not
   * appear in an error.
   */
  private static JsonNode asTextIfWanted(JsonNode value, JavaType type) {
    Class<?> raw = type.getRawClass();
    boolean wantsText = raw == String.class || raw == CharSequence.class || raw == Secret.class;
    if (wantsText && (value.isNumber() || value.isBoolean())) {
      return TextNode.valueOf(value.asText());
    }
    return null;
  }

  private String unknownKey(String path, String key, Set<String> valid) {
    String hint = unknownKeyHints.apply(path);
    if (hint != null) {
      return hint;
    }
    return unknownKeyMessage(key, valid);
  }

  /** "unknown key; did you mean `x`?" or the list of valid keys. */
  public static String unknownKeyMessage(String key, Set<String> valid) {
    if (valid.isEmpty()) {
      return "unknown key; this section takes no settings";
    }
    Optional<String> close = Suggestions.closest(key, valid);
    if (close.isPresent()) {
      return "unknown key; did you mean `" + close.get() + "`?";
    }
    return "unknown key; valid keys here: "
        + valid.stream().sorted().map(k -> "`" + k + "`").collect(Collectors.joining(", "));
  }

  private void checkLeaf(JsonNode node, JavaType type, String path) {
    Class<?> raw = type.getRawClass();
    if (raw == Duration.class) {
      checkDuration(node, path);
      return;
    }
    if (raw == ByteSize.class) {
      checkSize(node, path);
      return;
    }
    if (raw.isEnum()) {
      checkEnum(node, raw, path);
      return;
    }
    if (!node.isValueNode()) {
      issues.add(path, "expected " + expected(raw) + ", got " + show(node, path, type));
      return;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      boolean ok =
          node.isBoolean()
              || (node.isTextual()
                  && (node.textValue().equals("true") || node.textValue().equals("false")));
      if (!ok) {
        issues.add(path, "expected true or false, got " + show(node, path, type));
      }
      return;
    }
    if (isWholeNumber(raw)) {
      checkWholeNumber(node, raw, path, type);
      return;
    }
    if (isNumber(raw)) {
      boolean ok = node.isNumber() || (node.isTextual() && parsesAsDouble(node.textValue()));
      if (!ok) {
        issues.add(path, "expected a number, got " + show(node, path, type));
      }
      return;
    }
    if (raw == String.class || raw == CharSequence.class || raw == Secret.class) {
      return; // any scalar reads as text
    }
    try {
      mapper.readerFor(type).readValue(node);
    } catch (Exception e) {
      issues.add(path, "invalid value " + show(node, path, type) + ": " + firstLine(e));
    }
  }

  private void checkDuration(JsonNode node, String path) {
    if (node.isTextual()) {
      try {
        Durations.parse(node.textValue());
        return;
      } catch (IllegalArgumentException e) {
        // fall through to the message below
      }
    } else if (node.isIntegralNumber() && node.asLong() == 0) {
      return;
    }
    String message = "expected a duration like 5s, got " + Trees.render(node);
    if (node.isNumber()) {
      message += "; add a unit: " + node.asText() + "s or " + node.asText() + "ms";
    } else if (node.isTextual()) {
      message += "; units are ns, us, ms, s, m, h (e.g. 200ms, 1m30s)";
    }
    issues.add(path, message);
  }

  private void checkSize(JsonNode node, String path) {
    if (node.isIntegralNumber() && node.asLong() >= 0) {
      return;
    }
    if (node.isTextual()) {
      try {
        ByteSize.parse(node.textValue());
        return;
      } catch (IllegalArgumentException e) {
        // fall through
      }
    }
    issues.add(
        path,
        "expected a size like 64MiB, got "
            + Trees.render(node)
            + "; write bytes (65536) or a unit: KiB, MiB, GiB (or KB, MB, GB)");
  }

  private void checkWholeNumber(JsonNode node, Class<?> raw, String path, JavaType type) {
    BigInteger value = null;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else if (node.isTextual()) {
      try {
        value = new BigInteger(node.textValue().trim());
      } catch (NumberFormatException e) {
        value = null;
      }
    }
    if (value == null) {
      issues.add(path, "expected a whole number, got " + show(node, path, type));
      return;
    }
    int bits =
        (raw == int.class || raw == Integer.class)
            ? 32
            : (raw == short.class || raw == Short.class)
                ? 16
                : (raw == byte.class || raw == Byte.class) ? 8 : (raw == BigInteger.class ? 0 : 64);
    if (bits > 0 && value.bitLength() >= bits) {
      issues.add(
          path,
          "the number " + value + " is too large; at most " + BigInteger.TWO.pow(bits - 1).subtract(
              BigInteger.ONE));
    }
  }

  private void checkEnum(JsonNode node, Class<?> raw, String path) {
    try {
      mapper.readerFor(raw).readValue(node);
      return;
    } catch (Exception e) {
      // fall through to the message below
    }
    List<String> allowed = new ArrayList<>();
    for (Object constant : raw.getEnumConstants()) {
      allowed.add(mapper.valueToTree(constant).asText());
    }
    String message =
        "expected one of "
            + allowed.stream().map(a -> "`" + a + "`").collect(Collectors.joining(", "))
            + ", got "
            + Trees.render(node);
    if (node.isTextual()) {
      Optional<String> close = Suggestions.closest(node.textValue(), allowed);
      if (close.isPresent()) {
        message += "; did you mean `" + close.get() + "`?";
      }
    }
    issues.add(path, message);
  }

  private static String expected(Class<?> raw) {
    if (raw == boolean.class || raw == Boolean.class) {
      return "true or false";
    }
    if (isWholeNumber(raw)) {
      return "a whole number";
    }
    if (isNumber(raw)) {
      return "a number";
    }
    return "a string";
  }

  private static boolean isWholeNumber(Class<?> raw) {
    return raw == int.class
        || raw == Integer.class
        || raw == long.class
        || raw == Long.class
        || raw == short.class
        || raw == Short.class
        || raw == byte.class
        || raw == Byte.class
        || raw == BigInteger.class;
  }

  private static boolean isNumber(Class<?> raw) {
    return raw == double.class
        || raw == Double.class
        || raw == float.class
        || raw == Float.class
        || raw == BigDecimal.class
        || raw == Number.class;
  }

  private static boolean parsesAsDouble(String s) {
    try {
      Double.parseDouble(s.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The value for a message; hidden when the key or the type says it is secret. */
  private static String show(JsonNode node, String path, JavaType type) {
    boolean secret =
        (type != null && type.getRawClass() == Secret.class)
            || SecretMasker.looksSecret(lastKey(path));
    return secret ? Trees.describeKind(node) : Trees.render(node);
  }

  private static String lastKey(String path) {
    String p = path.replaceAll("\\[\\d+]$", "");
    int dot = p.lastIndexOf('.');
    return dot < 0 ? p : p.substring(dot + 1);
  }

  static String firstLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
      m = ((com.fasterxml.jackson.core.JsonProcessingException) t).getOriginalMessage();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
