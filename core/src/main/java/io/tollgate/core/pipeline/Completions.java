package io.tollgate.core.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Helpers for the {@link CompletionStage}s that flow back through a pipeline. */
public final class Completions {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private Completions() {}

  /** An already completed stage; shared, so it must not be completed again. */
  public static CompletionStage<Void> done() {
    return DONE;
  }

  /** The real cause behind the wrappers that CompletableFuture adds. */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
