package io.tollgate.exporter.debug;

import io.tollgate.core.exporterhelper.SendResult;
import io.tollgate.core.exporterhelper.Sender;
import io.tollgate.core.model.EncodedTraces;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.exporter.internal.WriterThread;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes each request's spans through a buffered writer on its own thread, flushing once per
 * request: a terminal or log collector that reads slowly blocks that thread only.
 */
final class DebugSender implements Sender {

  private final DebugConfig.Verbosity verbosity;
  private final Writer writer;
  private final ScheduledExecutorService thread;

  DebugSender(DebugConfig config, OutputStream out, String threadName) {
    this.verbosity = config.verbosity();
    this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    this.thread = WriterThread.create(threadName);
  }

  @Override
  public CompletionStage<SendResult> send(EncodedTraces traces) {
    try {
      return CompletableFuture.supplyAsync(() -> write(traces), thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(SendResult.permanent("the debug exporter is stopped"));
    }
  }

  private SendResult write(EncodedTraces traces) {
    StringBuilder sb = new StringBuilder(256);
    TraceBatch.of(traces.request())
        .forEachSpan(
            span -> {
              if (verbosity == DebugConfig.Verbosity.DETAILED) {
                SpanFormatter.detailed(span, sb);
              } else {
                SpanFormatter.basic(span, sb);
              }
            });
    try {
      writer.write(sb.toString());
      writer.flush();
      return SendResult.success();
    } catch (IOException e) {
      return SendResult.permanent("cannot write debug output: " + e.getMessage());
    }
  }

  @Override
  public void shutdown() {
    thread.shutdown();
    try {
      thread.awaitTermination(1, TimeUnit.SECONDS);
      writer.flush(); // stdout itself is never closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // nothing more to do with a broken stream
    }
  }

  @Override
  public String toString() {
    return "debug (" + verbosity + ")";
  }
}
