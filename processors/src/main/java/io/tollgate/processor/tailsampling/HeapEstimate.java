package io.tollgate.processor.tailsampling;

/**
 * What the spans of one arrival take on the heap while buffered. They are held as the bytes of
 * {@code TraceBatch.encodeInto} (packed into slabs, see {@link TailSamplingProcessor}), so the
 * estimate is their encoded size plus a constant for the few objects around them: its slab lease,
 * its {@code EncodedTraces}, its slot in the trace's list, and, spread over the arrivals, the
 * trace's own entry (its {@link PendingTrace}, {@link TraceData} with the sets of models and finish
 * reasons, key and map entries). Measured on JDK 17 (compressed oops) by buffering requests of
 * several shapes and comparing heap after GC ({@code HeapEstimateCalibrationTest}).
 *
 * <p>Before buffered spans were held encoded, they were protobuf objects: about 1.3 KB per arrival,
 * 400 B per span and 150–180 B per attribute on top of the encoded size.
 */
final class HeapEstimate {

  /**
   * Measured at 400 when each arrival had an array of its own; 540 since arrivals are packed into
   * slabs (the lease that holds an arrival's region, and its segment's bookkeeping). The slabs'
   * unused space is not counted here: it is a few slabs, whatever the number of arrivals.
   */
  static final int PER_ARRIVAL = 540;

  private HeapEstimate() {}

  /** Estimated heap bytes of one arrival of {@code encodedSize} bytes, held encoded. */
  static long ofEncoded(long encodedSize) {
    return encodedSize + PER_ARRIVAL;
  }
}
