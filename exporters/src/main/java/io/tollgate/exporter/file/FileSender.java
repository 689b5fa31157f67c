package io.tollgate.exporter.file;

import io.tollgate.core.exporterhelper.SendResult;
import io.tollgate.core.exporterhelper.Sender;
import io.tollgate.core.model.EncodedTraces;
import io.tollgate.core.otlp.OtlpJson;
import io.tollgate.exporter.internal.WriterThread;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each request as one OTLP/JSON line, on a thread of its own, and flushes every {@code
 * flush_interval}.
 */
final class FileSender implements Sender {

  private static final Logger log = LoggerFactory.getLogger(FileSender.class);

  private final FileConfig config;
  private final RotatingFile file;
  private final ScheduledExecutorService thread;

  FileSender(FileConfig config, String threadName) {
    this.config = config;
    long maxBytes = config.rotation().maxMegabytes() * 1024L * 1024L;
    this.file = new RotatingFile(Path.of(config.path()), maxBytes, config.rotation().maxBackups());
    this.thread = WriterThread.create(threadName);
  }

  // Visible for testing: rotation in bytes rather than megabytes.
  FileSender(FileConfig config, long maxBytes, String threadName) {
    this.config = config;
    this.file = new RotatingFile(Path.of(config.path()), maxBytes, config.rotation().maxBackups());
    this.thread = WriterThread.create(threadName);
  }

  @Override
  public void start() throws Exception {
    // Open on the writer thread, but report a bad path to start() so that the collector fails
    // fast with the reason rather than logging write errors forever.
    Future<?> opened =
        thread.submit(
            () -> {
              file.open();
              return null;
            });
    try {
      opened.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      thread.shutdownNow();
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
    long every = config.flushInterval().toNanos();
    if (every > 0) {
      thread.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public CompletionStage<SendResult> send(EncodedTraces traces) {
    try {
      return CompletableFuture.supplyAsync(() -> write(traces), thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(SendResult.permanent("the file exporter is stopped"));
    }
  }

  private SendResult write(EncodedTraces traces) {
    byte[] line = (OtlpJson.encodeRequest(traces.request()) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      file.write(line);
      if (config.flushInterval().isZero()) {
        file.flush();
      }
      return SendResult.success();
    } catch (IOException e) {
      return SendResult.permanent("cannot write " + file + ": " + e.getMessage());
    }
  }

  private void flushQuietly() {
    try {
      file.flush();
    } catch (IOException e) {
      log.warn("file exporter: cannot flush {}: {}", file, e.getMessage());
    }
  }

  @Override
  public void shutdown() {
    if (thread.isShutdown()) {
      return; // start() failed and stopped the thread; nothing was opened
    }
    try {
      thread
          .submit(
              () -> {
                file.close();
                return null;
              })
          .get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      log.warn("file exporter: cannot close {}: {}", file, e.getCause().getMessage());
    } catch (RejectedExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("file exporter: could not close {} in time", file);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      thread.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "file " + file;
  }
}
