package io.tollgate.processor.tailsampling;

import com.google.protobuf.ByteString;

/**
 * A trace id as two longs: a compact map and cache key (24 bytes instead of a {@code ByteString}
 * and its array), with a well-mixed hash for picking the shard.
 */
record TraceKey(long hi, long lo) {

  static TraceKey of(ByteString traceId) {
    int n = traceId.size();
    if (n == 16) {
      return new TraceKey(readLong(traceId, 0), readLong(traceId, 8));
    }
    // Not a valid OTLP trace id; still keep such spans together, keyed by their bytes.
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < n; i++) {
      h = (h ^ (traceId.byteAt(i) & 0xff)) * 0x100000001b3L;
    }
    return new TraceKey(n, h);
  }

  private static long readLong(ByteString b, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b.byteAt(offset + i) & 0xff);
    }
    return v;
  }

  /** The shard this trace lives in, in [0, shards). */
  int shard(int shards) {
    return (int) ((mix(hi ^ Long.rotateLeft(lo, 29)) >>> 1) % shards);
  }

  @Override
  public int hashCode() {
    return (int) mix(hi * 31 + lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceKey && ((TraceKey) o).hi == hi && ((TraceKey) o).lo == lo;
  }

  /** The 64-bit finaliser of MurmurHash3: ids whose bits differ in one place spread well. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
