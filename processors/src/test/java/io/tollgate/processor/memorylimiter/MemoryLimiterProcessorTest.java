package io.tollgate.processor.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MemoryLimiterProcessorTest {

  private static final long MIB = 1024 * 1024;

  private final RecordingConsumer out = new RecordingConsumer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong used = new AtomicLong(100 * MIB);
  private final AtomicLong clock = new AtomicLong();
  private final AtomicInteger gcs = new AtomicInteger();

  /** What a collection would free: it brings usage down to this. */
  private final AtomicLong afterGc = new AtomicLong(-1);

  private final MemoryUsage usage =
      new MemoryUsage() {
        @Override
        public long usedBytes() {
          return used.get();
        }

        @Override
        public long maxBytes() {
          return 1000 * MIB;
        }
      };

  /** What the loader reports for a memory_limiter section, with paths relative to it. */
  private static List<String> problems(String yaml) {
    return ComponentConfigs.problems(ComponentKind.PROCESSOR, "memory_limiter", yaml);
  }

  private MemoryLimiterProcessor processor(String yaml) {
    MemoryLimiterConfig config =
        ComponentConfigs.bindValid(ComponentKind.PROCESSOR, "memory_limiter", yaml);
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("memory_limiter"))
            .pipeline("traces")
            .meterRegistry(registry)
            .build();
    return new MemoryLimiterProcessor(config, ctx, out, usage, clock::get, collections, marking);
  }

  /** The G1 settings the limiter is told the JVM runs with. */
  private G1Marking marking = new G1Marking(false, false, 0);

  private final ForcedCollections collections =
      new ForcedCollections(
          () -> {
            gcs.incrementAndGet();
            if (afterGc.get() >= 0) {
              used.set(afterGc.get());
            }
          });

  private static TraceBatch batch(int n) {
    var spans = new io.opentelemetry.proto.trace.v1.Span.Builder[n];
    for (int i = 0; i < n; i++) {
      spans[i] = Spans.span("s" + i, Map.of());
    }
    return Spans.batch(spans);
  }

  private double count(String name) {
    return registry.find(name).counter().count();
  }

  @Test
  void passesEncodedBatchesOnWithoutDecodingThem() {
    MemoryLimiterProcessor p = processor("limit_mib: 500\nspike_limit_mib: 100");
    p.check();
    TraceBatch encoded =
        TraceBatch.ofWire(io.tollgate.core.model.WireScan.of(batch(3).toRequest().toByteArray()));
    assertThat(p.consume(encoded).toCompletableFuture()).isCompleted();
    assertThat(out.batches()).singleElement().isSameAs(encoded);
    assertThat(encoded.isDecoded()).isFalse();
    assertThat(count("otelcol_processor_accepted_spans")).isEqualTo(3);
  }

  @Test
  void refusesRetryablyAboveTheSoftLimitAndRecovers() {
    // Hard 500 MiB, spike 100 MiB: soft limit 400 MiB.
    MemoryLimiterProcessor p = processor("limit_mib: 500\nspike_limit_mib: 100");
    p.check();
    assertThat(p.consume(batch(3)).toCompletableFuture()).isCompleted();
    assertThat(out.spanCount()).isEqualTo(3);

    used.set(420 * MIB);
    p.check();
    assertThat(p.state()).isEqualTo(MemoryLimiterProcessor.State.SOFT);
    CompletableFuture<Void> refused = p.consume(batch(2)).toCompletableFuture();
    assertThatThrownBy(refused::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> {
              // 429 / RESOURCE_EXHAUSTED with a retry hint, not the collector's bare 503.
              assertThat(e.reason()).isEqualTo(RefusedException.Reason.THROTTLED);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
              assertThat(e.getMessage()).contains("420 MiB").contains("soft limit 400 MiB");
            });
    assertThat(out.spanCount()).isEqualTo(3);
    assertThat(count(MemoryLimiterProcessor.REFUSED)).isEqualTo(2);
    assertThat(count(MemoryLimiterProcessor.ACCEPTED)).isEqualTo(3);

    used.set(300 * MIB);
    p.check();
    assertThat(p.consume(batch(1)).toCompletableFuture()).isCompleted();
    assertThat(out.spanCount()).isEqualTo(4);
  }

  @Test
  void aboveTheHardLimitCollectsAtMostOncePerInterval() {
    MemoryLimiterProcessor p =
        processor("check_interval: 1s\nlimit_mib: 500\nspike_limit_mib: 100");
    used.set(600 * MIB);
    p.check();
    assertThat(gcs).hasValue(1);
    assertThat(p.state()).isEqualTo(MemoryLimiterProcessor.State.HARD);
    clock.addAndGet(Duration.ofMillis(500).toNanos());
    p.check();
    assertThat(gcs).hasValue(1);
    clock.addAndGet(Duration.ofMillis(500).toNanos());
    p.check();
    assertThat(gcs).hasValue(2);
    assertThat(count(MemoryLimiterProcessor.FORCED_GC)).isEqualTo(2);

    // A collection that frees enough ends the refusal in the same check.
    afterGc.set(200 * MIB);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    p.check();
    assertThat(p.state()).isEqualTo(MemoryLimiterProcessor.State.NORMAL);
    assertThat(registry.find(MemoryLimiterProcessor.HEAP_USED).gauge().value())
        .isEqualTo(200.0 * MIB);
  }

  @Test
  void limitersOfSeveralPipelinesShareOneCollectionPerInterval() {
    // One heap: two pipelines' limiters over the hard limit ask for one full collection, not two.
    MemoryLimiterProcessor a =
        processor("check_interval: 1s\nlimit_mib: 500\nspike_limit_mib: 100");
    MemoryLimiterProcessor b =
        processor("check_interval: 1s\nlimit_mib: 500\nspike_limit_mib: 100");
    used.set(600 * MIB);
    a.check();
    b.check();
    assertThat(gcs).hasValue(1);
    assertThat(a.state()).isEqualTo(MemoryLimiterProcessor.State.HARD);
    assertThat(b.state()).isEqualTo(MemoryLimiterProcessor.State.HARD);

    // The next interval's collection frees enough: the limiter that did not collect sees it too.
    afterGc.set(200 * MIB);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    a.check();
    b.check();
    assertThat(gcs).hasValue(2);
    assertThat(a.state()).isEqualTo(MemoryLimiterProcessor.State.NORMAL);
    assertThat(b.state()).isEqualTo(MemoryLimiterProcessor.State.NORMAL);
  }

  @Test
  void theLinesThatSayItRefusesAndRecoversNameThePipeline() {
    List<ILoggingEvent> logs =
        logsDuring(
            () -> {
              MemoryLimiterProcessor p = processor("limit_mib: 500\nspike_limit_mib: 100");
              used.set(420 * MIB);
              p.check();
              used.set(100 * MIB);
              p.check();
            });

    // Every pipeline that lists the limiter refuses on its own: two pipelines, two lines, and
    // each must say which it is.
    assertThat(logs)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .startsWith("memory_limiter memory_limiter in pipeline traces: heap use 420 MiB");
    assertThat(logs)
        .filteredOn(e -> e.getFormattedMessage().contains("below the soft limit again"))
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .startsWith("memory_limiter memory_limiter in pipeline traces: heap use 100 MiB");
  }

  /** What the limiter logged while {@code action} ran. */
  private static List<ILoggingEvent> logsDuring(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger(MemoryLimiterProcessor.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      action.run();
    } finally {
      logger.detachAppender(logs);
    }
    return logs.list;
  }

  @Test
  void betweenSoftAndHardCollectsOnlyEveryTenIntervals() {
    MemoryLimiterProcessor p = processor("limit_mib: 500\nspike_limit_mib: 100");
    used.set(450 * MIB);
    p.check();
    assertThat(gcs).hasValue(1);
    for (int i = 0; i < 9; i++) {
      clock.addAndGet(Duration.ofSeconds(1).toNanos());
      p.check();
    }
    assertThat(gcs).hasValue(1);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    p.check();
    assertThat(gcs).hasValue(2);
  }

  @Test
  void percentagesAreOfTheMaximumHeap() {
    MemoryLimiterConfig c =
        ComponentConfigs.bindValid(
            ComponentKind.PROCESSOR,
            "memory_limiter",
            "limit_percentage: 80\nspike_limit_percentage: 15");
    MemoryLimiterConfig.Limits l = c.resolve(1000 * MIB);
    assertThat(l.hardBytes()).isEqualTo(800 * MIB);
    assertThat(l.softBytes()).isEqualTo(650 * MIB);
    // Without a spike limit: 20% of the hard limit, as the collector.
    MemoryLimiterConfig noSpike = new MemoryLimiterConfig(Duration.ofSeconds(1), 500, 0, 0, 0);
    assertThat(noSpike.resolve(1000 * MIB).softBytes()).isEqualTo(400 * MIB);
  }

  @Test
  void limitsThatCannotWorkWithThisHeapFailTheStart() {
    MemoryLimiterProcessor p = processor("limit_mib: 2000");
    assertThatThrownBy(p::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("limit_mib 2000 is above the JVM's maximum heap of 1000 MiB");
    assertThatThrownBy(
            () ->
                new MemoryLimiterConfig(Duration.ofSeconds(1), 0, 0, 80, 0).resolve(Long.MAX_VALUE))
        .hasMessageContaining("no maximum heap");
  }

  @Test
  void startChecksOnTheScheduler() {
    MemoryLimiterProcessor p = processor("check_interval: 20ms\nlimit_mib: 500");
    p.start();
    try {
      used.set(450 * MIB);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> p.state() == MemoryLimiterProcessor.State.SOFT);
    } finally {
      p.shutdown(Instant.now());
    }
  }

  @Test
  void validationSaysWhatToSet() {
    // An empty memory_limiter section: the user must choose a limit.
    assertThat(problems(""))
        .containsExactly(
            "set limit_mib (the heap limit in MiB) or limit_percentage (in percent of the maximum"
                + " heap, e.g. 80)");
    assertThat(problems("{limit_mib: 500, limit_percentage: 80}"))
        .containsExactly("set either limit_mib or limit_percentage, not both");
    assertThat(problems("{limit_mib: 500, spike_limit_mib: 500}"))
        .singleElement()
        .asString()
        .startsWith("spike_limit_mib: must be less than limit_mib (500)");
    assertThat(problems("{limit_mib: 500, spike_limit_percentage: 10}"))
        .singleElement()
        .asString()
        .startsWith("spike_limit_percentage: goes with limit_percentage");
    assertThat(problems("{check_interval: 0s, limit_percentage: 120, spike_limit_percentage: 20}"))
        .anySatisfy(i -> assertThat(i).startsWith("check_interval: must be a positive duration"))
        .anySatisfy(i -> assertThat(i).startsWith("limit_percentage: must be between 1 and 100"));
    assertThat(problems("{limit_percentage: 80, spike_limit_percentage: 90}"))
        .singleElement()
        .asString()
        .startsWith("spike_limit_percentage: must be less than limit_percentage (80)");
  }

  @Test
  void warnsAtStartWhenG1WouldMarkTheOldGenerationTooLateForTheSoftLimit() {
    // Soft limit at 60% of the heap (hard 80%, spike 20%).
    String yaml = "limit_percentage: 80\nspike_limit_percentage: 20";
    List<ILoggingEvent> logs =
        logsDuring(
            () -> {
              // Adaptive; fixed but late; fixed early enough; not G1. Only the first two are told.
              for (G1Marking m :
                  List.of(
                      new G1Marking(true, true, 45),
                      new G1Marking(true, false, 55),
                      new G1Marking(true, false, 30),
                      new G1Marking(false, false, 0))) {
                marking = m;
                MemoryLimiterProcessor p = processor(yaml);
                p.start();
                p.shutdown(Instant.now());
              }
            });

    List<String> warnings =
        logs.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0))
        .startsWith("memory_limiter: G1 starts reclaiming garbage in the old generation at an")
        .contains("soft limit (60% of the heap)")
        .endsWith(
            "Start the JVM with -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=30"
                + " so that G1 cleans up first.");
    assertThat(warnings.get(1))
        .contains("at 55% of the heap (-XX:InitiatingHeapOccupancyPercent)")
        .contains("-XX:InitiatingHeapOccupancyPercent=30");
  }

  @Test
  void advisedMarkingStartsWellBelowTheSoftLimit() {
    assertThat(G1Marking.advisedIhop(60)).isEqualTo(30);
    assertThat(G1Marking.advisedIhop(70)).isEqualTo(40);
    assertThat(G1Marking.advisedIhop(25)).isEqualTo(G1Marking.LOWEST_ADVISED_PERCENT);
    // At most half the margin late is tolerated: 45% for a soft limit at 60%.
    assertThat(new G1Marking(true, false, 45).advice(60)).isEmpty();
    assertThat(new G1Marking(true, false, 46).advice(60)).isPresent();
    assertThat(new G1Marking(false, true, 45).advice(60)).isEmpty();
  }

  @Test
  void readsThisJvmsCollector() {
    boolean g1 =
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
            .anyMatch(gc -> gc.getName().startsWith("G1 "));
    G1Marking here = G1Marking.ofThisJvm();
    assertThat(here.g1()).isEqualTo(g1);
    if (g1) {
      assertThat(here.ihopPercent()).isBetween(0, 100);
    }
  }

  @Test
  void jvmHeapUsageReadsAfterCollection() {
    JvmHeapUsage heap = new JvmHeapUsage();
    try {
      assertThat(heap.usedBytes()).isPositive().isLessThanOrEqualTo(heap.maxBytes());
      long before = heap.collections();
      System.gc();
      await().atMost(Duration.ofSeconds(5)).until(() -> heap.collections() > before);
      assertThat(heap.hasAfterGcReading()).isTrue();
      assertThat(heap.usedBytes()).isPositive().isLessThanOrEqualTo(heap.maxBytes());
    } finally {
      heap.close();
    }
  }
}
