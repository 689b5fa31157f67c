/**
 * The {@code tollgate} command ({@link io.tollgate.collector.Main}): CLI, self-telemetry and the
 * running {@link io.tollgate.collector.Collector}. See the README section on the `tollgate` command.
 */
package io.tollgate.collector;
