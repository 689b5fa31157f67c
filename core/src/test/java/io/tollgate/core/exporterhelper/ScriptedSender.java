package io.tollgate.core.exporterhelper;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.model.EncodedTraces;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A sender whose answers a test scripts; records every attempt with its time. */
final class ScriptedSender implements Sender {

  record Attempt(ExportTraceServiceRequest request, long nanoTime) {}

  final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  final AtomicInteger concurrent = new AtomicInteger();
  final AtomicInteger maxConcurrent = new AtomicInteger();
  volatile boolean shutdownCalled;
  private volatile Function<Integer, CompletionStage<SendResult>> script =
      n -> CompletableFuture.completedFuture(SendResult.success());

  /** {@code script} gets the 1-based attempt number across all requests. */
  ScriptedSender answer(Function<Integer, CompletionStage<SendResult>> script) {
    this.script = script;
    return this;
  }

  ScriptedSender answerNow(Function<Integer, SendResult> script) {
    return answer(n -> CompletableFuture.completedFuture(script.apply(n)));
  }

  @Override
  public CompletionStage<SendResult> send(EncodedTraces traces) {
    attempts.add(new Attempt(traces.request(), System.nanoTime()));
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    return script
        .apply(attempts.size())
        .whenComplete((r, e) -> concurrent.decrementAndGet());
  }

  @Override
  public void shutdown() {
    shutdownCalled = true;
  }

  @Override
  public String toString() {
    return "scripted sender";
  }
}
