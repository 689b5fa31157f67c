package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ConfigIssues;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Binds YAML-shaped trees the way the config loader does: snake_case keys, unknown keys rejected,
 * the user's tree deep-merged over the default config's tree.
 */
class OtlpReceiverConfigTest {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** What the loader does: user values win, objects merge recursively. */
  private static JsonNode mergeOver(JsonNode base, JsonNode user) {
    if (!(base instanceof ObjectNode) || !(user instanceof ObjectNode)) {
      return user == null || user.isMissingNode() ? base : user;
    }
    ObjectNode out = ((ObjectNode) base).deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode b = out.get(e.getKey());
      out.set(e.getKey(), b == null ? e.getValue() : mergeOver(b, e.getValue()));
    }
    return out;
  }

  private static OtlpReceiverConfig bind(String userJson) throws Exception {
    JsonNode defaults = MAPPER.valueToTree(new OtlpReceiverFactory().defaultConfig());
    JsonNode merged = mergeOver(defaults, MAPPER.readTree(userJson));
    return MAPPER.treeToValue(merged, OtlpReceiverConfig.class);
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
  void roundTripsThroughJackson() throws Exception {
    OtlpReceiverConfig c =
        bind(
            "{\"protocols\": {\"grpc\": {\"max_recv_msg_size_mib\": 16},"
                + " \"http\": {\"cors\": {\"allowed_origins\": [\"https://a.example\"],"
                + " \"max_age\": 60}}}}");
    String json = MAPPER.writeValueAsString(c);
    assertThat(json).contains("\"max_recv_msg_size_mib\":16").contains("\"max_age\":60");
    assertThat(MAPPER.readValue(json, OtlpReceiverConfig.class)).isEqualTo(c);
    // The default prints without protocols, so that a merge cannot re-enable a protocol.
    assertThat(MAPPER.writeValueAsString(new OtlpReceiverFactory().defaultConfig()))
        .isEqualTo("{}");
  }

  @Test
  void unknownKeysAreRejected() {
    assertThatThrownBy(() -> bind("{\"protocols\": {\"grpc\": {\"endpiont\": \"x:1\"}}}"))
        .hasMessageContaining("endpiont");
  }

  @Test
  void reportsEveryProblemWithItsKey() throws Exception {
    OtlpReceiverConfig c =
        bind(
            "{\"protocols\": {\"grpc\": {\"endpoint\": \"localhost\", \"max_recv_msg_size_mib\": 0,"
                + " \"transport\": \"unix\"},\"http\": {\"endpoint\": \"localhost:70000\","
                + " \"traces_url_path\": \"v1/traces\", \"max_request_body_size\": 0, \"cors\":"
                + " {\"allowed_origins\": [\"example.com/path\"], \"max_age\": -1}}}}");
    assertThat(issues(c))
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
    assertThat(issues(c).toString())
        .contains("has no port; write host:port, e.g. localhost:4317")
        .contains("port 70000 is out of range 0-65535");
  }

  @Test
  void anEmptyProtocolsSectionIsAnError() throws Exception {
    assertThat(issues(bind("{\"protocols\": {}}")))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.path()).isEqualTo("protocols");
              assertThat(i.message()).contains("write `grpc:` and/or `http:`");
            });
  }

  @Test
  void bothProtocolsCannotShareAPort() throws Exception {
    assertThat(
            issues(
                bind(
                    "{\"protocols\": {\"grpc\": {\"endpoint\": \"0.0.0.0:4317\"},"
                        + " \"http\": {\"endpoint\": \"0.0.0.0:4317\"}}}")))
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
