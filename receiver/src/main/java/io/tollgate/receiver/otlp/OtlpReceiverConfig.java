package io.tollgate.receiver.otlp;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of the {@code otlp} receiver, with the OpenTelemetry Collector's keys.
 *
 * <h2>Which protocols are enabled</h2>
 *
 * As in the collector, a protocol is enabled when its key is present under {@code protocols}, even
 * with no value: {@code protocols: {grpc: }} serves gRPC only. Leaving {@code protocols} out
 * altogether (or writing {@code otlp:} with nothing below it) serves both, each with its defaults.
 *
 * <p>This has to survive the config loader, which deep-merges the user's YAML over the tree of
 * {@link #defaults()}. If the default tree held both protocols, the merge would always re-add the
 * one the user left out, and nothing could tell "absent" from "written empty". So the default
 * leaves {@code protocols} unset ({@code null}, not serialised): whatever the user writes under
 * {@code protocols} arrives unmerged, and {@link #effectiveProtocols()} turns "unset" into "both".
 * Within {@code protocols}, a key that is present with a YAML null ({@code grpc:}) binds to that
 * protocol's defaults and a missing key binds to {@code null} (disabled); see {@link
 * EnabledWhenPresent}. Every nested record fills the keys the user left out with its defaults,
 * because nothing below {@code protocols} is merged with a default tree.
 *
 * @param protocols the protocols the user wrote, or {@code null} for "both, with defaults"
 * @param admission how many bytes of requests the receiver holds before it refuses new ones
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OtlpReceiverConfig(Protocols protocols, Admission admission)
    implements ComponentConfig {

  public OtlpReceiverConfig {
    admission = admission == null ? Admission.defaults() : admission;
  }

  /** Both protocols on their default ports. */
  public static OtlpReceiverConfig defaults() {
    return new OtlpReceiverConfig(null, null);
  }

  /** The protocols given, with the default admission control. */
  public static OtlpReceiverConfig of(Protocols protocols) {
    return new OtlpReceiverConfig(protocols, null);
  }

  /** The protocols to serve: those written under {@code protocols}, or both when unset. */
  @JsonIgnore
  public Protocols effectiveProtocols() {
    return protocols == null ? Protocols.BOTH : protocols;
  }

  @Override
  public void validate(ConfigIssues issues) {
    admission.validate(issues.at("admission"));
    Protocols p = effectiveProtocols();
    ConfigIssues at = issues.at("protocols");
    if (p.grpc() == null && p.http() == null) {
      at.add(
          "enable at least one protocol: write `grpc:` and/or `http:` under protocols "
              + "(a key with no value enables that protocol with its defaults)");
      return;
    }
    Endpoint grpcEndpoint = p.grpc() == null ? null : p.grpc().validate(at.at("grpc"));
    Endpoint httpEndpoint = p.http() == null ? null : p.http().validate(at.at("http"));
    if (grpcEndpoint != null && grpcEndpoint.equals(httpEndpoint) && grpcEndpoint.port() != 0) {
      at.at("http")
          .add(
              "endpoint",
              "is the same as protocols.grpc.endpoint ("
                  + grpcEndpoint
                  + "); give each protocol its own port (by convention 4317 for gRPC, 4318 for"
                  + " HTTP)");
    }
  }

  /**
   * The protocols to serve. A {@code null} member is disabled.
   *
   * @param grpc OTLP over gRPC, or {@code null}
   * @param http OTLP over HTTP/1.1, or {@code null}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Protocols(
      @JsonDeserialize(using = EnabledWhenPresent.GrpcKey.class) Grpc grpc,
      @JsonDeserialize(using = EnabledWhenPresent.HttpKey.class) Http http) {

    /** Both protocols with their defaults: what {@code otlp:} with no protocols means. */
    public static final Protocols BOTH = new Protocols(Grpc.defaults(), Http.defaults());
  }

  /**
   * OTLP over gRPC.
   *
   * @param endpoint {@code host:port} to listen on; default {@value #DEFAULT_ENDPOINT}
   * @param maxRecvMsgSizeMib the largest request accepted, in MiB, after decompression; default
   *     {@value #DEFAULT_MAX_RECV_MSG_SIZE_MIB} (the OTLP spec's recommendation)
   * @param maxConcurrentStreams how many calls one connection may have open at once (HTTP/2's
   *     {@code SETTINGS_MAX_CONCURRENT_STREAMS}; the client queues the rest); default {@value
   *     #DEFAULT_MAX_CONCURRENT_STREAMS}; 0 for no limit
   * @param transport the network; only {@code tcp} (the default) is supported
   * @param tls the collector's {@code tls} block: not supported yet, refused by {@link #validate}
   * @param auth the collector's {@code auth} block: not supported yet, refused by {@link #validate}
   */
  public record Grpc(
      String endpoint,
      Integer maxRecvMsgSizeMib,
      Integer maxConcurrentStreams,
      String transport,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode tls,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode auth) {

    public static final String DEFAULT_ENDPOINT = "localhost:4317";
    public static final int DEFAULT_MAX_RECV_MSG_SIZE_MIB = 64;

    /**
     * grpc-netty keeps a message that is still arriving as slices of the buffers it read the
     * connection into, and a read buffer is freed only when no message it holds part of is still
     * arriving. With many calls interleaved on one connection, a buffer holds parts of many, so
     * what stays in direct memory spans about (calls arriving at once) x (request size): 128
     * outstanding 341 KiB requests on one connection pinned tens of MiB and exhausted a 64 MiB
     * {@code -XX:MaxDirectMemorySize}. 16 keeps that to a few MiB and is more than any OTLP
     * exporter sends at once on one connection (the collector's exporters: 10 consumers).
     */
    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 16;
    // grpc-java takes the limit as an int of bytes.
    static final int MAX_RECV_MSG_SIZE_MIB_LIMIT = 2047;

    public Grpc {
      endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
      maxRecvMsgSizeMib =
          maxRecvMsgSizeMib == null ? DEFAULT_MAX_RECV_MSG_SIZE_MIB : maxRecvMsgSizeMib;
      maxConcurrentStreams =
          maxConcurrentStreams == null ? DEFAULT_MAX_CONCURRENT_STREAMS : maxConcurrentStreams;
      transport = transport == null || transport.isEmpty() ? "tcp" : transport;
    }

    public Grpc(
        String endpoint,
        Integer maxRecvMsgSizeMib,
        Integer maxConcurrentStreams,
        String transport) {
      this(endpoint, maxRecvMsgSizeMib, maxConcurrentStreams, transport, null, null);
    }

    public static Grpc defaults() {
      return new Grpc(null, null, null, null);
    }

    /** The limit in bytes. */
    @JsonIgnore
    public int maxRecvMsgSizeBytes() {
      return maxRecvMsgSizeMib * 1024 * 1024;
    }

    private Endpoint validate(ConfigIssues issues) {
      if (maxRecvMsgSizeMib <= 0 || maxRecvMsgSizeMib > MAX_RECV_MSG_SIZE_MIB_LIMIT) {
        issues.add(
            "max_recv_msg_size_mib",
            "must be between 1 and "
                + MAX_RECV_MSG_SIZE_MIB_LIMIT
                + "; got "
                + maxRecvMsgSizeMib
                + " (default "
                + DEFAULT_MAX_RECV_MSG_SIZE_MIB
                + ")");
      }
      if (maxConcurrentStreams < 0) {
        issues.add(
            "max_concurrent_streams",
            "must be 0 (no limit) or more; got "
                + maxConcurrentStreams
                + " (default "
                + DEFAULT_MAX_CONCURRENT_STREAMS
                + ")");
      }
      if (!transport.toLowerCase(Locale.ROOT).equals("tcp")) {
        issues.add(
            "transport", "\"" + transport + "\" is not supported; remove the key or write tcp");
      }
      refuseSecuritySettings(tls, auth, issues);
      return parseEndpoint(endpoint, issues);
    }
  }

  /**
   * OTLP over HTTP/1.1 (protobuf or JSON; gzip, deflate, zstd).
   *
   * @param endpoint {@code host:port} to listen on; default {@value #DEFAULT_ENDPOINT}
   * @param tracesUrlPath the path that takes {@code POST}ed traces; default {@value
   *     #DEFAULT_TRACES_URL_PATH}
   * @param maxRequestBodySize the largest body accepted, before and after decompression; default
   *     64MiB (the OTLP spec's recommendation)
   * @param cors cross-origin access for browser instrumentation; off unless origins are listed
   * @param tls the collector's {@code tls} block: not supported yet, refused by {@link #validate}
   * @param auth the collector's {@code auth} block: not supported yet, refused by {@link #validate}
   */
  public record Http(
      String endpoint,
      String tracesUrlPath,
      ByteSize maxRequestBodySize,
      Cors cors,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode tls,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode auth) {

    public static final String DEFAULT_ENDPOINT = "localhost:4318";
    public static final String DEFAULT_TRACES_URL_PATH = "/v1/traces";
    public static final ByteSize DEFAULT_MAX_REQUEST_BODY_SIZE = ByteSize.ofMiB(64);
    // Bodies are held in one Java array once decompressed.
    static final ByteSize MAX_REQUEST_BODY_SIZE_LIMIT = ByteSize.ofMiB(1024);
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");

    public Http {
      endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
      tracesUrlPath = tracesUrlPath == null ? DEFAULT_TRACES_URL_PATH : tracesUrlPath;
      maxRequestBodySize =
          maxRequestBodySize == null ? DEFAULT_MAX_REQUEST_BODY_SIZE : maxRequestBodySize;
      cors = cors == null ? Cors.NONE : cors;
    }

    public Http(String endpoint, String tracesUrlPath, ByteSize maxRequestBodySize, Cors cors) {
      this(endpoint, tracesUrlPath, maxRequestBodySize, cors, null, null);
    }

    public static Http defaults() {
      return new Http(null, null, null, null);
    }

    private Endpoint validate(ConfigIssues issues) {
      if (!PATH.matcher(tracesUrlPath).matches()) {
        issues.add(
            "traces_url_path",
            "\""
                + tracesUrlPath
                + "\" is not a URL path; write one that starts with '/', without query or"
                + " spaces, e.g. "
                + DEFAULT_TRACES_URL_PATH);
      }
      long size = maxRequestBodySize.bytes();
      if (size <= 0 || size > MAX_REQUEST_BODY_SIZE_LIMIT.bytes()) {
        issues.add(
            "max_request_body_size",
            "must be more than 0 and at most "
                + MAX_REQUEST_BODY_SIZE_LIMIT
                + "; got "
                + maxRequestBodySize
                + " (default "
                + DEFAULT_MAX_REQUEST_BODY_SIZE
                + ")");
      }
      cors.validate(issues.at("cors"));
      refuseSecuritySettings(tls, auth, issues);
      return parseEndpoint(endpoint, issues);
    }
  }

  /**
   * CORS for browsers that send OTLP/HTTP (the OpenTelemetry JS exporters). Off while {@code
   * allowed_origins} is empty.
   *
   * @param allowedOrigins origins allowed to send, e.g. {@code https://app.example.com}; {@code *}
   *     matches any run of characters ({@code https://*.example.com}) and a lone {@code *} allows
   *     every origin
   * @param allowedHeaders request headers a browser may send besides {@code Accept, Content-Type,
   *     Content-Encoding, Origin, X-Requested-With}; {@code *} allows any
   * @param exposedHeaders response headers scripts may read
   * @param maxAge how long a browser may cache a preflight answer; 0 (default) sends no {@code
   *     Access-Control-Max-Age}. Seconds ({@code 7200}, as the collector) or a duration ({@code
   *     2h})
   */
  public record Cors(
      List<String> allowedOrigins,
      List<String> allowedHeaders,
      List<String> exposedHeaders,
      @JsonDeserialize(using = SecondsOrDuration.Deserializer.class)
          @JsonSerialize(using = SecondsOrDuration.Serializer.class)
          Duration maxAge) {

    public static final Cors NONE = new Cors(null, null, null, null);
    private static final Pattern ORIGIN =
        Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9.*\\[\\]:_-]+");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public Cors {
      allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
      allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
      exposedHeaders = exposedHeaders == null ? List.of() : List.copyOf(exposedHeaders);
      maxAge = maxAge == null ? Duration.ZERO : maxAge;
    }

    @JsonIgnore
    public boolean enabled() {
      return !allowedOrigins.isEmpty();
    }

    private void validate(ConfigIssues issues) {
      for (int i = 0; i < allowedOrigins.size(); i++) {
        String o = allowedOrigins.get(i);
        if (o == null || !(o.equals("*") || ORIGIN.matcher(o).matches())) {
          issues.add(
              "allowed_origins",
              "entry "
                  + i
                  + " \""
                  + o
                  + "\" is not an origin; write scheme://host[:port] without a path, e.g."
                  + " https://app.example.com or https://*.example.com");
        }
      }
      checkTokens(allowedHeaders, "allowed_headers", issues);
      checkTokens(exposedHeaders, "exposed_headers", issues);
      if (maxAge.isNegative()) {
        issues.add("max_age", "must not be negative; got " + maxAge);
      }
    }

    private static void checkTokens(List<String> headers, String key, ConfigIssues issues) {
      for (String h : headers) {
        if (h == null || !TOKEN.matcher(h).matches()) {
          issues.add(key, "\"" + h + "\" is not a header name");
        }
      }
    }
  }

  /**
   * The collector's {@code tls} and {@code auth} keys, which a collector user carries over. They
   * are bound (so that the loader does not call them unknown keys, which reads as a typo) only to
   * be refused here: serving in plain text or without authentication when the config asks for
   * either must not start quietly.
   */
  private static void refuseSecuritySettings(JsonNode tls, JsonNode auth, ConfigIssues issues) {
    if (tls != null) {
      issues.add(
          "tls",
          "not supported yet by Tollgate's otlp receiver: terminate TLS in front of it (a sidecar"
              + " listening on localhost, or a service mesh or ingress), and remove this key");
    }
    if (auth != null) {
      issues.add(
          "auth",
          "not supported yet by Tollgate's otlp receiver: authenticate senders in front of it (a"
              + " service mesh or ingress that checks the token, or a sidecar listening on"
              + " localhost only), and remove this key");
    }
  }

  private static Endpoint parseEndpoint(String endpoint, ConfigIssues issues) {
    try {
      return Endpoint.parse(endpoint);
    } catch (IllegalArgumentException e) {
      issues.add("endpoint", e.getMessage());
      return null;
    }
  }

  /**
   * Admission control, shared by both protocols: requests count from when they start (their
   * headers) until they are answered; while {@code request_limit_mib} is held, a request that starts
   * is refused at once, before its body is read, with RESOURCE_EXHAUSTED (gRPC) or 429 (HTTP) and a
   * retry hint. Key name as in the OpenTelemetry Collector's {@code otelarrow} receiver.
   *
   * @param requestLimitMib the bound in MiB; default {@value #DEFAULT_REQUEST_LIMIT_MIB}; 0 turns
   *     admission control off
   */
  public record Admission(Integer requestLimitMib) {

    public static final int DEFAULT_REQUEST_LIMIT_MIB = 32;

    public Admission {
      requestLimitMib = requestLimitMib == null ? DEFAULT_REQUEST_LIMIT_MIB : requestLimitMib;
    }

    public static Admission defaults() {
      return new Admission(null);
    }

    /** The bound in bytes; 0 for none. */
    @JsonIgnore
    public long requestLimitBytes() {
      return requestLimitMib * 1024L * 1024L;
    }

    private void validate(ConfigIssues issues) {
      if (requestLimitMib < 0) {
        issues.add(
            "request_limit_mib",
            "must be 0 (no limit) or more; got "
                + requestLimitMib
                + " (default "
                + DEFAULT_REQUEST_LIMIT_MIB
                + ")");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OtlpReceiverConfig
        && Objects.equals(effectiveProtocols(), ((OtlpReceiverConfig) o).effectiveProtocols())
        && admission.equals(((OtlpReceiverConfig) o).admission);
  }

  @Override
  public int hashCode() {
    return effectiveProtocols().hashCode() * 31 + admission.hashCode();
  }
}
