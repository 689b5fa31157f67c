package io.tollgate.core.component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects what is wrong with a configuration so that every problem is reported at once, each
 * with the path of the key it concerns (e.g. {@code exporters::otlp/tempo::retry_on_failure::multiplier}
 * is written {@code exporters.otlp/tempo.retry_on_failure.multiplier}).
 */
public final class ConfigIssues {

  /** One problem: where, and what the user should do. */
  public record Issue(String path, String message) {
    @Override
    public String toString() {
      return path.isEmpty() ? message : path + ": " + message;
    }
  }

  private final String prefix;
  private final List<Issue> sink;

  public ConfigIssues() {
    this("", new ArrayList<>());
  }

  private ConfigIssues(String prefix, List<Issue> sink) {
    this.prefix = prefix;
    this.sink = sink;
  }

  /** A view whose paths are below {@code child}; issues go to the same list. */
  public ConfigIssues at(String child) {
    return new ConfigIssues(join(prefix, child), sink);
  }

  /** Records a problem with the key {@code key} below this view's path. */
  public void add(String key, String message) {
    sink.add(new Issue(join(prefix, key), message));
  }

  /** Records a problem with the value at this view's path. */
  public void add(String message) {
    sink.add(new Issue(prefix, message));
  }

  /** Convenience: records {@code message} when {@code condition} is false. */
  public void require(boolean condition, String key, String message) {
    if (!condition) {
      add(key, message);
    }
  }

  public boolean isEmpty() {
    return sink.isEmpty();
  }

  public List<Issue> issues() {
    return Collections.unmodifiableList(sink);
  }

  /** The path prefix of this view. */
  public String path() {
    return prefix;
  }

  private static String join(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a + "." + b;
  }
}
