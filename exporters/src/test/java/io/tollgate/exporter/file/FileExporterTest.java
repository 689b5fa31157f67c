package io.tollgate.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.otlp.OtlpJson;
import io.tollgate.exporter.testing.ExporterHarness;
import io.tollgate.exporter.testing.TestSpans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FileExporterTest {

  private final ExporterHarness harness = new ExporterHarness();
  @TempDir Path dir;

  @AfterEach
  void stop() {
    harness.close();
  }

  private static List<ExportTraceServiceRequest> read(Path p) throws IOException {
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      out.add(OtlpJson.decodeRequest(line.getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void writesOneOtlpJsonRequestPerLineAndCreatesParentDirectories() throws Exception {
    Path file = dir.resolve("a/b/spans.jsonl");
    Exporter exporter =
        harness.start(
            new FileExporterFactory()
                .create(
                    FileConfig.defaults().withPath(file.toString()).withFlushInterval(Duration.ofMillis(50)),
                    harness.context("file")));
    TraceBatch first = TestSpans.batch(2);
    TraceBatch second = TestSpans.batch(1);
    var expected = List.of(first.toRequest(), second.toRequest());

    exporter.consume(first);
    exporter.consume(second);

    // Visible after flush_interval, before shutdown.
    await().until(() -> Files.exists(file) && Files.readAllLines(file).size() == 2);
    assertThat(read(file)).isEqualTo(expected);
    assertThat(Files.readString(file)).contains("\"traceId\":\"");
  }

  @Test
  void rotatesBySizeKeepingNumberedBackups() throws Exception {
    Path file = dir.resolve("spans.jsonl");
    FileConfig config =
        FileConfig.defaults()
            .withPath(file.toString())
            .withRotation(new FileConfig.Rotation(1, 2))
            .withFlushInterval(Duration.ZERO);
    List<TraceBatch> batches = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      batches.add(TestSpans.batch(1));
    }
    long lineBytes = OtlpJson.encodeRequest(batches.get(0).toRequest()).length() + 1;
    // Two lines fit in a file, the third starts a new one.
    FileSender sender = new FileSender(config, lineBytes * 2 + 10, "test-writer");
    Exporter exporter = harness.start(FileExporterFactory.create(sender, harness.context("file")));
    var requests = batches.stream().map(TraceBatch::toRequest).toList();

    for (TraceBatch b : batches) {
      exporter.consume(b);
    }
    exporter.shutdown(Instant.now().plusSeconds(5));

    // Three files of two lines each: the newest at path, older ones at path.1 and path.2.
    assertThat(read(file)).isEqualTo(requests.subList(4, 6));
    assertThat(read(dir.resolve("spans.jsonl.1"))).isEqualTo(requests.subList(2, 4));
    assertThat(read(dir.resolve("spans.jsonl.2"))).isEqualTo(requests.subList(0, 2));
    assertThat(dir.resolve("spans.jsonl.3")).doesNotExist();
  }

  @Test
  void oldestBackupIsDeleted() throws Exception {
    Path file = dir.resolve("s.jsonl");
    FileConfig config =
        FileConfig.defaults().withPath(file.toString()).withRotation(new FileConfig.Rotation(1, 1));
    List<TraceBatch> batches = List.of(TestSpans.batch(1), TestSpans.batch(1), TestSpans.batch(1));
    var requests = batches.stream().map(TraceBatch::toRequest).toList();
    FileSender sender = new FileSender(config, 10, "test-writer"); // every line rotates
    Exporter exporter = harness.start(FileExporterFactory.create(sender, harness.context("file")));

    batches.forEach(exporter::consume);
    exporter.shutdown(Instant.now().plusSeconds(5));

    assertThat(read(file)).containsExactly(requests.get(2));
    assertThat(read(dir.resolve("s.jsonl.1"))).containsExactly(requests.get(1));
    assertThat(dir.resolve("s.jsonl.2")).doesNotExist();
  }

  @Test
  void appendsToAnExistingFile() throws Exception {
    Path file = dir.resolve("s.jsonl");
    String earlier = OtlpJson.encodeRequest(TestSpans.batch(1).toRequest()) + "\n";
    Files.writeString(file, earlier);
    Exporter exporter =
        harness.start(
            new FileExporterFactory()
                .create(FileConfig.defaults().withPath(file.toString()), harness.context("file")));
    exporter.consume(TestSpans.batch(1));
    exporter.shutdown(Instant.now().plusSeconds(5));
    assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo(earlier.strip());
  }

  @Test
  void anUnwritablePathFailsStartWithAClearMessage() throws Exception {
    Path blocker = dir.resolve("not-a-dir");
    Files.writeString(blocker, "x");
    Exporter exporter =
        new FileExporterFactory()
            .create(
                FileConfig.defaults().withPath(blocker.resolve("spans.jsonl").toString()),
                harness.context("file"));
    assertThatThrownBy(exporter::start)
        .hasMessageContaining("file exporter cannot write")
        .hasMessageContaining("not-a-dir");
    exporter.shutdown(Instant.now());
  }

  @Test
  void aDirectoryAsPathFailsStart() {
    Exporter exporter =
        new FileExporterFactory()
            .create(FileConfig.defaults().withPath(dir.toString()), harness.context("file"));
    assertThatThrownBy(exporter::start).hasMessageContaining("is a directory");
    exporter.shutdown(Instant.now());
  }

  @Test
  void configProblems() {
    ConfigIssues issues = new ConfigIssues();
    new FileConfig("", new FileConfig.Rotation(-1, 0), Duration.ofSeconds(-1)).validate(issues);
    assertThat(issues.issues())
        .extracting(ConfigIssues.Issue::path)
        .containsExactly("path", "rotation.max_megabytes", "rotation.max_backups", "flush_interval");
  }
}
