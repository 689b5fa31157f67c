package io.tollgate.processor.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.model.EncodedTraces;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.RandomTraces;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Leases of slab regions: where they go, when slabs are reused, what a release protects. */
class SlabArenaTest {

  /** Leases of up to a quarter of it: 4,000 bytes. */
  private static final int SLAB = 16_000;

  @Test
  void leasesFollowEachOtherInASlabAndANewSlabStartsWhenOneIsFull() {
    SlabArena arena = new SlabArena(SLAB, 100);

    SlabArena.Lease a = arena.lease(4000);
    SlabArena.Lease b = arena.lease(4000);
    SlabArena.Lease c = arena.lease(4000);
    SlabArena.Lease d = arena.lease(4000);
    SlabArena.Lease e = arena.lease(4000);

    assertThat(a.array()).isSameAs(b.array()).isSameAs(c.array()).isSameAs(d.array());
    assertThat(List.of(a.offset(), b.offset(), c.offset(), d.offset()))
        .containsExactly(0, 4000, 8000, 12000);
    assertThat(e.array()).isNotSameAs(a.array());
    assertThat(e.offset()).isZero();
    assertThat(arena.slabsInUse()).isEqualTo(2);
    assertThat(arena.heldBytes()).isEqualTo(2L * SLAB);
  }

  @Test
  void aSlabIsReusedOnlyOnceEveryLeaseInItIsReleased() {
    SlabArena arena = new SlabArena(SLAB, 100);
    List<SlabArena.Lease> firstFour = leases(arena, 4); // the first slab, full
    byte[] first = firstFour.get(0).array();
    List<SlabArena.Lease> second = leases(arena, 4);
    assertThat(second.get(0).array()).isNotSameAs(first);

    firstFour.get(0).release(); // three leases still hold the first slab
    SlabArena.Lease third = arena.lease(4000);
    assertThat(third.array()).isNotSameAs(first).isNotSameAs(second.get(0).array());
    assertThat(arena.slabsAllocated()).isEqualTo(3);

    firstFour.subList(1, 4).forEach(SlabArena.Lease::release); // empty, and not current: idle
    assertThat(arena.idleSlabs()).isEqualTo(1);
    List<SlabArena.Lease> rest = leases(arena, 3); // fills the third slab
    SlabArena.Lease reused = arena.lease(4000); // the first slab again, from its start

    assertThat(reused.array()).isSameAs(first);
    assertThat(reused.offset()).isZero();
    assertThat(arena.slabsAllocated()).isEqualTo(3);
    second.forEach(SlabArena.Lease::release);
    rest.forEach(SlabArena.Lease::release);
    third.release();
    reused.release();
    assertThat(arena.slabsInUse()).isEqualTo(1); // the current one stays
  }

  private static List<SlabArena.Lease> leases(SlabArena arena, int n) {
    List<SlabArena.Lease> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(arena.lease(4000));
    }
    return out;
  }

  @Test
  void theCurrentSlabStartsOverWhenItsLeasesAreAllReleased() {
    SlabArena arena = new SlabArena(SLAB, 100);
    SlabArena.Lease a = arena.lease(4000);
    a.release();

    SlabArena.Lease b = arena.lease(4000);

    assertThat(b.offset()).isZero();
    assertThat(arena.slabsAllocated()).isEqualTo(1);
  }

  @Test
  void aLargeLeaseIsRefusedSoItGetsAnArrayOfItsOwn() {
    SlabArena arena = new SlabArena(SLAB, 100);

    assertThat(arena.lease(SLAB / 4 + 1)).isNull();
    assertThat(arena.lease(SLAB / 4)).isNotNull();
    assertThatThrownBy(() -> arena.lease(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReleasedLeaseCanNeitherBeReadNorReleasedAgain() {
    SlabArena arena = new SlabArena(SLAB, 100);
    SlabArena.Lease a = arena.lease(100);
    a.release();

    assertThatThrownBy(a::release).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(a::array).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(a::copyOut).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(a::encoded).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void slabsOfASwingingLoadAreReusedNotAllocatedAgain() {
    SlabArena arena = new SlabArena(SLAB, 100, () -> 0L);
    List<SlabArena.Lease> held = new ArrayList<>();
    for (int swing = 0; swing < 20; swing++) {
      while (held.size() < 120) { // 30 slabs
        held.add(arena.lease(4000));
      }
      while (held.size() > 20) { // back down to 5, oldest first as decisions go
        held.remove(0).release();
      }
    }

    assertThat(arena.slabsAllocated()).isEqualTo(30);
  }

  @Test
  void aBurstsSlabsAreGivenBackAsItsPeakDecays() {
    long[] now = {0};
    SlabArena arena = new SlabArena(SLAB, 100, () -> now[0]);
    List<SlabArena.Lease> burst = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      burst.add(arena.lease(4000)); // four to a slab: 25 slabs
    }
    burst.forEach(SlabArena.Lease::release);
    assertThat(arena.slabsInUse()).isEqualTo(1);
    assertThat(arena.idleSlabs()).isEqualTo(24); // the peak is recent: kept

    // A light load afterwards, for a minute: one slab's worth in use at a time.
    for (int second = 0; second < 60; second++) {
      now[0] += TimeUnit.SECONDS.toNanos(1);
      List<SlabArena.Lease> light = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        light.add(arena.lease(4000));
      }
      light.forEach(SlabArena.Lease::release);
    }

    assertThat(arena.slabsInUse() + arena.idleSlabs())
        .isLessThanOrEqualTo(SlabArena.MIN_RETAINED_SLABS + 2);
    assertThat(arena.heldBytes()).isLessThanOrEqualTo((SlabArena.MIN_RETAINED_SLABS + 2L) * SLAB);
    assertThat(arena.slabsAllocated()).isEqualTo(25);
  }

  @Test
  void idleSlabsNeverExceedTheCapWhateverThePeak() {
    SlabArena arena = new SlabArena(SLAB, 3, () -> 0L);
    List<SlabArena.Lease> burst = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      burst.add(arena.lease(4000)); // 25 slabs
    }

    burst.forEach(SlabArena.Lease::release);

    assertThat(arena.slabsInUse()).isEqualTo(1);
    assertThat(arena.idleSlabs()).isEqualTo(3);
    assertThat(arena.heldBytes()).isEqualTo(4L * SLAB);
  }

  /**
   * Many arrivals encoded, held in a random order of release, each read back when released: no
   * arrival ever sees another's bytes, whatever the reuse.
   */
  @Test
  void encodedArrivalsReadBackIntactThroughReuse() {
    SlabArena arena = new SlabArena(64 * 1024, 100);
    RandomTraces traces = new RandomTraces(17, true);
    Random random = new Random(5);
    List<SlabArena.Lease> held = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      ExportTraceServiceRequest r = traces.request(1 + i % 2, 1 + i % 3);
      TraceBatch batch = TraceBatch.of(r);
      SlabArena.Lease[] lease = new SlabArena.Lease[1];
      EncodedTraces e = batch.encodeInto(size -> lease[0] = arena.lease(size));
      if (lease[0] == null) {
        continue;
      }
      lease[0].encoded(e);
      held.add(lease[0]);
      expected.add(batch.encode().bytes());
      while (held.size() > 40 || (!held.isEmpty() && random.nextInt(3) == 0)) {
        int k = random.nextInt(held.size());
        SlabArena.Lease l = held.remove(k);
        byte[] want = expected.remove(k);
        EncodedTraces out = l.copyOut();
        l.release();
        // Byte for byte what the arrival encoded to on its own: no other arrival's bytes.
        assertThat(out.bytes()).isEqualTo(want);
      }
    }
    assertThat(arena.slabsAllocated()).isLessThan(30);
  }

  @Test
  void theSlabOfThisJvmFitsOneG1RegionOrIsTheDefault() {
    int bytes = SlabArena.slabBytesForThisJvm();

    assertThat(bytes)
        .satisfiesAnyOf(
            b -> assertThat(b).isEqualTo(SlabArena.DEFAULT_SLAB_BYTES),
            b ->
                assertThat(Integer.bitCount(b + SlabArena.ARRAY_HEADER_ROOM))
                    .as("a power of two region minus the header room")
                    .isEqualTo(1));
  }
}
