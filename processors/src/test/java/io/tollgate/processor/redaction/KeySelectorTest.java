package io.tollgate.processor.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.core.component.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link KeySelector}'s slot table in front of its map decides as the map does. */
class KeySelectorTest {

  @Test
  void manyKeysSameInstancesOrCopiesDecideAsAFreshSelector() {
    RedactionConfig config =
        new RedactionConfig(
            true,
            List.of("app.note"),
            List.of("^custom\\.[0-9]+\\.text$"),
            false,
            List.of("user.id"),
            true,
            true,
            RecognizersConfig.defaults(),
            List.of(),
            Map.of(),
            Secret.of(""),
            8,
            SummaryLevel.INFO,
            PresidioConfig.defaults());
    List<String> keys = new ArrayList<>();
    // More keys than the table has slots: most keys share a slot with others.
    for (int i = 0; i < 3000; i++) {
      keys.add(
          switch (i % 6) {
            case 0 -> "gen_ai.prompt." + i + ".content";
            case 1 -> "custom." + i + ".text";
            case 2 -> "service.attr." + i;
            case 3 -> "db.password." + i;
            case 4 -> "user.id";
            default -> "app.note";
          });
    }
    KeySelector cached = new KeySelector(config);
    for (int round = 0; round < 3; round++) {
      for (String key : keys) {
        // Round 0 and 2 the same instances, round 1 equal copies.
        String k = round == 1 ? new String(key) : key;
        assertThat(cached.selects(k)).as(k).isEqualTo(new KeySelector(config).selects(k));
      }
    }
    assertThat(cached.selects("gen_ai.prompt.6.content")).isTrue();
    assertThat(cached.selects("custom.7.text")).isTrue();
    assertThat(cached.selects("service.attr.8")).isFalse();
    assertThat(cached.selects("user.id")).isFalse();
    assertThat(cached.selects("app.note")).isTrue();
  }
}
