package io.tollgate.processor.memorylimiter;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heap usage measured <em>after the last garbage collection</em>, from the JVM's GC notifications.
 *
 * <p>Why not the heap's current "used" bytes: on the JVM that number includes every dead object
 * since the last collection. With G1 or Parallel it climbs towards the young generation's size
 * between collections as a matter of course, so a limiter on it would refuse data during normal
 * operation, or, with limits set high to avoid that, react too late. What a collection leaves
 * behind is the live data (plus not yet reclaimed old garbage): that is what buffered spans and
 * queues add to and what runs out. Collections are frequent exactly when memory is tight, so the
 * reading is freshest when it matters; between two collections it lags by at most one cycle, which
 * the spike limit covers. Before the first collection, current usage is used (it is small).
 */
final class JvmHeapUsage implements MemoryUsage {

  private static final Logger log = LoggerFactory.getLogger(JvmHeapUsage.class);

  private final Set<String> heapPools = new HashSet<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onNotification;
  private volatile long afterGcBytes = -1;
  private volatile long collections;

  JvmHeapUsage() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    try {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter) {
          NotificationEmitter emitter = (NotificationEmitter) gc;
          emitter.addNotificationListener(listener, null, null);
          emitters.add(emitter);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // A JVM without the com.sun.management GC notifications: fall back to current usage.
      log.warn(
          "memory_limiter: no GC notifications ({}); judging by current heap usage", e.toString());
    }
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    afterGcBytes = used;
    collections++;
  }

  @Override
  public long usedBytes() {
    long after = afterGcBytes;
    return after >= 0 ? after : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Override
  public long maxBytes() {
    return Runtime.getRuntime().maxMemory();
  }

  /** Collections seen so far (for tests). */
  long collections() {
    return collections;
  }

  /** Whether the reading is from a collection rather than current usage (for tests). */
  boolean hasAfterGcReading() {
    return afterGcBytes >= 0;
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // Already gone.
      }
    }
    emitters.clear();
  }
}
