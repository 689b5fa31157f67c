/**
 * The {@code tollgate} command ({@link io.tollgate.collector.Main}): CLI, self-telemetry and the
 * running {@link io.tollgate.collector.Collector}. See {@code docs/cli.md}.
 */
package io.tollgate.collector;
