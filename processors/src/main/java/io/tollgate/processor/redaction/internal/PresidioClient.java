package io.tollgate.processor.redaction.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.processor.redaction.PresidioConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One {@code POST /analyze} to a Presidio analyzer, asynchronously.
 *
 * <p>Sends {@code {"text": [...], "language", "entities", "score_threshold", "allow_list"}} (or
 * {@code "text": "..."} when batching is off) and reads Presidio's answer: an array of results per
 * text, each {@code {analysis_explanation, end, entity_type, score, start}} with code-point
 * offsets, which are turned into UTF-16 {@link Finding}s here. Presidio answers 500 {@code
 * {"error": …}} for nearly every failure.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class PresidioClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private final HttpClient http;
  private final URI uri;
  private final PresidioConfig config;

  public PresidioClient(HttpClient http, PresidioConfig config) {
    this.http = http;
    this.uri = config.analyzeUri();
    this.config = config;
  }

  /**
   * Findings for each of {@code texts}, in order. Fails with a {@link PresidioException}.
   *
   * @param texts one text unless batching is on
   */
  public CompletableFuture<List<List<Finding>>> analyze(List<String> texts) {
    boolean batch = config.batch();
    if (!batch && texts.size() != 1) {
      throw new IllegalArgumentException("one text per request when batching is off");
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body(texts, batch)))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw failure(error);
              }
              return parse(response, texts, batch);
            });
  }

  private byte[] body(List<String> texts, boolean batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + texts.size() * 256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      if (batch) {
        g.writeArrayFieldStart("text");
        for (String t : texts) {
          g.writeString(t);
        }
        g.writeEndArray();
      } else {
        g.writeStringField("text", texts.get(0));
      }
      g.writeStringField("language", config.language());
      if (!config.entities().isEmpty()) {
        g.writeArrayFieldStart("entities");
        for (String e : config.entities()) {
          g.writeString(e);
        }
        g.writeEndArray();
      }
      g.writeNumberField("score_threshold", config.scoreThreshold());
      if (!config.allowList().isEmpty()) {
        g.writeArrayFieldStart("allow_list");
        for (String a : config.allowList()) {
          g.writeString(a);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a Presidio request", e);
    }
    return out.toByteArray();
  }

  private static RuntimeException failure(Throwable error) {
    Throwable t =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (t instanceof HttpTimeoutException) {
      return new PresidioException(PresidioException.Outcome.TIMEOUT, "Presidio timed out");
    }
    if (t instanceof ConnectException || t instanceof ClosedChannelException) {
      return new PresidioException(
          PresidioException.Outcome.UNREACHABLE, "Presidio unreachable: " + t);
    }
    if (t instanceof IOException) {
      return new PresidioException(PresidioException.Outcome.UNREACHABLE, "Presidio I/O: " + t);
    }
    return new PresidioException(PresidioException.Outcome.UNREACHABLE, "Presidio call: " + t);
  }

  private static List<List<Finding>> parse(
      HttpResponse<byte[]> response, List<String> texts, boolean batch) {
    if (response.statusCode() != 200) {
      throw new PresidioException(
          PresidioException.Outcome.HTTP_ERROR,
          "Presidio answered HTTP " + response.statusCode() + errorOf(response.body()));
    }
    JsonNode root;
    try {
      root = JSON.readTree(response.body());
    } catch (IOException e) {
      throw invalid("not JSON");
    }
    if (root == null || !root.isArray()) {
      throw invalid("not an array");
    }
    List<List<Finding>> out = new ArrayList<>(texts.size());
    if (!batch) {
      out.add(results(root, texts.get(0)));
      return out;
    }
    if (root.size() != texts.size()) {
      throw invalid(root.size() + " result lists for " + texts.size() + " texts");
    }
    for (int i = 0; i < texts.size(); i++) {
      JsonNode list = root.get(i);
      if (!list.isArray()) {
        throw invalid("result " + i + " is not an array");
      }
      out.add(results(list, texts.get(i)));
    }
    return out;
  }

  private static List<Finding> results(JsonNode list, String text) {
    if (list.isEmpty()) {
      return List.of();
    }
    CodePoints cps = new CodePoints(text);
    List<Finding> out = new ArrayList<>(list.size());
    for (JsonNode r : list) {
      JsonNode type = r.get("entity_type");
      JsonNode start = r.get("start");
      JsonNode end = r.get("end");
      if (type == null
          || !type.isTextual()
          || start == null
          || !start.canConvertToInt()
          || end == null
          || !end.canConvertToInt()) {
        throw invalid("a result lacks entity_type, start or end");
      }
      int s = start.asInt();
      int e = end.asInt();
      // Offsets outside the text mean the analyzer saw another text; trusting the rest of the
      // answer could leave an entity in place, so the whole answer counts as a failure.
      if (s < 0 || e <= s || e > cps.length()) {
        throw invalid("offsets [" + s + ", " + e + ") outside a text of " + cps.length());
      }
      JsonNode score = r.get("score");
      out.add(
          new Finding(
              cps.toUtf16(s),
              cps.toUtf16(e),
              type.asText(),
              score != null && score.isNumber() ? score.asDouble() : 0.5));
    }
    return out;
  }

  private static String errorOf(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        String msg = n.get("error").asText();
        return ": " + (msg.length() > 200 ? msg.substring(0, 200) + "…" : msg);
      }
    } catch (IOException | RuntimeException e) {
      // Not the documented {"error": …} shape; the status says enough.
    }
    return "";
  }

  private static PresidioException invalid(String why) {
    return new PresidioException(
        PresidioException.Outcome.INVALID_RESPONSE, "unexpected Presidio answer: " + why);
  }
}
