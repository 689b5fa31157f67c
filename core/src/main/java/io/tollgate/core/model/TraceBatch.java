package io.tollgate.core.model;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The unit of data that flows through a pipeline: spans grouped by resource and scope, as OTLP
 * groups them.
 *
 * <p>Ownership: a {@link io.tollgate.core.component.TracesConsumer} owns the batch it is given and
 * may change it in place; whoever hands one batch to several consumers that change data gives
 * each its own {@link #copy()}. This facade is deliberately narrow (spans, attributes, events,
 * status) so that the protobuf builders underneath can later be replaced by a lazy wire-level
 * representation without touching processors.
 */
public final class TraceBatch {

  private final List<ResourceSpans.Builder> resourceSpans;

  private TraceBatch(List<ResourceSpans.Builder> resourceSpans) {
    this.resourceSpans = resourceSpans;
  }

  public static TraceBatch empty() {
    return new TraceBatch(new ArrayList<>());
  }

  public static TraceBatch of(ExportTraceServiceRequest request) {
    return ofResourceSpans(request.getResourceSpansList());
  }

  public static TraceBatch ofResourceSpans(List<ResourceSpans> list) {
    List<ResourceSpans.Builder> builders = new ArrayList<>(list.size());
    for (ResourceSpans rs : list) {
      builders.add(rs.toBuilder());
    }
    return new TraceBatch(builders);
  }

  /** An immutable snapshot, ready to send. */
  public ExportTraceServiceRequest toRequest() {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans.Builder rs : resourceSpans) {
      request.addResourceSpans(rs.build());
    }
    return request.build();
  }

  public int spanCount() {
    int n = 0;
    for (ResourceSpans.Builder rs : resourceSpans) {
      for (int i = 0; i < rs.getScopeSpansCount(); i++) {
        n += rs.getScopeSpans(i).getSpansCount();
      }
    }
    return n;
  }

  public boolean isEmpty() {
    return spanCount() == 0;
  }

  /** The size of this batch on the wire, in bytes (computes the protobuf encoding size). */
  public long serializedSize() {
    long n = 0;
    for (ResourceSpans.Builder rs : resourceSpans) {
      // 1 tag byte plus the length prefix plus the message, as in the enclosing request.
      int size = rs.build().getSerializedSize();
      n += 1 + com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }
    return n;
  }

  /** Visits every span. The visitor may change the span but not add or remove spans. */
  public void forEachSpan(Consumer<SpanRecord> visitor) {
    for (ResourceSpans.Builder rs : resourceSpans) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          visitor.accept(new SpanRecord(rs, ss.getScope(), span));
        }
      }
    }
  }

  /** The spans as a list of views (for processors that need several passes). */
  public List<SpanRecord> spans() {
    List<SpanRecord> out = new ArrayList<>();
    forEachSpan(out::add);
    return out;
  }

  /**
   * Removes the spans that match, and any scope or resource left without spans.
   *
   * @return how many spans were removed
   */
  public int removeSpans(Predicate<SpanRecord> predicate) {
    int removed = 0;
    for (int r = resourceSpans.size() - 1; r >= 0; r--) {
      ResourceSpans.Builder rs = resourceSpans.get(r);
      for (int s = rs.getScopeSpansCount() - 1; s >= 0; s--) {
        ScopeSpans.Builder ss = rs.getScopeSpansBuilder(s);
        for (int i = ss.getSpansCount() - 1; i >= 0; i--) {
          if (predicate.test(new SpanRecord(rs, ss.getScope(), ss.getSpansBuilder(i)))) {
            ss.removeSpans(i);
            removed++;
          }
        }
        if (ss.getSpansCount() == 0) {
          rs.removeScopeSpans(s);
        }
      }
      if (rs.getScopeSpansCount() == 0) {
        resourceSpans.remove(r);
      }
    }
    return removed;
  }

  /** Moves every span of {@code other} into this batch; {@code other} must not be used after. */
  public void addAll(TraceBatch other) {
    resourceSpans.addAll(other.resourceSpans);
  }

  /** A deep copy that shares nothing mutable with this batch. */
  public TraceBatch copy() {
    List<ResourceSpans.Builder> copy = new ArrayList<>(resourceSpans.size());
    for (ResourceSpans.Builder rs : resourceSpans) {
      copy.add(rs.build().toBuilder());
    }
    return new TraceBatch(copy);
  }

  /**
   * Splits this batch by trace id, keeping each span's resource and scope. The map iterates in
   * the order the traces first appear. This batch is left unchanged.
   */
  public Map<ByteString, TraceBatch> groupByTrace() {
    Map<ByteString, TraceBatch> out = new LinkedHashMap<>();
    // Per trace: the resource and scope builders already created, keyed by the source builders.
    Map<ByteString, Map<Object, Object>> made = new LinkedHashMap<>();
    for (ResourceSpans.Builder rs : resourceSpans) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          ByteString traceId = span.getTraceId();
          TraceBatch batch = out.computeIfAbsent(traceId, k -> empty());
          Map<Object, Object> seen = made.computeIfAbsent(traceId, k -> new IdentityHashMap<>());
          ResourceSpans.Builder targetRs =
              (ResourceSpans.Builder)
                  seen.computeIfAbsent(
                      rs,
                      k -> {
                        ResourceSpans.Builder b =
                            ResourceSpans.newBuilder()
                                .setResource(rs.getResource())
                                .setSchemaUrl(rs.getSchemaUrl());
                        batch.resourceSpans.add(b);
                        return b;
                      });
          ScopeSpans.Builder targetSs =
              (ScopeSpans.Builder)
                  seen.computeIfAbsent(
                      ss,
                      k ->
                          targetRs.addScopeSpansBuilder()
                              .setScope(ss.getScope())
                              .setSchemaUrl(ss.getSchemaUrl()));
          targetSs.addSpans(span.build());
        }
      }
    }
    return out;
  }

  /**
   * Splits this batch into batches of at most {@code maxSpans} spans each, in order. Used by the
   * batch processor to honour {@code send_batch_max_size}.
   */
  public List<TraceBatch> split(int maxSpans) {
    if (maxSpans <= 0) {
      throw new IllegalArgumentException("maxSpans must be positive");
    }
    List<TraceBatch> out = new ArrayList<>();
    TraceBatch current = empty();
    int inCurrent = 0;
    for (ResourceSpans.Builder rs : resourceSpans) {
      ResourceSpans.Builder targetRs = null;
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        ScopeSpans.Builder targetSs = null;
        for (Span.Builder span : ss.getSpansBuilderList()) {
          if (inCurrent == maxSpans) {
            out.add(current);
            current = empty();
            inCurrent = 0;
            targetRs = null;
            targetSs = null;
          }
          if (targetRs == null) {
            targetRs =
                ResourceSpans.newBuilder()
                    .setResource(rs.getResource())
                    .setSchemaUrl(rs.getSchemaUrl());
            current.resourceSpans.add(targetRs);
          }
          if (targetSs == null) {
            targetSs =
                targetRs.addScopeSpansBuilder().setScope(ss.getScope()).setSchemaUrl(ss.getSchemaUrl());
          }
          targetSs.addSpans(span.build());
          inCurrent++;
        }
        targetSs = null;
      }
    }
    if (inCurrent > 0) {
      out.add(current);
    }
    return out;
  }

  /**
   * The builders underneath. For codecs and tests in this project only: processors use
   * {@link #forEachSpan} so that the representation can change.
   */
  public List<ResourceSpans.Builder> resourceSpansBuilders() {
    return resourceSpans;
  }

  @Override
  public String toString() {
    return "TraceBatch{spans=" + spanCount() + ", resources=" + resourceSpans.size() + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceBatch && toRequest().equals(((TraceBatch) o).toRequest());
  }

  @Override
  public int hashCode() {
    return Objects.hash(toRequest());
  }
}
