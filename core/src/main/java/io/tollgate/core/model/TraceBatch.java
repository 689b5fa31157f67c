package io.tollgate.core.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
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
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * The unit of data that flows through a pipeline: spans grouped by resource and scope, as OTLP
 * groups them.
 *
 * <p>Ownership: a {@link io.tollgate.core.component.TracesConsumer} owns the batch it is given and
 * may change it in place; whoever hands one batch to several consumers that change data gives each
 * its own {@link #copy()}. This facade is deliberately narrow (spans, attributes, events, status)
 * so that processors do not depend on the representation underneath.
 *
 * <p><b>Lazy decoding.</b> A batch is a list of parts, one per {@code ResourceSpans}, in order. A
 * part is either still encoded (a validated byte range of a received request, see {@link #ofWire})
 * or a protobuf builder. {@link #spanCount()}, {@link #isEmpty()}, {@link #serializedSize()},
 * {@link #addAll}, {@link #copy()}, {@link #split} and {@link #encode()} work on encoded parts
 * without decoding them, so a pipeline whose processors do not read spans (batch, memory_limiter)
 * forwards the bytes it received without ever building a protobuf object. Every other method
 * decodes all encoded parts first, once, keeping their order; from then on the batch is builders,
 * as if it had been made with {@link #of}.
 *
 * <p>Not thread-safe, except that {@link #encode()}, {@link #spanCount()} and {@link
 * #serializedSize()} only read encoded parts, so read-only consumers handed the same batch by a
 * fan-out may call them at once.
 */
public final class TraceBatch {

  /** {@code ExportTraceServiceRequest.resource_spans}: field 1, length-delimited. */
  private static final byte RESOURCE_SPANS_TAG = 10;

  /** Each element is a {@link WirePart} or a {@link ResourceSpans.Builder}. */
  private final ArrayList<Object> parts;

  /** How many of {@link #parts} are still encoded. */
  private int wireParts;

  private TraceBatch(ArrayList<Object> parts, int wireParts) {
    this.parts = parts;
    this.wireParts = wireParts;
  }

  public static TraceBatch empty() {
    return new TraceBatch(new ArrayList<>(), 0);
  }

  public static TraceBatch of(ExportTraceServiceRequest request) {
    return ofResourceSpans(request.getResourceSpansList());
  }

  public static TraceBatch ofResourceSpans(List<ResourceSpans> list) {
    ArrayList<Object> builders = new ArrayList<>(list.size());
    for (ResourceSpans rs : list) {
      builders.add(rs.toBuilder());
    }
    return new TraceBatch(builders, 0);
  }

  /**
   * A batch over the bytes of a scanned request, without decoding them: each top-level {@code
   * ResourceSpans} becomes an encoded part that shares the scanned array (which must not change
   * afterwards). Fields of the request other than {@code resource_spans} are dropped, as {@link
   * #of} drops them.
   *
   * @throws IllegalArgumentException when the scan found the request malformed
   */
  public static TraceBatch ofWire(WireScan scan) {
    if (scan.verdict() == WireScan.Verdict.MALFORMED) {
      throw new IllegalArgumentException("the request is malformed; decode it to learn why");
    }
    int n = scan.partCount;
    ArrayList<Object> parts = new ArrayList<>(Math.max(n, 4));
    int[] p = scan.parts;
    for (int i = 0; i < n; i++) {
      int at = i * WireScan.PART_INTS;
      parts.add(new WirePart(scan.bytes, p[at], p[at + 1], p[at + 2], p[at + 3]));
    }
    return new TraceBatch(parts, n);
  }

  /**
   * A batch over a request that this process encoded itself with {@link #encode()}, kept as encoded
   * parts: nothing is decoded or validated again, so a component that holds batches encoded for a
   * while (tail sampling) forwards them as bytes. The bytes are trusted, not checked: they must
   * come from {@link #encode()} (or {@link EncodedTraces#of}) in this process. The array is shared,
   * not copied.
   */
  public static TraceBatch ofEncoded(EncodedTraces encoded) {
    WirePart[] found = TracesWireScanner.partsOfEncoded(encoded.bytes());
    ArrayList<Object> parts = new ArrayList<>(Math.max(found.length, 4));
    for (WirePart p : found) {
      parts.add(p);
    }
    return new TraceBatch(parts, found.length);
  }

  /**
   * Whether every part is decoded into builders (true for an empty batch). Meant for tests and
   * diagnostics that check a pipeline forwards bytes without decoding them.
   */
  public boolean isDecoded() {
    return wireParts == 0;
  }

  /** Decodes the encoded parts in place, keeping their order. */
  private void decode() {
    if (wireParts == 0) {
      return;
    }
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i) instanceof WirePart) {
        parts.set(i, ((WirePart) parts.get(i)).decode());
      }
    }
    wireParts = 0;
  }

  /** The parts as builders; only after {@link #decode()}. */
  @SuppressWarnings("unchecked")
  private List<ResourceSpans.Builder> builders() {
    return (List<ResourceSpans.Builder>) (List<?>) parts;
  }

  private void addPart(Object part) {
    parts.add(part);
    if (part instanceof WirePart) {
      wireParts++;
    }
  }

  /**
   * The most bytes of changed or copied parts encoded into one array: below the size at which G1
   * allocates an array outside the young generation (half a region; regions are 1 MiB or more).
   */
  static final int COPY_ARRAY_MAX = 256 * 1024;

  /**
   * The batch encoded as an {@code ExportTraceServiceRequest}, ready to send. Does not change the
   * batch.
   *
   * <p>Encoded parts are sent as they are (unknown fields and all), without a copy: the result
   * holds ranges of the arrays the parts were received in (see {@link EncodedTraces}). Only when
   * the batch uses less than half of such an array are its parts copied, so that a batch holding
   * one trace of a large request (as tail sampling buffers it) keeps alive about what it counts.
   * Builders are encoded, and copied parts copied, into arrays of at most {@link #COPY_ARRAY_MAX}
   * bytes (a larger part alone in its own).
   */
  public EncodedTraces encode() {
    int n = parts.size();
    if (n == 0) {
      return EncodedTraces.empty();
    }
    int spans = spanCount();
    byte[] whole = wholeArray();
    if (whole != null) {
      return new EncodedTraces(whole, spans);
    }
    IdentityHashMap<byte[], long[]> used = new IdentityHashMap<>();
    for (Object part : parts) {
      if (part instanceof WirePart) {
        WirePart w = (WirePart) part;
        used.computeIfAbsent(w.bytes, a -> new long[1])[0] += w.frameSize();
      }
    }
    ResourceSpans[] built = new ResourceSpans[n];
    int[] frameSizes = new int[n];
    int total = buildAndSize(built, frameSizes);
    boolean[] shared = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (parts.get(i) instanceof WirePart) {
        WirePart w = (WirePart) parts.get(i);
        shared[i] = 2 * used.get(w.bytes)[0] >= w.bytes.length;
      }
    }
    Segments segments = new Segments(n);
    int i = 0;
    while (i < n) {
      if (shared[i]) {
        WirePart w = (WirePart) parts.get(i);
        segments.add(w.bytes, w.frameStart, frameSizes[i]);
        i++;
        continue;
      }
      // A run of parts to copy or encode, into one array of at most COPY_ARRAY_MAX bytes.
      int j = i;
      int run = 0;
      while (j < n && !shared[j] && (j == i || run + frameSizes[j] <= COPY_ARRAY_MAX)) {
        run += frameSizes[j];
        j++;
      }
      byte[] out = new byte[run];
      int at = 0;
      for (int k = i; k < j; k++) {
        at = writePart(parts.get(k), built[k], out, at);
      }
      if (at != run) {
        throw new IllegalStateException("encoded " + at + " of " + run + " bytes");
      }
      segments.add(out, 0, run);
      i = j;
    }
    return segments.toEncoded(total, spans);
  }

  /**
   * Builds the builder parts into {@code built} (encoded parts stay null there) and puts each
   * part's framed size in {@code frameSizes}.
   *
   * @return the size of the whole encoded request
   * @throws IllegalStateException when that is more than a request can hold
   */
  private int buildAndSize(ResourceSpans[] built, int[] frameSizes) {
    long total = 0;
    for (int i = 0; i < built.length; i++) {
      Object part = parts.get(i);
      long size;
      if (part instanceof WirePart) {
        size = ((WirePart) part).frameSize();
      } else {
        built[i] = ((ResourceSpans.Builder) part).build();
        size = TracesWireScanner.framed(built[i].getSerializedSize());
      }
      total += size;
      if (total > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException(
            "the batch is more than "
                + total
                + " bytes encoded, more than a request holds; split it");
      }
      frameSizes[i] = (int) size;
    }
    return (int) total;
  }

  /**
   * The batch encoded as {@link #encode()} encodes it, written into one region of an array that
   * {@code place} gives for the encoded size: for a component that keeps many encoded batches for a
   * while and packs them into large arrays it reuses (tail sampling), so that the garbage collector
   * does not copy each of them out of the young generation while they wait. When {@code place}
   * answers null, the encoding gets a new array of its own; an empty batch does not ask {@code
   * place}. Does not change the batch.
   *
   * <p>The result reads the region, it does not copy it: the caller must keep the region as it is
   * for as long as the result is used. Every part is copied or encoded into the region, so the
   * result keeps no received array alive.
   *
   * @throws IllegalArgumentException when the region is too small for the encoding
   */
  public EncodedTraces encodeInto(IntFunction<? extends ByteRegion> place) {
    Objects.requireNonNull(place, "place");
    int n = parts.size();
    if (n == 0) {
      return EncodedTraces.empty();
    }
    int spans = spanCount();
    ResourceSpans[] built = new ResourceSpans[n];
    int size = buildAndSize(built, new int[n]);
    ByteRegion region = place.apply(size);
    byte[] out = region == null ? new byte[size] : region.array();
    int start = region == null ? 0 : region.offset();
    if (start < 0 || start > out.length - size) {
      throw new IllegalArgumentException(
          "the region at "
              + start
              + " of a "
              + out.length
              + "-byte array has no room for "
              + size
              + " bytes");
    }
    int at = start;
    for (int i = 0; i < n; i++) {
      at = writePart(parts.get(i), built[i], out, at);
    }
    if (at != start + size) {
      throw new IllegalStateException("encoded " + (at - start) + " of " + size + " bytes");
    }
    if (start == 0 && size == out.length) {
      return new EncodedTraces(out, spans);
    }
    return new EncodedTraces(new byte[][] {out}, new int[] {start}, new int[] {size}, size, spans);
  }

  /** Writes a part's field ({@code resource_spans}: tag, length, message) at {@code at}. */
  private static int writePart(Object part, ResourceSpans built, byte[] out, int at) {
    if (part instanceof WirePart) {
      WirePart w = (WirePart) part;
      System.arraycopy(w.bytes, w.frameStart, out, at, w.frameSize());
      return at + w.frameSize();
    }
    int size = built.getSerializedSize();
    out[at++] = RESOURCE_SPANS_TAG;
    at = Varints.write(out, at, size);
    CodedOutputStream cos = CodedOutputStream.newInstance(out, at, size);
    try {
      built.writeTo(cos);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot encode into an array", e);
    }
    cos.checkNoSpaceLeft();
    return at + size;
  }

  /** The segments of an {@link EncodedTraces} being made; adjacent ranges of one array merge. */
  private static final class Segments {
    private byte[][] arrays;
    private int[] offsets;
    private int[] lengths;
    private int count;

    Segments(int capacity) {
      arrays = new byte[capacity][];
      offsets = new int[capacity];
      lengths = new int[capacity];
    }

    void add(byte[] array, int offset, int length) {
      if (count > 0
          && arrays[count - 1] == array
          && offsets[count - 1] + lengths[count - 1] == offset) {
        lengths[count - 1] += length;
        return;
      }
      arrays[count] = array;
      offsets[count] = offset;
      lengths[count] = length;
      count++;
    }

    EncodedTraces toEncoded(int size, int spans) {
      if (count == 1 && offsets[0] == 0 && lengths[0] == arrays[0].length) {
        return new EncodedTraces(arrays[0], spans);
      }
      return new EncodedTraces(
          java.util.Arrays.copyOf(arrays, count),
          java.util.Arrays.copyOf(offsets, count),
          java.util.Arrays.copyOf(lengths, count),
          size,
          spans);
    }
  }

  /**
   * The scanned array itself when the parts are all encoded, all from it, in their original order
   * and framing, and cover all of it; else null.
   */
  private byte[] wholeArray() {
    if (wireParts != parts.size()) {
      return null;
    }
    byte[] array = ((WirePart) parts.get(0)).bytes;
    int expected = 0;
    for (Object part : parts) {
      WirePart w = (WirePart) part;
      if (w.bytes != array || w.frameStart != expected) {
        return null;
      }
      expected = w.end();
    }
    return expected == array.length ? array : null;
  }

  /** An immutable snapshot, ready to send. */
  public ExportTraceServiceRequest toRequest() {
    decode();
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans.Builder rs : builders()) {
      request.addResourceSpans(rs.build());
    }
    return request.build();
  }

  public int spanCount() {
    int n = 0;
    for (Object part : parts) {
      n += spanCount(part);
    }
    return n;
  }

  private static int spanCount(Object part) {
    if (part instanceof WirePart) {
      return ((WirePart) part).spanCount;
    }
    ResourceSpans.Builder rs = (ResourceSpans.Builder) part;
    int n = 0;
    for (int i = 0; i < rs.getScopeSpansCount(); i++) {
      n += rs.getScopeSpans(i).getSpansCount();
    }
    return n;
  }

  public boolean isEmpty() {
    return spanCount() == 0;
  }

  /**
   * The size of this batch on the wire, in bytes: what {@link #encode()} makes. Free for encoded
   * parts; a decoded part is built to be measured (protobuf's builders keep the messages they built
   * and their sizes, so only what changed since is measured again).
   */
  public long serializedSize() {
    long n = 0;
    for (Object part : parts) {
      if (part instanceof WirePart) {
        n += ((WirePart) part).frameSize();
      } else {
        // 1 tag byte plus the length prefix plus the message, as in the enclosing request.
        n += TracesWireScanner.framed(((ResourceSpans.Builder) part).build().getSerializedSize());
      }
    }
    return n;
  }

  /** Visits every span. The visitor may change the span but not add or remove spans. */
  public void forEachSpan(Consumer<SpanRecord> visitor) {
    decode();
    for (ResourceSpans.Builder rs : builders()) {
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
    decode();
    List<ResourceSpans.Builder> resourceSpans = builders();
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
    parts.addAll(other.parts);
    wireParts += other.wireParts;
  }

  /**
   * A deep copy that shares nothing mutable with this batch (encoded parts are immutable, so they
   * are shared, not copied).
   */
  public TraceBatch copy() {
    ArrayList<Object> copy = new ArrayList<>(parts.size());
    for (Object part : parts) {
      copy.add(
          part instanceof WirePart ? part : ((ResourceSpans.Builder) part).build().toBuilder());
    }
    return new TraceBatch(copy, wireParts);
  }

  /**
   * Splits this batch by trace id, keeping each span's resource and scope. The map iterates in the
   * order the traces first appear. This batch is left unchanged.
   */
  public Map<ByteString, TraceBatch> groupByTrace() {
    decode();
    Map<ByteString, TraceBatch> out = new LinkedHashMap<>();
    // Per trace: the resource and scope builders already created, keyed by the source builders.
    Map<ByteString, Map<Object, Object>> made = new LinkedHashMap<>();
    for (ResourceSpans.Builder rs : builders()) {
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
                                .setSchemaUrl(rs.getSchemaUrl())
                                .setUnknownFields(rs.getUnknownFields());
                        batch.parts.add(b);
                        return b;
                      });
          ScopeSpans.Builder targetSs =
              (ScopeSpans.Builder)
                  seen.computeIfAbsent(
                      ss,
                      k ->
                          targetRs
                              .addScopeSpansBuilder()
                              .setScope(ss.getScope())
                              .setSchemaUrl(ss.getSchemaUrl())
                              .setUnknownFields(ss.getUnknownFields()));
          targetSs.addSpans(span.build());
        }
      }
    }
    return out;
  }

  /**
   * Splits this batch into batches of at most {@code maxSpans} spans each, in order; every batch
   * but the last holds exactly {@code maxSpans}. Used by the batch processor to honour {@code
   * send_batch_max_size}. This batch is left unchanged. Encoded parts are not decoded: a part that
   * fits moves whole, one that must be cut is cut between two spans on the wire.
   */
  public List<TraceBatch> split(int maxSpans) {
    if (maxSpans <= 0) {
      throw new IllegalArgumentException("maxSpans must be positive");
    }
    return split(maxSpans, 0);
  }

  /**
   * Splits this batch into batches of at most {@code maxBytes} bytes encoded each ({@link
   * #serializedSize()}), in order. A span that alone is larger than {@code maxBytes} goes alone in
   * a batch of its own: it is never dropped. Same as {@link #split(int, long)} with no span cap.
   */
  public List<TraceBatch> splitBySize(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    return split(0, maxBytes);
  }

  /**
   * Splits this batch into batches that respect both caps, in order: at most {@code maxSpans} spans
   * and at most {@code maxBytes} bytes encoded ({@link #serializedSize()}) each; 0 means no cap of
   * that kind (at least one cap must be set). A span that alone is larger than {@code maxBytes}
   * goes alone in a batch of its own (never dropped); each piece is otherwise filled as far as the
   * caps allow. This batch is left unchanged. Encoded parts are not decoded: the encoded size of
   * every span is read from the wire, and a part that must be cut is cut between two spans, its
   * resource and scope fields repeated in each piece (which the sizes account for).
   */
  public List<TraceBatch> split(int maxSpans, long maxBytes) {
    if (maxSpans < 0 || maxBytes < 0 || (maxSpans == 0 && maxBytes == 0)) {
      throw new IllegalArgumentException(
          "caps must be 0 (none) or positive, and one must be set; got maxSpans="
              + maxSpans
              + ", maxBytes="
              + maxBytes);
    }
    Splitter splitter =
        new Splitter(
            maxSpans == 0 ? Integer.MAX_VALUE : maxSpans,
            maxBytes == 0 ? Long.MAX_VALUE : maxBytes);
    for (Object part : parts) {
      if (part instanceof WirePart) {
        splitter.add((WirePart) part);
      } else {
        splitter.add((ResourceSpans.Builder) part);
      }
    }
    return splitter.finish();
  }

  /** Fills pieces in order under a span cap and a byte cap; for {@link #split(int, long)}. */
  private static final class Splitter {
    private final int maxSpans;
    private final long maxBytes;
    private final List<TraceBatch> out = new ArrayList<>();
    private TraceBatch current = empty();
    private int spans;

    /** Encoded size of the current piece's parts, except the open builder below. */
    private long closedBytes;

    // The builder part being filled in the current piece, if any, and its sizes.
    private ResourceSpans.Builder openRs;
    private long openRsBase;
    private long openRsScopes;
    private ScopeSpans.Builder openSs;
    private long openSsBase;
    private long openSsSpans;

    Splitter(int maxSpans, long maxBytes) {
      this.maxSpans = maxSpans;
      this.maxBytes = maxBytes;
    }

    private void closeRs() {
      if (openRs != null) {
        closeSs();
        closedBytes += TracesWireScanner.framed(openRsBase + openRsScopes);
        openRs = null;
      }
    }

    private void closeSs() {
      if (openSs != null) {
        openRsScopes += TracesWireScanner.framed(openSsBase + openSsSpans);
        openSs = null;
      }
    }

    private void flush() {
      closeRs();
      if (spans > 0) {
        out.add(current);
      }
      current = empty();
      spans = 0;
      closedBytes = 0;
    }

    void add(WirePart part) {
      closeRs();
      WirePart rest = part;
      while (true) {
        int spanRoom = maxSpans - spans;
        long byteRoom = maxBytes - closedBytes;
        if (rest.spanCount <= spanRoom && rest.frameSize() <= byteRoom) {
          current.addPart(rest);
          spans += rest.spanCount;
          closedBytes += rest.frameSize();
          return;
        }
        // When its bytes fit, only the span cap binds (a cut's first half is never larger than
        // the part): no need to walk the part for sizes.
        int k =
            rest.frameSize() <= byteRoom
                ? spanRoom
                : Math.min(spanRoom, TracesWireScanner.spansWithin(rest, byteRoom));
        if (k == 0) {
          if (spans > 0) {
            flush();
            continue;
          }
          // Not even one span fits an empty piece: it goes alone, over the byte cap.
          k = 1;
        }
        if (k >= rest.spanCount) {
          // A lone span over the cap, or a part whose framing (empty scopes, which a cut drops)
          // is over the room although its spans fit.
          if (rest.spanCount > 1) {
            k = rest.spanCount - 1;
          } else if (spans > 0) {
            flush();
            continue;
          } else {
            current.addPart(rest);
            spans += rest.spanCount;
            closedBytes += rest.frameSize();
            flush();
            return;
          }
        }
        WirePart[] halves = TracesWireScanner.cut(rest, k);
        current.addPart(halves[0]);
        spans += k;
        closedBytes += halves[0].frameSize();
        flush();
        rest = halves[1];
      }
    }

    void add(ResourceSpans.Builder rs) {
      closeRs();
      ResourceSpans.Builder rsShell = null;
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        ScopeSpans.Builder ssShell = null;
        for (Span.Builder spanBuilder : ss.getSpansBuilderList()) {
          Span span = spanBuilder.build();
          long spanSize = TracesWireScanner.framed(span.getSerializedSize());
          if (spans > 0
              && (spans == maxSpans
                  || (maxBytes != Long.MAX_VALUE && sizeWith(rs, ss, spanSize) > maxBytes))) {
            flush();
          }
          if (openRs == null) {
            if (rsShell == null) {
              rsShell =
                  ResourceSpans.newBuilder()
                      .setResource(rs.getResource())
                      .setSchemaUrl(rs.getSchemaUrl())
                      .setUnknownFields(rs.getUnknownFields());
            }
            openRs = rsShell.clone();
            openRsBase = openRs.build().getSerializedSize();
            openRsScopes = 0;
            current.parts.add(openRs);
          }
          if (openSs == null) {
            if (ssShell == null) {
              ssShell =
                  ScopeSpans.newBuilder()
                      .setScope(ss.getScope())
                      .setSchemaUrl(ss.getSchemaUrl())
                      .setUnknownFields(ss.getUnknownFields());
            }
            openSs = openRs.addScopeSpansBuilder().mergeFrom(ssShell.build());
            openSsBase = ssShell.build().getSerializedSize();
            openSsSpans = 0;
          }
          openSs.addSpans(span);
          openSsSpans += spanSize;
          spans++;
        }
        closeSs();
      }
      closeRs();
    }

    /** The current piece's size if a span of {@code spanSize} (framed) were added to it. */
    private long sizeWith(ResourceSpans.Builder rs, ScopeSpans.Builder ss, long spanSize) {
      if (openRs == null) {
        long rsBase = rsBaseSize(rs);
        long ssBase = ssBaseSize(ss);
        return closedBytes
            + TracesWireScanner.framed(rsBase + TracesWireScanner.framed(ssBase + spanSize));
      }
      long scopes =
          openRsScopes
              + (openSs == null
                  ? TracesWireScanner.framed(ssBaseSize(ss) + spanSize)
                  : TracesWireScanner.framed(openSsBase + openSsSpans + spanSize));
      return closedBytes + TracesWireScanner.framed(openRsBase + scopes);
    }

    private static long rsBaseSize(ResourceSpans.Builder rs) {
      return ResourceSpans.newBuilder()
          .setResource(rs.getResource())
          .setSchemaUrl(rs.getSchemaUrl())
          .setUnknownFields(rs.getUnknownFields())
          .build()
          .getSerializedSize();
    }

    private static long ssBaseSize(ScopeSpans.Builder ss) {
      return ScopeSpans.newBuilder()
          .setScope(ss.getScope())
          .setSchemaUrl(ss.getSchemaUrl())
          .setUnknownFields(ss.getUnknownFields())
          .build()
          .getSerializedSize();
    }

    List<TraceBatch> finish() {
      flush();
      return out;
    }
  }

  /**
   * The builders underneath (decodes encoded parts first). For codecs and tests in this project
   * only: processors use {@link #forEachSpan} so that the representation can change.
   */
  public List<ResourceSpans.Builder> resourceSpansBuilders() {
    decode();
    return builders();
  }

  @Override
  public String toString() {
    return "TraceBatch{spans="
        + spanCount()
        + ", resources="
        + parts.size()
        + (wireParts > 0 ? ", encoded=" + wireParts : "")
        + "}";
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
