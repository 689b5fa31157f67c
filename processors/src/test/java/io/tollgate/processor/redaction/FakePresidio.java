package io.tollgate.processor.redaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Presidio analyzer's REST API (presidio-analyzer/app.py, 2.2.36x) on loopback:
 * {@code POST /analyze} with {@code text} as a string or an array, answering an array of results or
 * an array of arrays; each result {@code {analysis_explanation, end, entity_type, score, start}}
 * with sorted keys and code-point offsets (Python {@code str} indices); {@code 500 {"error": …}}
 * for missing text or language and for texts of 1,000,000 characters or more; {@code GET /health}.
 * Its "NER" knows a fixed list of names and places and, like Presidio, also reports e-mail
 * addresses.
 */
final class FakePresidio implements AutoCloseable {

  enum Mode {
    OK,
    ERROR_500,
    SLOW,
    BAD_OFFSETS
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> NER = new LinkedHashMap<>();
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.]+");

  static {
    NER.put("Jane Doe", "PERSON");
    NER.put("Zoë Müller", "PERSON");
    NER.put("Ahmed Khan", "PERSON");
    NER.put("Berlin", "LOCATION");
    NER.put("Springfield", "LOCATION");
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(daemon("fake-presidio"));
  private final ScheduledExecutorService delayer =
      Executors.newSingleThreadScheduledExecutor(daemon("fake-presidio-delay"));
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  volatile Mode mode = Mode.OK;
  volatile Duration delay = Duration.ofSeconds(3);

  FakePresidio() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(pool);
    server.createContext("/health", this::health);
    server.createContext("/analyze", this::analyze);
    server.start();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every text received, over all requests, in order. */
  List<String> textsReceived() {
    List<String> out = new ArrayList<>();
    for (JsonNode r : requests) {
      JsonNode t = r.get("text");
      if (t.isArray()) {
        t.forEach(x -> out.add(x.asText()));
      } else {
        out.add(t.asText());
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    delayer.shutdownNow();
    pool.shutdownNow();
  }

  private void health(HttpExchange ex) throws IOException {
    respond(ex, 200, "Presidio Analyzer service is up", "text/plain");
  }

  private void analyze(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
    requests.add(req);
    int status = 200;
    Object body;
    if (mode == Mode.ERROR_500) {
      status = 500;
      body = Map.of("error", "Internal server error");
    } else if (!req.hasNonNull("text")) {
      status = 500;
      body = Map.of("error", "No text provided");
    } else if (!req.hasNonNull("language")) {
      status = 500;
      body = Map.of("error", "No language provided");
    } else {
      Set<String> entities = new HashSet<>();
      if (req.has("entities") && req.get("entities").isArray()) {
        req.get("entities").forEach(e -> entities.add(e.asText()));
      }
      double threshold = req.path("score_threshold").asDouble(0);
      Set<String> allow = new HashSet<>();
      req.path("allow_list").forEach(a -> allow.add(a.asText()));
      JsonNode text = req.get("text");
      try {
        if (text.isArray()) {
          List<Object> all = new ArrayList<>();
          for (JsonNode t : text) {
            all.add(results(t.asText(), entities, threshold, allow));
          }
          body = all;
        } else {
          body = results(text.asText(), entities, threshold, allow);
        }
      } catch (IllegalArgumentException e) {
        status = 500;
        body = Map.of("error", e.getMessage());
      }
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    int code = status;
    if (mode == Mode.SLOW) {
      delayer.schedule(() -> send(ex, code, bytes), delay.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      send(ex, code, bytes);
    }
  }

  private void send(HttpExchange ex, int status, byte[] bytes) {
    try {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // The client gave up (timeout); nothing to do.
    } finally {
      inFlight.decrementAndGet();
      ex.close();
    }
  }

  private static void respond(HttpExchange ex, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private List<Map<String, Object>> results(
      String text, Set<String> entities, double threshold, Set<String> allow) {
    int length = text.codePointCount(0, text.length());
    if (length >= 1_000_000) {
      throw new IllegalArgumentException(
          "[E088] Text of length " + length + " exceeds maximum of 1000000.");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, String> e : NER.entrySet()) {
      int from = 0;
      int at;
      while ((at = text.indexOf(e.getKey(), from)) >= 0) {
        add(
            out,
            text,
            at,
            at + e.getKey().length(),
            e.getValue(),
            0.85,
            entities,
            threshold,
            allow);
        from = at + 1;
      }
    }
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      add(out, text, m.start(), m.end(), "EMAIL_ADDRESS", 1.0, entities, threshold, allow);
    }
    if (mode == Mode.BAD_OFFSETS && !out.isEmpty()) {
      out.get(0).put("end", length + 5);
    }
    return out;
  }

  private void add(
      List<Map<String, Object>> out,
      String text,
      int start,
      int end,
      String type,
      double score,
      Set<String> entities,
      double threshold,
      Set<String> allow) {
    if ((!entities.isEmpty() && !entities.contains(type))
        || score < threshold
        || allow.contains(text.substring(start, end))) {
      return;
    }
    // Python's json.dumps(…, sort_keys=True) in app.py: keys in sorted order; code-point offsets.
    Map<String, Object> r = new TreeMap<>();
    r.put("analysis_explanation", null);
    r.put("end", text.codePointCount(0, end));
    r.put("entity_type", type);
    r.put("score", score);
    r.put("start", text.codePointCount(0, start));
    out.add(r);
  }
}
