package io.tollgate.benchmarks.load;

import io.tollgate.benchmarks.workload.GenAiWorkload;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pre-encoded requests of the GenAI workload, handed out round-robin. Each request handed out is a
 * copy whose trace ids carry the number of the pass over the pool, so that every pass sends new
 * traces (a tail sampler would otherwise see the same traces again and again) while a trace cut
 * across two neighbouring requests stays one trace. Copying a ~170 KB array costs a few
 * microseconds: far below what the collector spends on it, and no encoding happens while measuring.
 */
final class RequestPool {

  /** One request ready to send. */
  record Request(byte[] body, int spans) {}

  private final byte[][] templates;
  private final int[][] traceIdOffsets;
  private final int[] spans;
  private final AtomicLong counter = new AtomicLong();
  private final long totalBytes;
  private final long totalSpans;

  RequestPool(long seed, int requests, int spansPerRequest) {
    List<byte[]> encoded =
        GenAiWorkload.builder()
            .seed(seed)
            .spansPerRequest(spansPerRequest)
            .build()
            .encodedRequests(requests);
    templates = encoded.toArray(new byte[0][]);
    traceIdOffsets = new int[requests][];
    spans = new int[requests];
    long bytes = 0;
    long spanTotal = 0;
    for (int i = 0; i < requests; i++) {
      traceIdOffsets[i] = OtlpWire.traceIdOffsets(templates[i]);
      spans[i] = OtlpWire.countSpans(templates[i]);
      bytes += templates[i].length;
      spanTotal += spans[i];
    }
    totalBytes = bytes;
    totalSpans = spanTotal;
  }

  Request next() {
    long n = counter.getAndIncrement();
    int i = (int) (n % templates.length);
    int pass = (int) (n / templates.length) + 1;
    byte[] body = templates[i].clone();
    OtlpWire.stampTraceIds(body, traceIdOffsets[i], pass);
    return new Request(body, spans[i]);
  }

  int size() {
    return templates.length;
  }

  double bytesPerSpan() {
    return (double) totalBytes / totalSpans;
  }

  double bytesPerRequest() {
    return (double) totalBytes / templates.length;
  }

  long totalBytes() {
    return totalBytes;
  }
}
