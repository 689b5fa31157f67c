package io.tollgate.core.component;

/** Takes data from outside and hands it to the pipelines' first consumer. */
public interface Receiver extends Component {}
