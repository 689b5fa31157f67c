package io.tollgate.benchmarks.workload;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A seeded, reproducible stream of OTLP trace export requests shaped like the traffic of real LLM
 * applications, for the JMH benchmarks and the load tool.
 *
 * <p>Each trace is a workflow root span, a retrieval span with documents (plus an embeddings call
 * in some dialects), one to three LLM calls and zero to two tool calls. Prompts are 1–32 KiB,
 * log-normal with a median of about 4 KiB, and start with a system prompt taken from a small
 * per-service pool, so the same few kilobytes repeat across traces as they do in production.
 * Completions are 200 B–4 KiB. About 5% of traces fail (status ERROR, {@code error.type}, an
 * exception event) and about 5% end with a response cut at {@code max_tokens} (finish reason {@code
 * length}). A share of prompts and completions carries personal data (e-mail, phone, card number,
 * IPv4, SSN, IBAN). Each service speaks one attribute dialect: current OpenTelemetry GenAI
 * conventions, OpenLLMetry (deprecated {@code gen_ai.*} with indexed prompts and {@code
 * traceloop.*}), OpenInference, or the Vercel AI SDK.
 *
 * <p>Requests are cut like an SDK's batch span processor cuts them: exactly {@link
 * Builder#spansPerRequest} spans from one service (one resource), children before their parent
 * (spans are exported as they end), so a trace may span two requests. Same seed and knobs, same
 * bytes, on every JDK ({@link Random}'s algorithm is specified).
 *
 * <p>Not thread-safe: one generator per thread.
 */
public final class GenAiWorkload {

  /** The attribute vocabulary a service's instrumentation writes. */
  public enum Dialect {
    /** OpenTelemetry GenAI semantic conventions v1.37+ ({@code gen_ai.input.messages} JSON). */
    OTEL,
    /**
     * OpenLLMetry / Traceloop: {@code gen_ai.system}, {@code gen_ai.prompt.N.*}, {@code
     * traceloop.*}.
     */
    OPENLLMETRY,
    /** Arize OpenInference: {@code openinference.span.kind}, {@code llm.*}, flattened messages. */
    OPENINFERENCE,
    /** The Vercel AI SDK: {@code ai.*} plus a few {@code gen_ai.*} duplicates. */
    VERCEL_AI
  }

  /** What was generated for one trace, for tests and reports. */
  public record TraceInfo(
      ByteString traceId,
      String service,
      Dialect dialect,
      boolean error,
      boolean truncated,
      int spanCount,
      List<Integer> promptBytes,
      List<Integer> completionBytes,
      int piiItems) {}

  /** A generated trace: its spans (children first, root last), with the scope of each. */
  public record GeneratedTrace(TraceInfo info, List<Span> spans, List<String> scopes) {}

  /** A request with what went into it. */
  public record Batch(ExportTraceServiceRequest request, int spanCount, List<TraceInfo> traces) {}

  private static final long BASE_EPOCH_NANOS = 1_767_225_600_000_000_000L; // 2026-01-01T00:00Z

  private final Builder knobs;
  private final Random random;
  private final TextSource text;
  private final List<Service> services;
  private final double[] serviceWeights;
  private long traceCounter;

  private GenAiWorkload(Builder b) {
    this.knobs = b;
    this.random = new Random(b.seed);
    this.text = new TextSource(random);
    this.services = makeServices();
    this.serviceWeights = new double[services.size()];
    double total = 0;
    for (int i = 0; i < services.size(); i++) {
      Service s = services.get(i);
      // Spread each dialect's weight over its services.
      long same = services.stream().filter(o -> o.dialect == s.dialect).count();
      serviceWeights[i] = b.dialectWeights.getOrDefault(s.dialect, 0.0) / same;
      total += serviceWeights[i];
    }
    if (total <= 0) {
      throw new IllegalArgumentException("at least one dialect needs a positive weight");
    }
  }

  /** The default workload for {@code seed}. */
  public static GenAiWorkload withSeed(long seed) {
    return builder().seed(seed).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The next request: exactly {@code spansPerRequest} spans of one service. */
  public ExportTraceServiceRequest nextRequest() {
    return nextBatch().request();
  }

  /** {@code n} requests. */
  public List<ExportTraceServiceRequest> requests(int n) {
    List<ExportTraceServiceRequest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(nextRequest());
    }
    return out;
  }

  /** {@code n} requests, encoded as they go on the wire. */
  public List<byte[]> encodedRequests(int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(nextRequest().toByteArray());
    }
    return out;
  }

  /** The next request and the traces whose spans started in it. */
  public Batch nextBatch() {
    Service service = services.get(pickService());
    List<TraceInfo> started = new ArrayList<>();
    Map<String, ScopeSpans.Builder> byScope = new LinkedHashMap<>();
    int taken = 0;
    while (taken < knobs.spansPerRequest) {
      if (service.pending.isEmpty()) {
        GeneratedTrace t = generateTrace(service);
        started.add(t.info());
        for (int i = 0; i < t.spans().size(); i++) {
          service.pending.add(new Object[] {t.spans().get(i), t.scopes().get(i)});
        }
      }
      Object[] next = service.pending.poll();
      String scope = (String) next[1];
      byScope
          .computeIfAbsent(
              scope,
              k ->
                  ScopeSpans.newBuilder()
                      .setScope(
                          InstrumentationScope.newBuilder()
                              .setName(k)
                              .setVersion(service.scopeVersion)))
          .addSpans((Span) next[0]);
      taken++;
    }
    ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(service.resource);
    rs.setSchemaUrl("https://opentelemetry.io/schemas/1.37.0");
    byScope.values().forEach(rs::addScopeSpans);
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build();
    return new Batch(request, taken, Collections.unmodifiableList(started));
  }

  /** The next whole trace, from a service picked by the dialect weights. */
  public GeneratedTrace nextTrace() {
    return generateTrace(services.get(pickService()));
  }

  private int pickService() {
    double total = 0;
    for (double w : serviceWeights) {
      total += w;
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < serviceWeights.length; i++) {
      u -= serviceWeights[i];
      if (u < 0) {
        return i;
      }
    }
    return serviceWeights.length - 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Services

  private static final class Service {
    final String name;
    final Dialect dialect;
    final String provider; // canonical provider name
    final String[] models;
    final String workflow;
    final String[] tools;
    final List<String> systemPrompts;
    final Resource resource;
    final String scopeVersion;
    final ArrayDeque<Object[]> pending = new ArrayDeque<>();

    Service(
        String name,
        Dialect dialect,
        String provider,
        String[] models,
        String workflow,
        String[] tools,
        List<String> systemPrompts,
        Resource resource,
        String scopeVersion) {
      this.name = name;
      this.dialect = dialect;
      this.provider = provider;
      this.models = models;
      this.workflow = workflow;
      this.tools = tools;
      this.systemPrompts = systemPrompts;
      this.resource = resource;
      this.scopeVersion = scopeVersion;
    }
  }

  private List<Service> makeServices() {
    List<Service> out = new ArrayList<>();
    out.add(
        service(
            "support-bot",
            Dialect.OTEL,
            "openai",
            new String[] {"gpt-4o", "gpt-4o-mini"},
            "support_bot",
            new String[] {"get_order_status", "create_ticket"},
            "python"));
    out.add(
        service(
            "claims-assistant",
            Dialect.OTEL,
            "anthropic",
            new String[] {"claude-sonnet-4-5-20250929", "claude-3-5-haiku-20241022"},
            "claims_triage",
            new String[] {"lookup_policy", "fetch_claim"},
            "python"));
    out.add(
        service(
            "doc-search",
            Dialect.OPENLLMETRY,
            "openai",
            new String[] {"gpt-4.1-mini", "gpt-4o"},
            "doc_qa",
            new String[] {"search_wiki", "get_page"},
            "python"));
    out.add(
        service(
            "sales-copilot",
            Dialect.OPENLLMETRY,
            "aws.bedrock",
            new String[] {"anthropic.claude-3-5-sonnet-20240620-v1:0"},
            "draft_email",
            new String[] {"crm_lookup"},
            "python"));
    out.add(
        service(
            "rag-api",
            Dialect.OPENINFERENCE,
            "openai",
            new String[] {"gpt-4o-mini", "o3-mini"},
            "rag_chain",
            new String[] {"sql_query", "calculator"},
            "python"));
    out.add(
        service(
            "insights-agent",
            Dialect.OPENINFERENCE,
            "gcp.vertex_ai",
            new String[] {"gemini-2.5-flash", "gemini-2.5-pro"},
            "insights_agent",
            new String[] {"run_report"},
            "python"));
    out.add(
        service(
            "web-chat",
            Dialect.VERCEL_AI,
            "openai",
            new String[] {"gpt-4o-mini", "gpt-5-mini"},
            "chat_route",
            new String[] {"weather", "get_order_status"},
            "nodejs"));
    return out;
  }

  private Service service(
      String name,
      Dialect dialect,
      String provider,
      String[] models,
      String workflow,
      String[] tools,
      String language) {
    // Two system prompts per service, 500 B–2.5 KiB: they repeat across every trace of it.
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      StringBuilder sb = new StringBuilder("You are ").append(name.replace('-', ' '));
      sb.append(", a helpful assistant. ");
      text.fill(sb, 500 + random.nextInt(2048));
      prompts.add(sb.toString());
    }
    String pod = name + "-" + Integer.toHexString(0x10000 + random.nextInt(0xeffff)) + "-x7k2p";
    Resource.Builder r = Resource.newBuilder();
    r.addAttributes(kv("service.name", name));
    r.addAttributes(kv("service.version", "1." + random.nextInt(20) + "." + random.nextInt(10)));
    r.addAttributes(kv("service.namespace", "llm-apps"));
    r.addAttributes(kv("deployment.environment.name", "production"));
    r.addAttributes(kv("telemetry.sdk.name", "opentelemetry"));
    r.addAttributes(kv("telemetry.sdk.language", language));
    r.addAttributes(kv("telemetry.sdk.version", language.equals("python") ? "1.36.0" : "2.1.0"));
    r.addAttributes(kv("host.name", pod));
    r.addAttributes(kv("k8s.namespace.name", "llm-apps"));
    r.addAttributes(kv("k8s.pod.name", pod));
    r.addAttributes(kv("k8s.deployment.name", name));
    r.addAttributes(kv("cloud.region", "eu-west-1"));
    String scopeVersion;
    switch (dialect) {
      case OPENLLMETRY:
        scopeVersion = "0.47.3";
        break;
      case OPENINFERENCE:
        scopeVersion = "0.1.30";
        break;
      case VERCEL_AI:
        scopeVersion = "5.0.0";
        break;
      default:
        scopeVersion = "2.1b0";
    }
    return new Service(
        name, dialect, provider, models, workflow, tools, prompts, r.build(), scopeVersion);
  }

  // ---------------------------------------------------------------------------------------------
  // Traces

  /** Mutable state while one trace is generated. */
  private final class TraceState {
    final Service service;
    final ByteString traceId;
    final ByteString rootId;
    final List<Span> spans = new ArrayList<>();
    final List<String> scopes = new ArrayList<>();
    final List<Integer> promptBytes = new ArrayList<>();
    final List<Integer> completionBytes = new ArrayList<>();
    final String conversationId;
    final String userId;
    int pii;
    long cursor; // the next child starts here

    TraceState(Service service, long start) {
      this.service = service;
      this.traceId = randomId(16);
      this.rootId = randomId(8);
      this.conversationId = "conv_" + Long.toHexString(random.nextLong() & 0xffffffffffL);
      this.userId = "u-" + (100000 + random.nextInt(900000));
      this.cursor = start;
    }

    void add(Span span, String scope) {
      spans.add(span);
      scopes.add(scope);
    }
  }

  private GeneratedTrace generateTrace(Service service) {
    long start = BASE_EPOCH_NANOS + traceCounter++ * 50_000_000L + random.nextInt(50_000_000);
    TraceState t = new TraceState(service, start + 2_000_000L);
    double outcome = random.nextDouble();
    boolean error = outcome < knobs.errorShare;
    boolean truncated = !error && outcome < knobs.errorShare + knobs.truncatedShare;
    String question = questionWithMaybePii(t);
    List<String> documents = retrieval(t, question);
    int calls = knobs.minLlmCalls + random.nextInt(knobs.maxLlmCalls - knobs.minLlmCalls + 1);
    int tools = random.nextInt(3);
    String answer = "";
    for (int c = 0; c < calls; c++) {
      boolean last = c == calls - 1;
      answer = llmCall(t, question, documents, error && last, truncated && last);
      if (error && last) {
        break;
      }
      if (c < tools) {
        toolCall(t);
      }
    }
    long end = t.cursor + 1_000_000L;
    Span root = root(t, start, end, question, answer, error);
    t.add(root, scopeFor(service.dialect, "workflow"));
    TraceInfo info =
        new TraceInfo(
            t.traceId,
            service.name,
            service.dialect,
            error,
            truncated,
            t.spans.size(),
            List.copyOf(t.promptBytes),
            List.copyOf(t.completionBytes),
            t.pii);
    return new GeneratedTrace(info, List.copyOf(t.spans), List.copyOf(t.scopes));
  }

  private String questionWithMaybePii(TraceState t) {
    String q = text.question();
    if (random.nextDouble() < knobs.piiShare) {
      t.pii++;
      return q.substring(0, q.length() - 1) + ", my contact is " + text.pii() + "?";
    }
    return q;
  }

  private static String scopeFor(Dialect d, String role) {
    switch (d) {
      case OPENLLMETRY:
        return role.equals("llm")
            ? "opentelemetry.instrumentation.openai.v1"
            : "opentelemetry.instrumentation.langchain";
      case OPENINFERENCE:
        return role.equals("llm")
            ? "openinference.instrumentation.openai"
            : "openinference.instrumentation.langchain";
      case VERCEL_AI:
        return role.equals("workflow") ? "@opentelemetry/instrumentation-http" : "ai";
      default:
        return role.equals("llm")
            ? "opentelemetry.instrumentation.openai_v2"
            : "opentelemetry.instrumentation.genai_workflow";
    }
  }

  private Span.Builder child(TraceState t, String name, Span.SpanKind kind, long durationNanos) {
    long start = t.cursor;
    long end = start + durationNanos;
    t.cursor = end + 200_000L + random.nextInt(2_000_000);
    return Span.newBuilder()
        .setTraceId(t.traceId)
        .setSpanId(randomId(8))
        .setParentSpanId(t.rootId)
        .setName(name)
        .setKind(kind)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(end)
        .setFlags(0x101);
  }

  private List<String> retrieval(TraceState t, String query) {
    Service s = t.service;
    int n = 3 + random.nextInt(3);
    List<String> docs = new ArrayList<>(n);
    List<String> ids = new ArrayList<>(n);
    List<Double> scores = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder doc = new StringBuilder();
      text.fill(doc, 300 + random.nextInt(900));
      if (random.nextDouble() < knobs.piiShare / 10) {
        t.pii++;
        doc.append(" Contact the account owner at ").append(text.pii()).append('.');
      }
      docs.add(doc.toString());
      ids.add("doc-" + (1000 + random.nextInt(90000)));
      scores.add(Math.round((0.9 - i * 0.07 - random.nextDouble() * 0.05) * 1000) / 1000.0);
    }
    long dur = 20_000_000L + random.nextInt(180_000_000);
    switch (s.dialect) {
      case OTEL:
        {
          Span.Builder emb =
              child(
                  t,
                  "embeddings text-embedding-3-small",
                  Span.SpanKind.SPAN_KIND_CLIENT,
                  40_000_000L);
          emb.addAttributes(kv("gen_ai.operation.name", "embeddings"));
          emb.addAttributes(kv("gen_ai.provider.name", "openai"));
          emb.addAttributes(kv("gen_ai.request.model", "text-embedding-3-small"));
          emb.addAttributes(kv("gen_ai.usage.input_tokens", (long) (query.length() / 4 + 1)));
          emb.addAttributes(kv("gen_ai.embeddings.dimension.count", 1536L));
          emb.addAttributes(kv("server.address", "api.openai.com"));
          t.add(emb.build(), scopeFor(s.dialect, "llm"));
          Span.Builder b = child(t, "retrieval kb-" + s.name, Span.SpanKind.SPAN_KIND_CLIENT, dur);
          b.addAttributes(kv("gen_ai.operation.name", "retrieval"));
          b.addAttributes(kv("gen_ai.data_source.id", "kb-" + s.name));
          b.addAttributes(kv("gen_ai.retrieval.query.text", query));
          StringBuilder json = new StringBuilder("[");
          for (int i = 0; i < n; i++) {
            if (i > 0) {
              json.append(',');
            }
            json.append("{\"id\":\"")
                .append(ids.get(i))
                .append("\",\"score\":")
                .append(scores.get(i));
            json.append('}');
          }
          b.addAttributes(kv("gen_ai.retrieval.documents", json.append(']').toString()));
          b.addAttributes(kv("db.system.name", "qdrant"));
          t.add(b.build(), scopeFor(s.dialect, "retrieval"));
          break;
        }
      case OPENLLMETRY:
        {
          Span.Builder b =
              child(t, "retrieve_documents.task", Span.SpanKind.SPAN_KIND_INTERNAL, dur);
          b.addAttributes(kv("traceloop.span.kind", "task"));
          b.addAttributes(kv("traceloop.entity.name", "retrieve_documents"));
          b.addAttributes(kv("traceloop.entity.path", s.workflow));
          b.addAttributes(kv("traceloop.workflow.name", s.workflow));
          b.addAttributes(kv("traceloop.association.properties.user_id", t.userId));
          b.addAttributes(
              kv(
                  "traceloop.entity.input",
                  "{\"args\":[\"" + Json.escape(query) + "\"],\"kwargs\":{}}"));
          StringBuilder out = new StringBuilder("[");
          for (int i = 0; i < n; i++) {
            if (i > 0) {
              out.append(',');
            }
            out.append("{\"page_content\":\"").append(Json.escape(docs.get(i)));
            out.append("\",\"metadata\":{\"id\":\"").append(ids.get(i)).append("\"}}");
          }
          b.addAttributes(kv("traceloop.entity.output", out.append(']').toString()));
          t.add(b.build(), scopeFor(s.dialect, "retrieval"));
          Span.Builder db = child(t, "chroma.query", Span.SpanKind.SPAN_KIND_CLIENT, 15_000_000L);
          db.addAttributes(kv("db.system", "chroma"));
          db.addAttributes(kv("db.operation", "query"));
          db.addAttributes(kv("db.chroma.query.n_results", (long) n));
          t.add(db.build(), "opentelemetry.instrumentation.chromadb");
          break;
        }
      case OPENINFERENCE:
        {
          Span.Builder b = child(t, "VectorStoreRetriever", Span.SpanKind.SPAN_KIND_INTERNAL, dur);
          b.addAttributes(kv("openinference.span.kind", "RETRIEVER"));
          b.addAttributes(kv("input.value", query));
          b.addAttributes(kv("session.id", t.conversationId));
          for (int i = 0; i < n; i++) {
            String p = "retrieval.documents." + i + ".document.";
            b.addAttributes(kv(p + "id", ids.get(i)));
            b.addAttributes(kv(p + "score", scores.get(i)));
            b.addAttributes(kv(p + "content", docs.get(i)));
          }
          t.add(b.build(), scopeFor(s.dialect, "retrieval"));
          break;
        }
      default:
        {
          Span.Builder emb =
              child(t, "ai.embed.doEmbed", Span.SpanKind.SPAN_KIND_INTERNAL, 35_000_000L);
          emb.addAttributes(kv("operation.name", "ai.embed.doEmbed"));
          emb.addAttributes(kv("ai.operationId", "ai.embed.doEmbed"));
          emb.addAttributes(kv("ai.model.provider", "openai.embedding"));
          emb.addAttributes(kv("ai.model.id", "text-embedding-3-small"));
          emb.addAttributes(kv("ai.usage.tokens", (long) (query.length() / 4 + 1)));
          t.add(emb.build(), scopeFor(s.dialect, "retrieval"));
          Span.Builder db = child(t, "pg.query:SELECT", Span.SpanKind.SPAN_KIND_CLIENT, dur);
          db.addAttributes(kv("db.system", "postgresql"));
          db.addAttributes(kv("db.name", "knowledge"));
          db.addAttributes(
              kv(
                  "db.statement",
                  "SELECT id, content FROM chunks ORDER BY embedding <=> $1 LIMIT " + n));
          t.add(db.build(), "@opentelemetry/instrumentation-pg");
        }
    }
    return docs;
  }

  private int promptSize() {
    // Log-normal around the median, clamped to the range: most prompts are a few KiB of context.
    double v = knobs.promptMedianBytes * Math.exp(knobs.promptSigma * random.nextGaussian());
    return (int) Math.max(knobs.promptMinBytes, Math.min(knobs.promptMaxBytes, v));
  }

  private int completionSize(boolean truncated) {
    if (truncated) {
      return knobs.completionMaxBytes - random.nextInt(64);
    }
    // Log-uniform between the bounds.
    double lo = Math.log(knobs.completionMinBytes);
    double hi = Math.log(knobs.completionMaxBytes);
    return (int) Math.exp(lo + random.nextDouble() * (hi - lo));
  }

  private String llmCall(
      TraceState t, String question, List<String> docs, boolean fail, boolean truncated) {
    Service s = t.service;
    String model = s.models[random.nextInt(s.models.length)];
    String system = s.systemPrompts.get(random.nextInt(s.systemPrompts.size()));
    int target = promptSize();
    // User message: retrieved context, then the question; sized so system + user hits the target.
    int systemBytes = Utf8.length(system);
    int questionBytes = Utf8.length(question);
    StringBuilder user = new StringBuilder(target);
    user.append("Context:\n");
    int contextTarget = Math.max(0, target - systemBytes - questionBytes - 12);
    for (String d : docs) {
      if (Utf8.length(user) + Utf8.length(d) + 1 > contextTarget) {
        break;
      }
      user.append(d).append('\n');
    }
    text.fill(user, contextTarget);
    user.append("\n\nQuestion: ").append(question);
    String userText = user.toString();
    int promptBytes = systemBytes + Utf8.length(userText);
    t.promptBytes.add(promptBytes);

    int maxTokens = 1024;
    String completion = "";
    if (!fail) {
      int size = completionSize(truncated);
      StringBuilder c = new StringBuilder(size + 64);
      if (random.nextDouble() < knobs.piiShare / 4) {
        t.pii++;
        c.append("I have updated the record for ").append(text.pii()).append(". ");
      }
      text.fill(c, size);
      completion = c.toString();
      t.completionBytes.add(Utf8.length(completion));
      if (truncated) {
        maxTokens = Math.max(1, Utf8.length(completion) / 4);
      }
    }
    long inputTokens = promptBytes / 4 + 7;
    long outputTokens = truncated ? maxTokens : Utf8.length(completion) / 4 + 1;
    String finish = truncated ? "length" : "stop";
    long dur = 300_000_000L + (long) (outputTokens * 12_000_000L) + random.nextInt(200_000_000);
    if (fail) {
      dur = 60_000_000L + random.nextInt(2_000_000_000);
    }
    double temperature = random.nextInt(11) / 10.0;
    long cached = random.nextInt(3) == 0 ? Math.min(inputTokens, systemBytes / 4) : 0;
    String responseId = "chatcmpl-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
    Span.Builder b;
    switch (s.dialect) {
      case OTEL:
        {
          b = child(t, "chat " + model, Span.SpanKind.SPAN_KIND_CLIENT, dur);
          b.addAttributes(kv("gen_ai.operation.name", "chat"));
          b.addAttributes(kv("gen_ai.provider.name", s.provider));
          b.addAttributes(kv("gen_ai.request.model", model));
          b.addAttributes(kv("gen_ai.request.temperature", temperature));
          b.addAttributes(kv("gen_ai.request.max_tokens", (long) maxTokens));
          b.addAttributes(kv("gen_ai.conversation.id", t.conversationId));
          b.addAttributes(kv("server.address", serverFor(s.provider)));
          b.addAttributes(kv("server.port", 443L));
          b.addAttributes(
              kv(
                  "gen_ai.system_instructions",
                  "[{\"type\":\"text\",\"content\":\"" + Json.escape(system) + "\"}]"));
          b.addAttributes(
              kv(
                  "gen_ai.input.messages",
                  "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""
                      + Json.escape(userText)
                      + "\"}]}]"));
          if (!fail) {
            b.addAttributes(kv("gen_ai.response.id", responseId));
            b.addAttributes(kv("gen_ai.response.model", model));
            b.addAttributes(kv("gen_ai.response.finish_reasons", List.of(finish)));
            b.addAttributes(kv("gen_ai.usage.input_tokens", inputTokens));
            b.addAttributes(kv("gen_ai.usage.output_tokens", outputTokens));
            if (cached > 0) {
              b.addAttributes(kv("gen_ai.usage.cache_read.input_tokens", cached));
            }
            b.addAttributes(
                kv(
                    "gen_ai.output.messages",
                    "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\""
                        + Json.escape(completion)
                        + "\"}],\"finish_reason\":\""
                        + finish
                        + "\"}]"));
          }
          break;
        }
      case OPENLLMETRY:
        {
          String system0 = s.provider.equals("aws.bedrock") ? "AWS" : "openai";
          b =
              child(
                  t,
                  s.provider.equals("aws.bedrock") ? "bedrock.completion" : "openai.chat",
                  Span.SpanKind.SPAN_KIND_CLIENT,
                  dur);
          b.addAttributes(kv("llm.request.type", "chat"));
          b.addAttributes(kv("gen_ai.system", system0));
          b.addAttributes(kv("gen_ai.request.model", model));
          b.addAttributes(kv("gen_ai.request.temperature", temperature));
          b.addAttributes(kv("gen_ai.request.max_tokens", (long) maxTokens));
          b.addAttributes(kv("llm.is_streaming", false));
          b.addAttributes(kv("gen_ai.openai.api_base", "https://api.openai.com/v1/"));
          b.addAttributes(kv("traceloop.workflow.name", s.workflow));
          b.addAttributes(kv("traceloop.association.properties.user_id", t.userId));
          b.addAttributes(kv("traceloop.association.properties.session_id", t.conversationId));
          b.addAttributes(kv("gen_ai.prompt.0.role", "system"));
          b.addAttributes(kv("gen_ai.prompt.0.content", system));
          b.addAttributes(kv("gen_ai.prompt.1.role", "user"));
          b.addAttributes(kv("gen_ai.prompt.1.content", userText));
          if (!fail) {
            b.addAttributes(kv("gen_ai.response.model", model));
            b.addAttributes(kv("gen_ai.response.id", responseId));
            b.addAttributes(kv("gen_ai.usage.prompt_tokens", inputTokens));
            b.addAttributes(kv("gen_ai.usage.completion_tokens", outputTokens));
            b.addAttributes(kv("llm.usage.total_tokens", inputTokens + outputTokens));
            if (cached > 0) {
              b.addAttributes(kv("gen_ai.usage.cache_read_input_tokens", cached));
            }
            b.addAttributes(kv("gen_ai.completion.0.role", "assistant"));
            b.addAttributes(kv("gen_ai.completion.0.content", completion));
            b.addAttributes(kv("gen_ai.completion.0.finish_reason", finish));
          }
          break;
        }
      case OPENINFERENCE:
        {
          b = child(t, "ChatCompletion", Span.SpanKind.SPAN_KIND_INTERNAL, dur);
          b.addAttributes(kv("openinference.span.kind", "LLM"));
          b.addAttributes(kv("llm.model_name", model));
          b.addAttributes(
              kv("llm.provider", s.provider.equals("gcp.vertex_ai") ? "google" : "openai"));
          b.addAttributes(
              kv("llm.system", s.provider.equals("gcp.vertex_ai") ? "vertexai" : "openai"));
          b.addAttributes(
              kv(
                  "llm.invocation_parameters",
                  "{\"temperature\":" + temperature + ",\"max_tokens\":" + maxTokens + "}"));
          b.addAttributes(kv("session.id", t.conversationId));
          b.addAttributes(kv("user.id", t.userId));
          b.addAttributes(kv("llm.input_messages.0.message.role", "system"));
          b.addAttributes(kv("llm.input_messages.0.message.content", system));
          b.addAttributes(kv("llm.input_messages.1.message.role", "user"));
          b.addAttributes(kv("llm.input_messages.1.message.content", userText));
          if (!fail) {
            b.addAttributes(kv("llm.output_messages.0.message.role", "assistant"));
            b.addAttributes(kv("llm.output_messages.0.message.content", completion));
            b.addAttributes(kv("llm.token_count.prompt", inputTokens));
            b.addAttributes(kv("llm.token_count.completion", outputTokens));
            b.addAttributes(kv("llm.token_count.total", inputTokens + outputTokens));
            if (cached > 0) {
              b.addAttributes(kv("llm.token_count.prompt_details.cache_read", cached));
            }
          }
          break;
        }
      default:
        {
          b = child(t, "ai.generateText.doGenerate", Span.SpanKind.SPAN_KIND_CLIENT, dur);
          b.addAttributes(kv("operation.name", "ai.generateText.doGenerate"));
          b.addAttributes(kv("ai.operationId", "ai.generateText.doGenerate"));
          b.addAttributes(kv("ai.model.provider", "openai.chat"));
          b.addAttributes(kv("ai.model.id", model));
          b.addAttributes(kv("ai.settings.maxOutputTokens", (long) maxTokens));
          b.addAttributes(kv("ai.telemetry.metadata.userId", t.userId));
          b.addAttributes(
              kv(
                  "ai.prompt.messages",
                  "[{\"role\":\"system\",\"content\":\""
                      + Json.escape(system)
                      + "\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\""
                      + Json.escape(userText)
                      + "\"}]}]"));
          b.addAttributes(kv("gen_ai.system", "openai.chat"));
          b.addAttributes(kv("gen_ai.request.model", model));
          b.addAttributes(kv("gen_ai.request.temperature", temperature));
          if (!fail) {
            b.addAttributes(kv("ai.response.text", completion));
            b.addAttributes(kv("ai.response.finishReason", finish));
            b.addAttributes(kv("ai.response.id", responseId));
            b.addAttributes(kv("ai.response.model", model));
            b.addAttributes(kv("ai.usage.promptTokens", inputTokens));
            b.addAttributes(kv("ai.usage.completionTokens", outputTokens));
            b.addAttributes(kv("gen_ai.response.finish_reasons", List.of(finish)));
            b.addAttributes(kv("gen_ai.usage.input_tokens", inputTokens));
            b.addAttributes(kv("gen_ai.usage.output_tokens", outputTokens));
          }
        }
    }
    if (fail) {
      failed(b, "RateLimitError", "Error code: 429 - Rate limit reached for " + model);
    } else {
      b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    }
    t.add(b.build(), scopeFor(s.dialect, "llm"));
    return completion;
  }

  private void failed(Span.Builder b, String type, String message) {
    b.setStatus(
        Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
    b.addAttributes(kv("error.type", type));
    b.addEvents(
        Span.Event.newBuilder()
            .setName("exception")
            .setTimeUnixNano(b.getEndTimeUnixNano())
            .addAttributes(kv("exception.type", "openai." + type))
            .addAttributes(kv("exception.message", message))
            .addAttributes(
                kv(
                    "exception.stacktrace",
                    "Traceback (most recent call last):\n  File \"app/chain.py\", line 88, in"
                        + " answer\n    resp = client.chat.completions.create(**params)\n"
                        + "openai."
                        + type
                        + ": "
                        + message)));
  }

  private void toolCall(TraceState t) {
    Service s = t.service;
    String tool = s.tools[random.nextInt(s.tools.length)];
    String callId = "call_" + Long.toHexString(random.nextLong() & 0xffffffffffffL);
    String args = "{\"id\":\"" + (10000 + random.nextInt(90000)) + "\",\"verbose\":false}";
    StringBuilder result = new StringBuilder("{\"status\":\"ok\",\"detail\":\"");
    text.fill(result, 80 + random.nextInt(600));
    String res = result.append("\"}").toString();
    long dur = 5_000_000L + random.nextInt(500_000_000);
    Span.Builder b;
    switch (s.dialect) {
      case OTEL:
        b = child(t, "execute_tool " + tool, Span.SpanKind.SPAN_KIND_INTERNAL, dur);
        b.addAttributes(kv("gen_ai.operation.name", "execute_tool"));
        b.addAttributes(kv("gen_ai.tool.name", tool));
        b.addAttributes(kv("gen_ai.tool.call.id", callId));
        b.addAttributes(kv("gen_ai.tool.type", "function"));
        b.addAttributes(kv("gen_ai.tool.call.arguments", args));
        b.addAttributes(kv("gen_ai.tool.call.result", res));
        break;
      case OPENLLMETRY:
        b = child(t, tool + ".tool", Span.SpanKind.SPAN_KIND_INTERNAL, dur);
        b.addAttributes(kv("traceloop.span.kind", "tool"));
        b.addAttributes(kv("traceloop.entity.name", tool));
        b.addAttributes(kv("traceloop.workflow.name", s.workflow));
        b.addAttributes(kv("traceloop.entity.input", "{\"args\":[],\"kwargs\":" + args + "}"));
        b.addAttributes(kv("traceloop.entity.output", res));
        break;
      case OPENINFERENCE:
        b = child(t, tool, Span.SpanKind.SPAN_KIND_INTERNAL, dur);
        b.addAttributes(kv("openinference.span.kind", "TOOL"));
        b.addAttributes(kv("tool.name", tool));
        b.addAttributes(kv("input.value", args));
        b.addAttributes(kv("input.mime_type", "application/json"));
        b.addAttributes(kv("output.value", res));
        break;
      default:
        b = child(t, "ai.toolCall", Span.SpanKind.SPAN_KIND_INTERNAL, dur);
        b.addAttributes(kv("operation.name", "ai.toolCall"));
        b.addAttributes(kv("ai.operationId", "ai.toolCall"));
        b.addAttributes(kv("ai.toolCall.name", tool));
        b.addAttributes(kv("ai.toolCall.id", callId));
        b.addAttributes(kv("ai.toolCall.args", args));
        b.addAttributes(kv("ai.toolCall.result", res));
    }
    t.add(b.build(), scopeFor(s.dialect, "tool"));
  }

  private Span root(
      TraceState t, long start, long end, String question, String answer, boolean error) {
    Service s = t.service;
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(t.traceId)
            .setSpanId(t.rootId)
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(end)
            .setFlags(0x101);
    switch (s.dialect) {
      case OTEL:
        b.setName("invoke_workflow " + s.workflow).setKind(Span.SpanKind.SPAN_KIND_INTERNAL);
        b.addAttributes(kv("gen_ai.operation.name", "invoke_workflow"));
        b.addAttributes(kv("gen_ai.workflow.name", s.workflow));
        b.addAttributes(kv("gen_ai.conversation.id", t.conversationId));
        b.addAttributes(kv("user.id", t.userId));
        break;
      case OPENLLMETRY:
        b.setName(s.workflow + ".workflow").setKind(Span.SpanKind.SPAN_KIND_INTERNAL);
        b.addAttributes(kv("traceloop.span.kind", "workflow"));
        b.addAttributes(kv("traceloop.entity.name", s.workflow));
        b.addAttributes(kv("traceloop.workflow.name", s.workflow));
        b.addAttributes(kv("traceloop.association.properties.user_id", t.userId));
        b.addAttributes(kv("traceloop.association.properties.session_id", t.conversationId));
        b.addAttributes(
            kv(
                "traceloop.entity.input",
                "{\"args\":[\"" + Json.escape(question) + "\"],\"kwargs\":{}}"));
        if (!error) {
          b.addAttributes(
              kv("traceloop.entity.output", "\"" + Json.escape(truncate(answer, 512)) + "\""));
        }
        break;
      case OPENINFERENCE:
        b.setName(s.workflow).setKind(Span.SpanKind.SPAN_KIND_INTERNAL);
        b.addAttributes(kv("openinference.span.kind", "CHAIN"));
        b.addAttributes(kv("input.value", question));
        if (!error) {
          b.addAttributes(kv("output.value", truncate(answer, 512)));
        }
        b.addAttributes(kv("session.id", t.conversationId));
        b.addAttributes(kv("user.id", t.userId));
        break;
      default:
        b.setName("POST /api/chat").setKind(Span.SpanKind.SPAN_KIND_SERVER);
        b.addAttributes(kv("http.request.method", "POST"));
        b.addAttributes(kv("http.route", "/api/chat"));
        b.addAttributes(kv("url.path", "/api/chat"));
        b.addAttributes(kv("http.response.status_code", error ? 500L : 200L));
        b.addAttributes(kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"));
        b.addAttributes(kv("client.address", "203.0.113." + (1 + random.nextInt(254))));
    }
    if (error) {
      b.setStatus(
          Status.newBuilder()
              .setCode(Status.StatusCode.STATUS_CODE_ERROR)
              .setMessage("upstream model call failed"));
    }
    return b.build();
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static String serverFor(String provider) {
    switch (provider) {
      case "anthropic":
        return "api.anthropic.com";
      case "aws.bedrock":
        return "bedrock-runtime.eu-west-1.amazonaws.com";
      case "gcp.vertex_ai":
        return "europe-west4-aiplatform.googleapis.com";
      default:
        return "api.openai.com";
    }
  }

  private ByteString randomId(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    b[0] |= 1; // never all zero (invalid in OTLP)
    return ByteString.copyFrom(b);
  }

  private static KeyValue kv(String key, String v) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static KeyValue kv(String key, long v) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  private static KeyValue kv(String key, double v) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setDoubleValue(v))
        .build();
  }

  private static KeyValue kv(String key, boolean v) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setBoolValue(v))
        .build();
  }

  private static KeyValue kv(String key, List<String> values) {
    ArrayValue.Builder a = ArrayValue.newBuilder();
    for (String v : values) {
      a.addValues(AnyValue.newBuilder().setStringValue(v));
    }
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setArrayValue(a))
        .build();
  }

  /** The knobs. Defaults are the workload the issue describes. */
  public static final class Builder {
    private long seed = 42;
    private int spansPerRequest = 100;
    private int promptMinBytes = 1024;
    private int promptMedianBytes = 4096;
    private int promptMaxBytes = 32 * 1024;
    private double promptSigma = 0.8;
    private int completionMinBytes = 200;
    private int completionMaxBytes = 4096;
    private int minLlmCalls = 1;
    private int maxLlmCalls = 3;
    private double errorShare = 0.05;
    private double truncatedShare = 0.05;
    private double piiShare = 0.2;
    private final Map<Dialect, Double> dialectWeights = new EnumMap<>(Dialect.class);

    private Builder() {
      dialectWeights.put(Dialect.OTEL, 0.35);
      dialectWeights.put(Dialect.OPENLLMETRY, 0.30);
      dialectWeights.put(Dialect.OPENINFERENCE, 0.20);
      dialectWeights.put(Dialect.VERCEL_AI, 0.15);
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Spans in each request, as an SDK's {@code max_export_batch_size} (default 100). */
    public Builder spansPerRequest(int n) {
      check(n > 0, "spansPerRequest must be positive");
      this.spansPerRequest = n;
      return this;
    }

    /** Prompt size: log-normal with this median, clamped to [min, max] (bytes). */
    public Builder promptBytes(int min, int median, int max) {
      check(0 < min && min <= median && median <= max, "need 0 < min <= median <= max");
      this.promptMinBytes = min;
      this.promptMedianBytes = median;
      this.promptMaxBytes = max;
      return this;
    }

    public Builder completionBytes(int min, int max) {
      check(0 < min && min <= max, "need 0 < min <= max");
      this.completionMinBytes = min;
      this.completionMaxBytes = max;
      return this;
    }

    public Builder llmCallsPerTrace(int min, int max) {
      check(0 < min && min <= max, "need 0 < min <= max");
      this.minLlmCalls = min;
      this.maxLlmCalls = max;
      return this;
    }

    /** Share of traces whose last LLM call fails (default 0.05). */
    public Builder errorShare(double share) {
      check(share >= 0 && share <= 1, "share must be in [0, 1]");
      this.errorShare = share;
      return this;
    }

    /** Share of traces whose last response is cut at max_tokens (default 0.05). */
    public Builder truncatedShare(double share) {
      check(share >= 0 && share <= 1, "share must be in [0, 1]");
      this.truncatedShare = share;
      return this;
    }

    /**
     * How often personal data appears: the probability that a trace's question carries one item
     * (each retrieved document at a tenth and each completion at a quarter of this rate; the
     * default 0.2 puts personal data in about a third of the traces). 0 gives a clean workload.
     */
    public Builder piiShare(double share) {
      check(share >= 0 && share <= 1, "share must be in [0, 1]");
      this.piiShare = share;
      return this;
    }

    /** Relative weight of each dialect (missing ones get 0). */
    public Builder dialects(Map<Dialect, Double> weights) {
      dialectWeights.clear();
      weights.forEach(
          (d, w) -> {
            check(w >= 0, "weights must not be negative");
            dialectWeights.put(Objects.requireNonNull(d), w);
          });
      return this;
    }

    public GenAiWorkload build() {
      check(errorShare + truncatedShare <= 1, "errorShare + truncatedShare must be <= 1");
      Builder copy = new Builder();
      copy.seed = seed;
      copy.spansPerRequest = spansPerRequest;
      copy.promptMinBytes = promptMinBytes;
      copy.promptMedianBytes = promptMedianBytes;
      copy.promptMaxBytes = promptMaxBytes;
      copy.promptSigma = promptSigma;
      copy.completionMinBytes = completionMinBytes;
      copy.completionMaxBytes = completionMaxBytes;
      copy.minLlmCalls = minLlmCalls;
      copy.maxLlmCalls = maxLlmCalls;
      copy.errorShare = errorShare;
      copy.truncatedShare = truncatedShare;
      copy.piiShare = piiShare;
      copy.dialectWeights.clear();
      copy.dialectWeights.putAll(dialectWeights);
      return new GenAiWorkload(copy);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
