package io.tollgate.processor.tailsampling;

import io.tollgate.core.jvm.VmOptions;
import io.tollgate.core.model.ByteRegion;
import io.tollgate.core.model.EncodedTraces;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Large arrays, reused, that buffered arrivals are encoded into instead of an array each.
 *
 * <p><b>Why.</b> An arrival waits for its decision longer than the young generation lives (hundreds
 * of milliseconds under load, {@code decision_wait_after_root} at least). Held in an array of its
 * own, every young collection in between copies it, and then it is promoted, marked and collected
 * from the old generation: under the GenAI pipeline at half its maximum rate that was most of the
 * collector's GC work, the young pauses (5–9 ms, every 250 ms) and so the tail of the
 * acknowledgement latency (BENCHMARKS.md). Packed into slabs that live as long as the processor,
 * the bytes are written once and never copied by the collector: a slab is allocated once (under G1,
 * one region's worth, straight into the old generation), and reused when every arrival in it has
 * been decided.
 *
 * <p><b>Lifetimes.</b> An arrival takes a {@link Lease} on a region of the current slab; its
 * decision reads the bytes out ({@link Lease#copyOut}, {@link Lease#array}) and then {@link
 * Lease#release releases} it. A slab whose leases are all released goes back to the idle slabs, as
 * long as the arena holds no more slabs than its recent peak of slabs in use, and no more idle
 * slabs than its cap; beyond that, to the garbage collector. Why the peak: under a steady load the
 * slabs in use still swing (decisions come in rounds, a pause delays a few rounds), measured from 8
 * to 35 at a fixed 14,000 spans/s; an arena that dropped the slabs of each swing allocated one or
 * two new ones a second, and each allocation of a region-sized array while the old generation is
 * above G1's initiating occupancy starts a marking cycle. The peak decays by half of its excess
 * every {@link #PEAK_DECAY_NANOS}, so the memory of a burst is given back once it has passed. Why
 * the cap: idle slabs are heap that {@code memory_limiter} counts as used; kept up to the peak of a
 * flat-out burst they took the heap from the spans themselves (an {@code OutOfMemoryError} in the
 * load tool's warm-up), so the processor caps them at a sixteenth of the heap. Arrivals that wait
 * about as long share slabs (the processor keeps one arena for arrivals with their trace's root and
 * one for those without), so one arrival that waits long keeps at most a slab of others' bytes from
 * reuse, and only until its own decision. Nothing is lost if a lease is never released (a failure
 * between taking and holding it): its slab is simply not reused, and becomes garbage with the
 * lease.
 *
 * <p>Thread-safe; every method takes the arena's lock for a few field updates.
 */
final class SlabArena {

  /**
   * Room left for the array's header, so that a slab of a G1 region's size minus this fits in one
   * region (16 bytes with compressed class pointers, 24 without, rounded up generously).
   */
  static final int ARRAY_HEADER_ROOM = 64;

  /** Slab size when the region size is not known or too large to tie a slab to. */
  static final int DEFAULT_SLAB_BYTES = 1 << 20;

  private static final int MAX_REGION_SLAB = 4 << 20;

  /** Idle slabs kept in any case, for the churn of a light load. */
  static final int MIN_RETAINED_SLABS = 4;

  static final long PEAK_DECAY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int slabBytes;
  private final int maxLeaseBytes;
  private final ArrayDeque<Slab> idle = new ArrayDeque<>();
  private Slab current;
  private final int maxIdleSlabs;
  private final LongSupplier nanoClock;
  private int slabsInUse;
  private long slabsAllocated;

  /** Bytes of the leases not yet released. */
  private long leasedBytes;

  /** The most slabs in use lately (see the class comment), and when it last decayed. */
  private int peakInUse;

  private long peakDecayedAt;

  /**
   * @param slabBytes the size of each slab; leases of more than a quarter of it get arrays of their
   *     own ({@link #lease} answers null)
   * @param maxIdleSlabs the most empty slabs kept for reuse
   */
  SlabArena(int slabBytes, int maxIdleSlabs) {
    this(slabBytes, maxIdleSlabs, System::nanoTime);
  }

  SlabArena(int slabBytes, int maxIdleSlabs, LongSupplier nanoClock) {
    if (maxIdleSlabs < 0) {
      throw new IllegalArgumentException("maxIdleSlabs must not be negative; got " + maxIdleSlabs);
    }
    this.maxIdleSlabs = maxIdleSlabs;
    this.nanoClock = nanoClock;
    this.peakDecayedAt = nanoClock.getAsLong();
    if (slabBytes < 1024) {
      throw new IllegalArgumentException("slabBytes must be at least 1024; got " + slabBytes);
    }
    this.slabBytes = slabBytes;
    this.maxLeaseBytes = slabBytes / 4;
  }

  /**
   * The slab size for this JVM: under G1, one heap region minus {@link #ARRAY_HEADER_ROOM} (a
   * humongous object of exactly one region, allocated outside the young generation and never
   * copied), for regions of up to 4 MiB; otherwise {@link #DEFAULT_SLAB_BYTES}, which the young
   * generation copies once or twice before promoting it for good.
   */
  static int slabBytesForThisJvm() {
    if (VmOptions.get("UseG1GC").filter("true"::equals).isPresent()) {
      long region = VmOptions.get("G1HeapRegionSize").map(Long::parseLong).orElse(0L);
      if (region >= DEFAULT_SLAB_BYTES && region <= MAX_REGION_SLAB) {
        return (int) region - ARRAY_HEADER_ROOM;
      }
    }
    // Not G1, or not HotSpot: the default works everywhere.
    return DEFAULT_SLAB_BYTES;
  }

  /**
   * A region of {@code size} bytes in the current slab, or null when {@code size} is more than a
   * quarter of a slab (such an arrival is encoded into an array of its own: it would leave too much
   * of a slab unused).
   */
  synchronized Lease lease(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative; got " + size);
    }
    if (size > maxLeaseBytes) {
      return null;
    }
    decayPeak();
    Slab s = current;
    if (s == null || s.used > slabBytes - size) {
      if (s != null) {
        current = null;
        if (s.leases == 0) {
          retire(s);
        }
      }
      s = idle.pollFirst();
      if (s == null) {
        s = new Slab(new byte[slabBytes]);
        slabsAllocated++;
      }
      slabsInUse++;
      peakInUse = Math.max(peakInUse, slabsInUse);
      current = s;
    }
    Lease lease = new Lease(this, s, s.used, size);
    s.used += size;
    s.leases++;
    leasedBytes += size;
    return lease;
  }

  private synchronized void release(Lease lease) {
    leasedBytes -= lease.length;
    Slab s = lease.slab;
    if (--s.leases == 0) {
      if (s == current) {
        s.used = 0;
      } else {
        retire(s);
      }
    }
  }

  /** A slab with no leases left that is not the current one: kept idle, or dropped. */
  private void retire(Slab s) {
    slabsInUse--;
    s.used = 0;
    decayPeak();
    int keep = Math.min(maxIdleSlabs, Math.max(peakInUse, MIN_RETAINED_SLABS) - slabsInUse);
    if (idle.size() < keep) {
      idle.addFirst(s);
    }
    while (idle.size() > Math.max(0, keep)) {
      idle.pollLast();
    }
  }

  /** Halves the peak's excess over the slabs in use, once per {@link #PEAK_DECAY_NANOS}. */
  private void decayPeak() {
    long now = nanoClock.getAsLong();
    if (now - peakDecayedAt >= PEAK_DECAY_NANOS) {
      peakDecayedAt = now;
      peakInUse = Math.max(slabsInUse, (peakInUse + slabsInUse) / 2);
    }
  }

  /** The heap the arena's slabs take: those in use and the idle ones. */
  synchronized long heldBytes() {
    return (long) (slabsInUse + idle.size()) * slabBytes;
  }

  /** What the slabs take beyond the bytes leased: unused tails, released regions, idle slabs. */
  synchronized long unusedBytes() {
    return heldBytes() - leasedBytes;
  }

  // Visible for testing
  synchronized int slabsInUse() {
    return slabsInUse;
  }

  // Visible for testing
  synchronized int idleSlabs() {
    return idle.size();
  }

  // Visible for testing
  synchronized long slabsAllocated() {
    return slabsAllocated;
  }

  private static final class Slab {
    final byte[] bytes;

    /** Bytes leased from the start of {@link #bytes}. */
    int used;

    /** Leases not yet released. */
    int leases;

    Slab(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  /**
   * One arrival's region of a slab: where it is encoded ({@link
   * io.tollgate.core.model.TraceBatch#encodeInto}), read from while it waits, and given back once
   * read. Owned by one thread at a time (handed on under the shard's lock).
   */
  static final class Lease implements ByteRegion {
    private final SlabArena arena;
    private final Slab slab;
    private final int offset;
    private final int length;
    private EncodedTraces encoded;
    private boolean released;

    private Lease(SlabArena arena, Slab slab, int offset, int length) {
      this.arena = arena;
      this.slab = slab;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public byte[] array() {
      checkNotReleased();
      return slab.bytes;
    }

    @Override
    public int offset() {
      return offset;
    }

    int length() {
      return length;
    }

    /** Records what was encoded into this region. */
    void encoded(EncodedTraces e) {
      if (e.size() != length) {
        throw new IllegalArgumentException(
            "leased " + length + " bytes but " + e.size() + " were encoded");
      }
      this.encoded = e;
    }

    EncodedTraces encoded() {
      checkNotReleased();
      return encoded;
    }

    /** How many spans were encoded into the region; also after release (it reads no slab). */
    int spanCount() {
      return encoded.spanCount();
    }

    /** The encoded arrival in an array of its own, to send on after the lease is released. */
    EncodedTraces copyOut() {
      checkNotReleased();
      return EncodedTraces.ofStored(
          Arrays.copyOfRange(slab.bytes, offset, offset + length), encoded.spanCount());
    }

    /**
     * Gives the region back; its bytes may be overwritten from now on.
     *
     * @throws IllegalStateException when already released (a second release would free the region
     *     under another arrival)
     */
    void release() {
      checkNotReleased();
      released = true;
      arena.release(this);
    }

    boolean released() {
      return released;
    }

    private void checkNotReleased() {
      if (released) {
        throw new IllegalStateException("the lease was released; its bytes may be another's");
      }
    }
  }
}
