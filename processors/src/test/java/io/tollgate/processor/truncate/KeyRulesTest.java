package io.tollgate.processor.truncate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Equal keys get the same rule however often, in whatever instances and order they come. */
class KeyRulesTest {

  @Test
  void equalKeysGetTheSameRuleThroughTheTableInFrontOfTheMap() {
    Map<String, Integer> limits = new LinkedHashMap<>();
    limits.put("gen_ai.*", 500);
    limits.put("gen_ai.input.messages", 2000);
    TruncateConfig config =
        new TruncateConfig(
            100, limits, List.of("user.id"), "…", List.of("gen_ai.input.messages"));
    KeyRules rules = new KeyRules(config);

    // Far more keys than the table has slots, so that slots collide and are overwritten.
    List<String> keys = new ArrayList<>(List.of("gen_ai.input.messages", "user.id", "tool.out"));
    for (int i = 0; i < 500; i++) {
      keys.add("gen_ai.prompt." + i + ".content");
      keys.add("attr." + i);
    }
    for (int round = 0; round < 3; round++) {
      for (String key : keys) {
        // A new instance every time besides the shared one: equal keys, not the same object.
        for (String k : List.of(key, new String(key))) {
          KeyRules.Rule rule = rules.ruleFor(k);
          assertThat(rule).as(k).isEqualTo(expected(k));
          assertThat(rules.ruleFor(k)).as(k).isSameAs(rule);
        }
      }
    }
  }

  private static KeyRules.Rule expected(String key) {
    if (key.equals("gen_ai.input.messages")) {
      return new KeyRules.Rule(2000, false, true);
    }
    if (key.equals("user.id")) {
      return new KeyRules.Rule(100, true, false);
    }
    if (key.startsWith("gen_ai.")) {
      return new KeyRules.Rule(500, false, false);
    }
    return new KeyRules.Rule(100, false, false);
  }
}
