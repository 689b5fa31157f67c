package io.tollgate.processor.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.core.component.ConfigIssues;
import java.util.List;

/** Test helper: the issues a config reports. */
final class ConfigIssuesAssert {

  private ConfigIssuesAssert() {}

  static List<String> issues(RedactionConfig config) {
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    return issues.issues().stream().map(Object::toString).toList();
  }

  static void valid(RedactionConfig config) {
    assertThat(issues(config)).isEmpty();
  }
}
