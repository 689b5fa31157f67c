package io.tollgate.core.component;

import java.time.Instant;

/** Lifecycle shared by every component. */
public interface Component {

  /** Opens ports, starts threads. Throwing here aborts the collector's start. */
  default void start() throws Exception {}

  /**
   * Stops taking new work and finishes what is in flight by {@code deadline} (flush buffers,
   * drain queues). Whatever cannot be finished by then is logged with its count and dropped.
   * Called once, in reverse data-flow order: receivers first, exporters last.
   */
  default void shutdown(Instant deadline) {}
}
