package io.tollgate.config;

import io.tollgate.core.component.ConfigIssues.Issue;
import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found (not just the first), each with
 * the path of the key it concerns, and the warnings found on the way.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<Issue> problems;
  private final transient List<Issue> warnings;

  public ConfigException(List<Issue> problems, List<Issue> warnings) {
    super(report(problems), null, false, false);
    this.problems = List.copyOf(problems);
    this.warnings = List.copyOf(warnings);
  }

  /** Every problem, in the order of the file. */
  public List<Issue> problems() {
    return problems;
  }

  public List<Issue> warnings() {
    return warnings;
  }

  /**
   * The report shown to the user: a heading, one problem per line with its path, and what to do.
   */
  public static String report(List<Issue> problems) {
    StringBuilder sb = new StringBuilder();
    int n = problems.size();
    sb.append("The configuration is not valid (")
        .append(n)
        .append(n == 1 ? " problem" : " problems")
        .append("):\n");
    for (Issue issue : problems) {
      sb.append("  ").append(issue).append('\n');
    }
    sb.append(
        "Each line starts with the path of the key in the YAML (sections and keys joined by '.')."
            + " Fix them all, then check with `tollgate validate --config <file>`.");
    return sb.toString();
  }
}
