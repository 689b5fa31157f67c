/**
 * The {@code tail_sampling} processor: buffers spans per trace, sharded by trace id, within a
 * budget in bytes, and keeps or drops each trace whole once its root span has arrived (or its wait
 * is over), by policies that understand GenAI spans (errors, truncated answers, cost, tokens,
 * models) as well as the OpenTelemetry Collector's. See the README section `tail_sampling`.
 */
package io.tollgate.processor.tailsampling;
