/**
 * The {@code batch} processor: groups spans into larger batches, sent when {@code send_batch_size}
 * spans are buffered or {@code timeout} has passed, with a bounded buffer that refuses new data
 * (retryable) when the next component falls behind. See the README section `batch`.
 */
package io.tollgate.processor.batch;
