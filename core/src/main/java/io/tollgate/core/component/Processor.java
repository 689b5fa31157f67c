package io.tollgate.core.component;

/** Changes, holds or filters batches on their way to the next consumer. */
public interface Processor extends Component, TracesConsumer {}
