package io.tollgate.core.component;

/** Something beside the pipelines: health check, zpages, authenticators. */
public interface Extension extends Component {}
