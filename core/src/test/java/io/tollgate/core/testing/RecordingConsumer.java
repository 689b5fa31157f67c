package io.tollgate.core.testing;

import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A consumer for tests: records every batch it gets and answers with what {@link #answer} says
 * (accept by default).
 */
public final class RecordingConsumer implements TracesConsumer {

  private final List<TraceBatch> batches = new CopyOnWriteArrayList<>();
  private volatile Function<TraceBatch, CompletionStage<Void>> answer =
      b -> CompletableFuture.completedFuture(null);

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    batches.add(batch);
    return answer.apply(batch);
  }

  @Override
  public boolean mutatesData() {
    return false;
  }

  /** Changes how the consumer answers from now on. */
  public RecordingConsumer answer(Function<TraceBatch, CompletionStage<Void>> answer) {
    this.answer = answer;
    return this;
  }

  public List<TraceBatch> batches() {
    return batches;
  }

  /** Every span received so far, in order. */
  public List<SpanRecord> spans() {
    List<SpanRecord> out = new ArrayList<>();
    for (TraceBatch b : batches) {
      out.addAll(b.spans());
    }
    return out;
  }

  public int spanCount() {
    int n = 0;
    for (TraceBatch b : batches) {
      n += b.spanCount();
    }
    return n;
  }

  public void clear() {
    batches.clear();
  }
}
