package io.tollgate.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tollgate.core.component.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Masks what looks secret in a config tree before it is shown to anyone. Fields typed {@link
 * Secret} are already masked when serialised; this is the second line of defence for components
 * (third-party ones included) that used a plain string for an API key.
 *
 * <p>A value is masked when its key looks secret (a part {@code password}, {@code secret}, {@code
 * token}, {@code credential(s)}, {@code apikey}; a last part {@code key} as in {@code api_key} or
 * {@code private_key}; {@code authorization}, {@code cookie}; PEM keys), when it sits under a
 * header map ({@code headers}, {@code *_headers}), or when it reads like a credential ({@code
 * Bearer …}, {@code Basic …}). Keys naming where a secret is ({@code password_file}, {@code
 * token_url}, {@code secret_name}) are not masked, nor are lists of names such as {@code
 * metadata_keys} or counts such as {@code max_tokens}. In any other value, the user-info of a URL
 * ({@code https://user:password@host}) is masked: an endpoint is shown, its password is not.
 */
public final class SecretMasker {

  private static final Set<String> SECRET_PARTS =
      Set.of("password", "passwd", "pwd", "secret", "token", "apikey", "credential", "credentials");
  private static final Set<String> NOT_SECRET_LAST_PARTS =
      Set.of("file", "path", "url", "endpoint", "name", "env", "header", "type", "ref", "id");
  private static final Set<String> NOT_SECRET = Set.of("key", "routing_key");
  // scheme://userinfo@ — only with a scheme, so that an e-mail address (an allow-list entry) stays.
  private static final Pattern URL_USER_INFO =
      Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s?#]+@");

  private SecretMasker() {}

  /** Masks in place; returns {@code tree} for chaining. */
  public static JsonNode mask(JsonNode tree) {
    walk(tree, false);
    return tree;
  }

  /** Whether a key's value should never be shown. */
  public static boolean looksSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT).replace('-', '_');
    if (NOT_SECRET.contains(k)) {
      return false;
    }
    if (k.endsWith("authorization") || k.equals("cookie") || k.equals("set_cookie")) {
      return true;
    }
    String[] parts = k.split("[_.]");
    String last = parts[parts.length - 1];
    if (NOT_SECRET_LAST_PARTS.contains(last)) {
      return false;
    }
    for (String p : parts) {
      if (SECRET_PARTS.contains(p)) {
        return true;
      }
    }
    if (parts.length > 1 && last.equals("key")) {
      return true;
    }
    return k.contains("key") && k.contains("pem");
  }

  private static boolean isHeaderMap(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.equals("headers") || k.endsWith("_headers");
  }

  private static boolean looksLikeCredential(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.startsWith("bearer ") || v.startsWith("basic ");
  }

  private static void walk(JsonNode node, boolean maskAll) {
    if (node instanceof ObjectNode) {
      ObjectNode object = (ObjectNode) node;
      List<String> keys = new ArrayList<>();
      object.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        JsonNode child = object.get(key);
        boolean secret = maskAll || looksSecret(key);
        if (child.isValueNode()) {
          if (shouldMask(child, secret)) {
            object.set(key, TextNode.valueOf(Secret.MASK));
          } else if (child.isTextual()) {
            maskUserInfo(child.textValue(), masked -> object.set(key, masked));
          }
        } else {
          walk(child, secret || isHeaderMap(key));
        }
      }
    } else if (node instanceof ArrayNode) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        JsonNode child = array.get(i);
        if (child.isValueNode()) {
          int index = i;
          if (shouldMask(child, maskAll)) {
            array.set(i, TextNode.valueOf(Secret.MASK));
          } else if (child.isTextual()) {
            maskUserInfo(child.textValue(), masked -> array.set(index, masked));
          }
        } else {
          walk(child, maskAll);
        }
      }
    }
  }

  private static void maskUserInfo(String text, Consumer<JsonNode> replace) {
    if (text.indexOf('@') >= 0) {
      String masked = URL_USER_INFO.matcher(text).replaceAll("$1" + Secret.MASK + "@");
      if (!masked.equals(text)) {
        replace.accept(TextNode.valueOf(masked));
      }
    }
  }

  private static boolean shouldMask(JsonNode value, boolean secretPlace) {
    if (value.isNull() || value.isBoolean()) {
      return false;
    }
    String text = value.asText();
    if (text.isEmpty() || text.equals(Secret.MASK)) {
      return false;
    }
    return secretPlace || (value.isTextual() && looksLikeCredential(text));
  }
}
