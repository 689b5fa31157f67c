package io.tollgate.exporter.otlphttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tollgate.core.component.Durations;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.RateLimitedLog;
import io.tollgate.core.exporterhelper.SendResult;
import io.tollgate.core.exporterhelper.Sender;
import io.tollgate.core.model.EncodedTraces;
import io.tollgate.core.otlp.OtlpJson;
import io.tollgate.core.pipeline.Completions;
import io.tollgate.exporter.internal.Headers;
import io.tollgate.exporter.internal.TlsContexts;
import io.tollgate.exporter.internal.UserAgent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one {@code ExportTraceServiceRequest} with the JDK {@link HttpClient} and maps the answer
 * with the OTLP/HTTP rules: 2xx succeeds (its body may report a partial success), 429, 502, 503
 * and 504 are retried after {@code Retry-After} when given, every other status is permanent, and
 * network errors are retried.
 *
 * <p>Why the JDK client rather than Netty's: it is asynchronous, pools connections, speaks HTTP/2
 * over TLS (ALPN) and HTTP/1.1, and needs no code of ours for connection management; exporter
 * traffic is a few requests per second per backend, where Netty's lower allocation rate does not
 * matter. Its one gap, no TLS server-name override, is reported at validation.
 */
final class OtlpHttpSender implements Sender {

  private static final Logger log = LoggerFactory.getLogger(OtlpHttpSender.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;
  private static final int MAX_MESSAGE = 300;
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final RateLimitedLog oddAnswerLog = new RateLimitedLog(log, Duration.ofSeconds(60));
  private final OtlpHttpConfig config;
  private final URI uri;
  private final boolean https;
  private final Map<String, String> headers;
  private final Executor executor;
  private volatile HttpClient client;

  OtlpHttpSender(OtlpHttpConfig config, Executor executor) {
    this.config = config;
    this.uri = config.tracesUri();
    this.https = uri.getScheme().equalsIgnoreCase("https");
    this.headers = Headers.reveal(config.headers());
    this.executor = executor;
  }

  @Override
  public void start() throws Exception {
    Duration connect =
        config.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0 ? config.timeout() : MAX_CONNECT_TIMEOUT;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .executor(executor)
            .connectTimeout(connect)
            // A redirect of a POST is a misconfigured endpoint; following it could also send
            // credentials elsewhere. Reported as a permanent error with the target.
            .followRedirects(HttpClient.Redirect.NEVER)
            // HTTP/2 needs ALPN; over plaintext the JDK would try an h2c upgrade on every new
            // connection, which some servers reject.
            .version(https ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
    if (https) {
      b.sslContext(TlsContexts.forHttp(config.tls()));
    }
    client = b.build();
  }

  @Override
  public CompletionStage<SendResult> send(EncodedTraces traces) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(uri)
            .timeout(config.timeout())
            .header("Content-Type", config.encoding().contentType())
            .header("User-Agent", UserAgent.value());
    boolean gzip = config.compression() == Compression.GZIP;
    if (gzip) {
      r.header("Content-Encoding", "gzip");
    }
    headers.forEach(r::header);
    if (config.encoding() == OtlpHttpEncoding.PROTO) {
      // Protobuf goes out as the bytes it came as (nothing is re-encoded), segment by segment.
      r.POST(
          gzip
              ? HttpRequest.BodyPublishers.ofByteArray(gzip(traces.size(), traces::writeTo))
              : HttpRequest.BodyPublishers.fromPublisher(
                  HttpRequest.BodyPublishers.ofInputStream(traces::inputStream), traces.size()));
    } else {
      // JSON needs the objects.
      byte[] json = OtlpJson.encodeRequest(traces.request()).getBytes(StandardCharsets.UTF_8);
      byte[] body = gzip ? gzip(json.length, out -> out.write(json)) : json;
      r.POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
    return client
        .sendAsync(r.build(), LimitedBody.upTo(MAX_RESPONSE_BYTES))
        .handle((response, error) -> error != null ? fromError(error) : fromResponse(response));
  }

  SendResult fromResponse(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    byte[] body = response.body();
    if (response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
      body = gunzip(body);
    }
    if (status >= 200 && status < 300) {
      return partialSuccess(body, contentType);
    }
    String detail = errorDetail(body, contentType);
    String message = "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
    if (status == 429 || status == 502 || status == 503 || status == 504) {
      Duration delay =
          RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Instant.now());
      return SendResult.retryable(message, delay);
    }
    return SendResult.permanent(message + hint(status, response));
  }

  private String hint(int status, HttpResponse<byte[]> response) {
    switch (status) {
      case 301:
      case 302:
      case 303:
      case 307:
      case 308:
        return " (the endpoint redirects to "
            + response.headers().firstValue("Location").orElse("?")
            + "; configure that URL instead)";
      case 401:
      case 403:
        return " (check the credentials in headers or the preset's keys)";
      case 404:
      case 405:
        return " (is " + uri + " the OTLP traces URL? check endpoint / traces_endpoint)";
      case 413:
        return " (the request is too large for the backend; lower the batch processor's"
            + " send_batch_max_bytes or send_batch_max_size)";
      case 415:
        return " (the backend does not accept encoding " + config.encoding() + ")";
      default:
        return "";
    }
  }

  /** A 2xx body may carry {@code partial_success}; an empty or unreadable body is a success. */
  private SendResult partialSuccess(byte[] body, String contentType) {
    if (body.length == 0) {
      return SendResult.success();
    }
    ExportTraceServiceResponse r;
    try {
      r = isJson(contentType) ? OtlpJson.decodeResponse(body) : ExportTraceServiceResponse.parseFrom(body);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // The backend said yes, so the data counts as sent; but an HTML page in answer to an OTLP
      // POST usually means the URL points at a web UI that accepted and dropped it.
      oddAnswerLog.warn(
          "{} answered with a 2xx body that is not an OTLP response (Content-Type: {}); counting"
              + " it as sent, but check the URL",
          this,
          contentType.isEmpty() ? "none" : contentType);
      return SendResult.success();
    }
    if (r.hasPartialSuccess()) {
      ExportTracePartialSuccess p = r.getPartialSuccess();
      if (p.getRejectedSpans() > 0 || !p.getErrorMessage().isEmpty()) {
        return SendResult.partialSuccess(p.getRejectedSpans(), shorten(p.getErrorMessage()));
      }
    }
    return SendResult.success();
  }

  private boolean isJson(String contentType) {
    if (contentType.isEmpty()) {
      return config.encoding() == OtlpHttpEncoding.JSON; // the spec answers in the request's encoding
    }
    return contentType.toLowerCase(Locale.ROOT).contains("json");
  }

  /** The message of a {@code google.rpc.Status} body, or a printable excerpt of the body. */
  private String errorDetail(byte[] body, String contentType) {
    if (body.length == 0) {
      return "";
    }
    String ct = contentType.toLowerCase(Locale.ROOT);
    try {
      if (ct.contains("protobuf")) {
        return shorten(com.google.rpc.Status.parseFrom(body).getMessage());
      }
      if (ct.contains("json")) {
        JsonNode n = JSON.readTree(body);
        if (n != null && n.hasNonNull("message")) {
          return shorten(n.get("message").asText());
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the excerpt
    }
    if (ct.contains("html")) {
      return "(an HTML page)";
    }
    return shorten(new String(body, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]+", " ").trim());
  }

  private SendResult fromError(Throwable error) {
    Throwable t = Completions.unwrap(error);
    String where = uri.getHost() + ":" + port();
    if (t instanceof HttpTimeoutException) {
      return SendResult.retryable(
          "no answer from " + where + " within " + Durations.format(config.timeout()));
    }
    if (t instanceof ConnectException) {
      // The JDK reports a refused connection with no message, only a ClosedChannelException.
      return SendResult.retryable(
          "cannot connect to " + where + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }
    if (t instanceof SSLException) {
      return SendResult.retryable("TLS with " + where + " failed: " + describe(t));
    }
    if (t instanceof IOException) {
      return SendResult.retryable("I/O error with " + where + ": " + describe(t));
    }
    return SendResult.permanent("could not send to " + uri + ": " + t);
  }

  private int port() {
    return uri.getPort() >= 0 ? uri.getPort() : (https ? 443 : 80);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    if (m == null && t.getCause() != null) {
      m = t.getCause().toString();
    }
    return shorten(m == null ? t.getClass().getSimpleName() : m);
  }

  private static String shorten(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }

  /** What a body writes into the gzip stream: protobuf's segments or a JSON document. */
  private interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The body gzipped, from a writer of {@code size} bytes. */
  private static byte[] gzip(int size, BodyWriter body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      body.writeTo(gz);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen in memory
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] data) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return in.readNBytes(MAX_RESPONSE_BYTES);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  @Override
  public void shutdown() {
    // The JDK 17 HttpClient has no close(): its selector thread ends once the client is
    // unreachable, and its work ran on the shared workers.
    client = null;
  }

  @Override
  public String toString() {
    return "otlp_http to " + uri;
  }
}
