package io.tollgate.core.exporterhelper;

import io.tollgate.core.model.EncodedTraces;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sender that answers nothing until the test does: every attempt is held with its size, and the
 * sender keeps the most bytes it ever had unanswered at once.
 */
final class HoldingSender implements Sender {

  /** One attempt: its encoded size, its span count, and the answer the test completes. */
  record Held(int size, int spans, CompletableFuture<SendResult> answer) {
    void succeed() {
      answer.complete(SendResult.success());
    }
  }

  final List<Held> held = new CopyOnWriteArrayList<>();
  private final AtomicLong bytesNow = new AtomicLong();
  private final AtomicLong maxBytes = new AtomicLong();

  @Override
  public CompletionStage<SendResult> send(EncodedTraces traces) {
    int size = traces.size();
    // Counted before the attempt is visible to the test, and uncounted before the exporter hears
    // the answer: what the exporter thinks is in flight is never less than what is counted here.
    maxBytes.accumulateAndGet(bytesNow.addAndGet(size), Math::max);
    CompletableFuture<SendResult> answer = new CompletableFuture<>();
    held.add(new Held(size, traces.spanCount(), answer));
    return answer.whenComplete((r, e) -> bytesNow.addAndGet(-size));
  }

  /** Attempts sent and not answered yet. */
  List<Held> unanswered() {
    return held.stream().filter(h -> !h.answer.isDone()).toList();
  }

  long maxBytesAtOnce() {
    return maxBytes.get();
  }

  @Override
  public String toString() {
    return "holding sender";
  }
}
