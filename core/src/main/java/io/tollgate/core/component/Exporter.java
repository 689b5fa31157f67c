package io.tollgate.core.component;

/**
 * Sends batches to a backend. An exporter completes {@link #consume} once the batch is in its
 * queue and fails with {@link RefusedException} when the queue is full; it never changes the
 * batch.
 */
public interface Exporter extends Component, TracesConsumer {
  @Override
  default boolean mutatesData() {
    return false;
  }
}
