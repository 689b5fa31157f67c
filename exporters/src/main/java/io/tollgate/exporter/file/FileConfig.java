package io.tollgate.exporter.file;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.time.Duration;
import java.util.Objects;

/**
 * Config of {@code file}.
 *
 * @param path the file written; backups are {@code path.1} (newest) … {@code path.N}
 * @param flushInterval how often buffered lines reach the file; 0 flushes after every batch
 */
public record FileConfig(String path, Rotation rotation, Duration flushInterval)
    implements ComponentConfig {

  /**
   * {@code rotation}: when the file would grow past {@code max_megabytes}, it becomes {@code
   * path.1} (older backups shift up by one) and a new file starts.
   *
   * @param maxMegabytes 0 never rotates
   * @param maxBackups how many rotated files are kept (at least 1)
   */
  public record Rotation(int maxMegabytes, int maxBackups) implements ComponentConfig {
    public static Rotation defaults() {
      return new Rotation(100, 100);
    }

    @Override
    public void validate(ConfigIssues issues) {
      if (maxMegabytes < 0) {
        issues.add("max_megabytes", "must be 0 (never rotate) or positive; got " + maxMegabytes);
      }
      if (maxBackups < 1) {
        issues.add(
            "max_backups",
            "must be at least 1; got "
                + maxBackups
                + " (backups are numbered path.1 … path.N; the collector's 0 = keep all is not"
                + " supported, set a large number instead)");
      }
    }
  }

  public FileConfig {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rotation, "rotation");
    Objects.requireNonNull(flushInterval, "flushInterval");
  }

  public static FileConfig defaults() {
    return new FileConfig("", Rotation.defaults(), Duration.ofSeconds(1));
  }

  public FileConfig withPath(String p) {
    return new FileConfig(p, rotation, flushInterval);
  }

  public FileConfig withRotation(Rotation r) {
    return new FileConfig(path, r, flushInterval);
  }

  public FileConfig withFlushInterval(Duration d) {
    return new FileConfig(path, rotation, d);
  }

  @Override
  public void validate(ConfigIssues issues) {
    if (path.isBlank()) {
      issues.add("path", "is required: the file to write, e.g. /var/lib/tollgate/spans.jsonl");
    } else if (path.endsWith("/")) {
      issues.add("path", "\"" + path + "\" names a directory; give a file name");
    }
    rotation.validate(issues.at("rotation"));
    if (flushInterval.isNegative()) {
      issues.add("flush_interval", "must be 0 (flush after each batch) or positive");
    }
  }
}
