package io.tollgate.core.component;

/** Changes, holds or filters batches on their way to the next consumer. */
public interface Processor extends Component, TracesConsumer {

  /**
   * Whether this processor reads or rewrites the spans themselves (their attributes, events,
   * status), work that grows with every span. A pipeline with such a processor cuts a large request
   * across idle workers ({@link io.tollgate.core.pipeline.ExecutorHop}); one whose processors only
   * count, hold back or merge batches is not cut. True unless a processor knows better: assuming
   * work costs a cut when workers are idle, never a wrong result.
   */
  default boolean readsSpans() {
    return true;
  }
}
