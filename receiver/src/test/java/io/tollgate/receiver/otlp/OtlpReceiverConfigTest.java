package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.ConfigException;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Binds sections through the real config loader: snake_case keys, unknown keys rejected, the
 * user's tree deep-merged over the default config's tree, then validated.
 */
class OtlpReceiverConfigTest {

  /** Binds {@code yaml} as the {@code otlp} receiver's section, through the real config loader. */
  private static OtlpReceiverConfig bind(String yaml) throws ConfigException {
    return ComponentConfigs.bind(ComponentKind.RECEIVER, "otlp", yaml);
  }

  /** What the loader reports for the section, with paths relative to it. */
  private static List<ConfigIssues.Issue> problems(String yaml) {
    return ComponentConfigs.problemIssues(ComponentKind.RECEIVER, "otlp", yaml);
  }

  /** The section as {@code tollgate print-config} shows it. */
  private static JsonNode printed(String yaml) throws ConfigException {
    return ComponentConfigs.load(ComponentKind.RECEIVER, "otlp", yaml)
        .toTree()
        .get("receivers")
        .get("otlp");
  }

  private static List<ConfigIssues.Issue> issues(OtlpReceiverConfig config) {
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    return issues.issues();
  }

  @Test
  void defaultServesBothProtocolsOnTheirDefaultPorts() throws Exception {
    OtlpReceiverConfig c = bind("{}");
    assertThat(c.effectiveProtocols().grpc().endpoint()).isEqualTo("localhost:4317");
    assertThat(c.effectiveProtocols().grpc().maxRecvMsgSizeMib()).isEqualTo(64);
    assertThat(c.effectiveProtocols().http().endpoint()).isEqualTo("localhost:4318");
    assertThat(c.effectiveProtocols().http().tracesUrlPath()).isEqualTo("/v1/traces");
    assertThat(c.effectiveProtocols().http().maxRequestBodySize()).isEqualTo(ByteSize.ofMiB(64));
    assertThat(c.effectiveProtocols().http().cors().enabled()).isFalse();
    assertThat(issues(c)).isEmpty();
    assertThat(issues(new OtlpReceiverFactory().defaultConfig())).isEmpty();
  }

  @Test
  void anEmptyKeyEnablesOnlyThatProtocol_likeTheCollector() throws Exception {
    // receivers: {otlp: {protocols: {grpc: }}}
    OtlpReceiverConfig c = bind("{\"protocols\": {\"grpc\": null}}");
    assertThat(c.effectiveProtocols().grpc()).isEqualTo(OtlpReceiverConfig.Grpc.defaults());
    assertThat(c.effectiveProtocols().http()).isNull();

    OtlpReceiverConfig h = bind("{\"protocols\": {\"http\": {}}}");
    assertThat(h.effectiveProtocols().grpc()).isNull();
    assertThat(h.effectiveProtocols().http()).isEqualTo(OtlpReceiverConfig.Http.defaults());

    OtlpReceiverConfig both = bind("{\"protocols\": {\"grpc\": null, \"http\": null}}");
    assertThat(both.effectiveProtocols()).isEqualTo(OtlpReceiverConfig.Protocols.BOTH);
  }

  @Test
  void keysLeftOutOfAProtocolKeepTheirDefaults() throws Exception {
    OtlpReceiverConfig c =
        bind(
            "{\"protocols\": {\"http\": {\"endpoint\": \"0.0.0.0:4318\", \"max_request_body_size\":"
                + " \"8MiB\", \"cors\": {\"allowed_origins\": [\"https://*.example.com\"],"
                + " \"max_age\": 7200}}}}");
    OtlpReceiverConfig.Http http = c.effectiveProtocols().http();
    assertThat(http.endpoint()).isEqualTo("0.0.0.0:4318");
    assertThat(http.tracesUrlPath()).isEqualTo("/v1/traces");
    assertThat(http.maxRequestBodySize()).isEqualTo(ByteSize.ofMiB(8));
    assertThat(http.cors().allowedOrigins()).containsExactly("https://*.example.com");
    assertThat(http.cors().maxAge()).isEqualTo(Duration.ofHours(2));
    assertThat(
            bind("{\"protocols\": {\"http\": {\"cors\": {\"max_age\": \"10m\"}}}}")
                .effectiveProtocols()
                .http()
                .cors()
                .maxAge())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(issues(c)).isEmpty();
  }

  @Test
  void roundTripsThroughTheLoader() throws Exception {
    String yaml =
        "{\"protocols\": {\"grpc\": {\"max_recv_msg_size_mib\": 16},"
            + " \"http\": {\"cors\": {\"allowed_origins\": [\"https://a.example\"],"
            + " \"max_age\": 60}}}}";
    OtlpReceiverConfig c = bind(yaml);
    String json = printed(yaml).toString();
    assertThat(json).contains("\"max_recv_msg_size_mib\":16").contains("\"max_age\":60");
    // What print-config shows loads back as the same config.
    assertThat(bind(json)).isEqualTo(c);
    // The default prints without protocols, so that a merge cannot re-enable a protocol.
    assertThat(printed("").toString()).isEqualTo("{\"admission\":{\"request_limit_mib\":32}}");
  }

  @Test
  void admissionAndStreamLimitsDefaultAndZeroTurnsThemOff() throws Exception {
    assertThat(bind("{}").admission().requestLimitBytes()).isEqualTo(32L << 20);
    assertThat(bind("{admission: {request_limit_mib: 0}}").admission().requestLimitBytes())
        .isZero();
    OtlpReceiverConfig c = bind("{admission: {request_limit_mib: 128}}");
    assertThat(c.admission().requestLimitMib()).isEqualTo(128);
    assertThat(bind(printed("{admission: {request_limit_mib: 128}}").toString())).isEqualTo(c);
    assertThat(problems("{admission: {request_limit_mib: -1}}"))
        .extracting(ConfigIssues.Issue::toString)
        .containsExactly(
            "admission.request_limit_mib: must be 0 (no limit) or more; got -1 (default 32)");
    assertThat(bind("{}").effectiveProtocols().grpc().maxConcurrentStreams()).isEqualTo(16);
    assertThat(
            bind("{protocols: {grpc: {max_concurrent_streams: 0}}}")
                .effectiveProtocols()
                .grpc()
                .maxConcurrentStreams())
        .isZero();
    assertThat(problems("{protocols: {grpc: {max_concurrent_streams: -2}}}"))
        .extracting(ConfigIssues.Issue::toString)
        .containsExactly(
            "protocols.grpc.max_concurrent_streams: must be 0 (no limit) or more; got -2 (default"
                + " 16)");
    assertThat(problems("{admission: {request_limit: 64}}"))
        .singleElement()
        .asString()
        .startsWith("admission.request_limit: unknown key")
        .contains("request_limit_mib");
  }

  @Test
  void unknownKeysAreRejected() {
    assertThat(problems("{\"protocols\": {\"grpc\": {\"endpiont\": \"x:1\"}}}"))
        .singleElement()
        .asString()
        .startsWith("protocols.grpc.endpiont: unknown key");
    // The protocol blocks have their own deserializer; their values are still checked by the
    // loader, every one with its path.
    assertThat(
            problems(
                "{protocols: {grpc: {max_recv_msg_size_mib: lots},"
                    + " http: {cors: {allowed_origins: x}}}}"))
        .extracting(ConfigIssues.Issue::toString)
        .containsExactly(
            "protocols.grpc.max_recv_msg_size_mib: expected a whole number, got \"lots\"",
            "protocols.http.cors.allowed_origins: expected a list, got \"x\"");
  }

  /** A collector user's receiver config, carried over: TLS and a bearer-token authenticator. */
  @Test
  void tlsAndAuthAreRefusedAsNotSupportedYetNotAsUnknownKeys() {
    List<ConfigIssues.Issue> problems =
        problems(
            "{protocols: {grpc: {endpoint: \"0.0.0.0:4317\", tls: {cert_file: /certs/tls.crt,"
                + " key_file: /certs/tls.key}, auth: {authenticator: bearertokenauth}},"
                + " http: {tls: {cert_file: /certs/tls.crt, key_file: /certs/tls.key}}}}");
    assertThat(problems)
        .extracting(ConfigIssues.Issue::path)
        .containsExactlyInAnyOrder(
            "protocols.grpc.tls", "protocols.grpc.auth", "protocols.http.tls");
    assertThat(problems)
        .allSatisfy(
            i ->
                assertThat(i.message())
                    .startsWith("not supported yet by Tollgate's otlp receiver")
                    .doesNotContain("unknown key")
                    .doesNotContain("/certs"));
    assertThat(problems)
        .filteredOn(i -> i.path().endsWith("tls"))
        .allSatisfy(i -> assertThat(i.message()).contains("terminate TLS in front of it"));
    // Even an empty block is refused: it asks for security that would not be there.
    assertThat(problems("{protocols: {http: {auth: {}}}}"))
        .extracting(ConfigIssues.Issue::path)
        .containsExactly("protocols.http.auth");
    // Neither key appears when not written.
    assertThat(issues(new OtlpReceiverFactory().defaultConfig())).isEmpty();
  }

  @Test
  void reportsEveryProblemWithItsKey() {
    List<ConfigIssues.Issue> problems =
        problems(
            "{\"protocols\": {\"grpc\": {\"endpoint\": \"localhost\", \"max_recv_msg_size_mib\": 0,"
                + " \"transport\": \"unix\"},\"http\": {\"endpoint\": \"localhost:70000\","
                + " \"traces_url_path\": \"v1/traces\", \"max_request_body_size\": 0, \"cors\":"
                + " {\"allowed_origins\": [\"example.com/path\"], \"max_age\": -1}}}}");
    assertThat(problems)
        .extracting(ConfigIssues.Issue::path)
        .containsExactlyInAnyOrder(
            "protocols.grpc.endpoint",
            "protocols.grpc.max_recv_msg_size_mib",
            "protocols.grpc.transport",
            "protocols.http.endpoint",
            "protocols.http.traces_url_path",
            "protocols.http.max_request_body_size",
            "protocols.http.cors.allowed_origins",
            "protocols.http.cors.max_age");
    assertThat(problems.toString())
        .contains("has no port; write host:port, e.g. localhost:4317")
        .contains("port 70000 is out of range 0-65535");
  }

  @Test
  void anEmptyProtocolsSectionIsAnError() {
    assertThat(problems("{\"protocols\": {}}"))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.path()).isEqualTo("protocols");
              assertThat(i.message()).contains("write `grpc:` and/or `http:`");
            });
  }

  @Test
  void bothProtocolsCannotShareAPort() {
    assertThat(
            problems(
                "{\"protocols\": {\"grpc\": {\"endpoint\": \"0.0.0.0:4317\"},"
                    + " \"http\": {\"endpoint\": \"0.0.0.0:4317\"}}}"))
        .extracting(ConfigIssues.Issue::path)
        .containsExactly("protocols.http.endpoint");
  }

  @Test
  void parsesEndpoints() {
    assertThat(Endpoint.parse("localhost:4317")).isEqualTo(new Endpoint("localhost", 4317));
    assertThat(Endpoint.parse(":4318")).isEqualTo(new Endpoint("", 4318));
    assertThat(Endpoint.parse("[::1]:0")).isEqualTo(new Endpoint("::1", 0));
    assertThat(Endpoint.parse("[::1]:0").toString()).isEqualTo("[::1]:0");
    assertThat(Endpoint.parse("0.0.0.0:65535").port()).isEqualTo(65535);
    assertThatThrownBy(() -> Endpoint.parse("::1:4317")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> Endpoint.parse("http://localhost:4317"))
        .hasMessageContaining("is a URL");
    assertThatThrownBy(() -> Endpoint.parse("localhost:-1")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Endpoint.parse("localhost:http"))
        .hasMessageContaining("no numeric port");
    assertThatThrownBy(() -> Endpoint.parse(" ")).hasMessageContaining("empty");
  }
}
