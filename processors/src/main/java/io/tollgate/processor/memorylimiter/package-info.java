/**
 * The {@code memory_limiter} processor: refuses data with a retryable "throttled" answer while the
 * JVM heap (measured after garbage collection) is above its soft limit. See the README section
 * `memory_limiter`.
 */
package io.tollgate.processor.memorylimiter;
