package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsTest {

  private static Cors cors(String... origins) {
    return new Cors(
        new OtlpReceiverConfig.Cors(List.of(origins), List.of(), List.of(), Duration.ZERO),
        "receivers.otlp.protocols.http.cors");
  }

  @Test
  void wildcardsMatchAnyRunOfCharacters() {
    Cors c = cors("https://*.example.com", "http://localhost:3000");
    assertThat(c.allows("https://app.example.com")).isTrue();
    assertThat(c.allows("https://a.b.example.com")).isTrue();
    assertThat(c.allows("HTTPS://APP.EXAMPLE.COM")).isTrue();
    assertThat(c.allows("https://example.com")).isFalse();
    assertThat(c.allows("https://app.example.com.evil.io")).isFalse();
    assertThat(c.allows("http://app.example.com")).isFalse();
    assertThat(c.allows("http://localhost:3000")).isTrue();
    assertThat(c.allows("http://localhost:3001")).isFalse();
    assertThat(c.allows(null)).isFalse();
  }

  @Test
  void aLoneStarAllowsEveryOrigin() {
    assertThat(cors("*").allows("https://anything.test")).isTrue();
  }

  @Test
  void offWithoutOrigins() {
    assertThat(cors().enabled()).isFalse();
  }
}
