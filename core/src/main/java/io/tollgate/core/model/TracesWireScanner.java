package io.tollgate.core.model;

import static io.tollgate.core.model.WireTags.*;

import java.util.Arrays;

/**
 * Walks OTLP trace messages on the wire, schema-aware, the way protobuf-java's generated parsers
 * and {@code CodedInputStream} (4.x, array decoder) read them; see {@link WireScan} for what it
 * checks. One instance reads one array; it is not thread-safe.
 *
 * <p>Rules copied from protobuf-java, because the scan must accept exactly what {@code parseFrom}
 * accepts:
 *
 * <ul>
 *   <li>A varint has at most 10 bytes; 32-bit reads (tags, lengths, {@code int32}, {@code uint32},
 *       enums) keep the low 32 bits of a longer one. A length that comes out negative, or runs past
 *       the end of the enclosing message, is an error.
 *   <li>A tag with field number 0 is an error; so are wire types 6 and 7, and an end-group tag
 *       outside a group (protobuf-java's {@code checkValidEndTag}).
 *   <li>Fields are matched on the whole tag, so a known field number with another wire type is an
 *       unknown field and is skipped (a group, read to its matching end tag, counts one level of
 *       nesting).
 *   <li>Entering a message or a group when 100 levels are already open is an error (the top-level
 *       request is level 0).
 * </ul>
 */
final class TracesWireScanner {

  /** protobuf-java's default recursion limit ({@code CodedInputStream.defaultRecursionLimit}). */
  static final int MAX_DEPTH = 100;

  /** Thrown for malformed input; carries nothing, because the caller asks protobuf for details. */
  private static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Malformed INSTANCE = new Malformed();

    private Malformed() {
      super("malformed", null, false, false);
    }
  }

  private final byte[] b;
  private int pos;
  private int depth;
  private boolean badSpanIds;
  private int spansInResource;
  private int[] parts = new int[8 * WireScan.PART_INTS];
  private int partCount;

  TracesWireScanner(byte[] bytes) {
    this.b = bytes;
  }

  WireScan scanRequest(int offset, int length) {
    pos = offset;
    int end = offset + length;
    int total = 0;
    try {
      while (pos < end) {
        int frameStart = pos;
        int tag = readTag(end);
        if (tag == LEN_1) {
          int subEnd = enter(end);
          int start = pos;
          spansInResource = 0;
          resourceSpans(subEnd);
          leave();
          addPart(frameStart, start, subEnd - start, spansInResource);
          total += spansInResource;
        } else {
          skipField(tag, end);
        }
      }
    } catch (Malformed | ArrayIndexOutOfBoundsException e) {
      // Index errors cannot happen (every read is bounded by a limit inside the array); treating
      // one as malformed input keeps a scanner bug from becoming a crash: the caller then parses.
      return WireScan.malformed(b, offset, length);
    }
    return new WireScan(
        b,
        offset,
        length,
        badSpanIds ? WireScan.Verdict.INVALID_SPAN_IDS : WireScan.Verdict.VALID,
        total,
        parts,
        partCount);
  }

  private void addPart(int frameStart, int offset, int length, int spans) {
    int i = partCount * WireScan.PART_INTS;
    if (i + WireScan.PART_INTS > parts.length) {
      parts = Arrays.copyOf(parts, parts.length * 2);
    }
    parts[i] = frameStart;
    parts[i + 1] = offset;
    parts[i + 2] = length;
    parts[i + 3] = spans;
    partCount++;
  }

  // --- messages of the schema -------------------------------------------------------------

  private void resourceSpans(int end) {
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_1:
          resource(enter(end));
          leave();
          break;
        case LEN_2:
          scopeSpans(enter(end));
          leave();
          break;
        case LEN_3:
          string(end);
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void resource(int end) {
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_1:
          keyValue(enter(end));
          leave();
          break;
        case VARINT_2:
          skipVarint(end);
          break;
        case LEN_3:
          entityRef(enter(end));
          leave();
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void entityRef(int end) {
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_1:
        case LEN_2:
        case LEN_3:
        case LEN_4:
          string(end);
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void scopeSpans(int end) {
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_1:
          scope(enter(end));
          leave();
          break;
        case LEN_2:
          span(enter(end));
          leave();
          spansInResource++;
          break;
        case LEN_3:
          string(end);
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void scope(int end) {
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_1:
        case LEN_2:
          string(end);
          break;
        case LEN_3:
          keyValue(enter(end));
          leave();
          break;
        case VARINT_4:
          skipVarint(end);
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void span(int end) {
    // The last occurrence of a bytes field wins (proto3), so the last ids are the ones checked.
    int traceId = -1;
    int traceIdLength = 0;
    int spanId = -1;
    int spanIdLength = 0;
    int parentIdLength = 0;
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_1:
          traceIdLength = readLength(end);
          traceId = pos;
          pos += traceIdLength;
          break;
        case LEN_2:
          spanIdLength = readLength(end);
          spanId = pos;
          pos += spanIdLength;
          break;
        case LEN_4:
          parentIdLength = readLength(end);
          pos += parentIdLength;
          break;
        case LEN_3: // trace_state
        case LEN_5: // name
          string(end);
          break;
        case FIXED32_16: // flags
          skip(4, end);
          break;
        case VARINT_6: // kind
        case VARINT_10: // dropped_attributes_count
        case VARINT_12: // dropped_events_count
        case VARINT_14: // dropped_links_count
          skipVarint(end);
          break;
        case FIXED64_7: // start_time_unix_nano
        case FIXED64_8: // end_time_unix_nano
          skip(8, end);
          break;
        case LEN_9:
          keyValue(enter(end));
          leave();
          break;
        case LEN_11:
          event(enter(end));
          leave();
          break;
        case LEN_13:
          link(enter(end));
          leave();
          break;
        case LEN_15:
          status(enter(end));
          leave();
          break;
        default:
          skipField(tag, end);
      }
    }
    // The rules of Ids.isValidTraceId/isValidSpanId (and the receiver's SpanIdCheck), on the
    // raw bytes: decoding ids into ByteStrings here would cost the allocation the scan avoids.
    if (traceIdLength != 16
        || isAllZero(traceId, 16)
        || spanIdLength != 8
        || isAllZero(spanId, 8)
        || (parentIdLength != 0 && parentIdLength != 8)) {
      badSpanIds = true;
    }
  }

  private boolean isAllZero(int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private void event(int end) {
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case FIXED64_1:
          skip(8, end);
          break;
        case LEN_2:
          string(end);
          break;
        case LEN_3:
          keyValue(enter(end));
          leave();
          break;
        case VARINT_4:
          skipVarint(end);
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void link(int end) {
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_1:
        case LEN_2:
          skipBytes(end);
          break;
        case LEN_3:
          string(end);
          break;
        case LEN_4:
          keyValue(enter(end));
          leave();
          break;
        case VARINT_5:
          skipVarint(end);
          break;
        case FIXED32_6:
          skip(4, end);
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void status(int end) {
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_2:
          string(end);
          break;
        case VARINT_3:
          skipVarint(end);
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void keyValue(int end) {
    // Attributes are the most frequent message: read the usual shape (key, then value, each
    // with a one-byte tag) without the tag loop's varint read and switch. Only a shortcut of the
    // loop's first rounds: whatever follows, in any order, goes through the loop as before.
    if (pos < end && b[pos] == LEN_1) {
      pos++;
      string(end);
      if (pos < end && b[pos] == LEN_2) {
        pos++;
        anyValue(enter(end));
        leave();
      }
    }
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_1:
          string(end);
          break;
        case LEN_2:
          anyValue(enter(end));
          leave();
          break;
        case VARINT_3:
          skipVarint(end);
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void anyValue(int end) {
    if (pos < end && b[pos] == LEN_1) { // a string value, the usual one (see keyValue)
      pos++;
      string(end);
    }
    while (pos < end) {
      int tag = readTag(end);
      switch (tag) {
        case LEN_1:
          string(end);
          break;
        case VARINT_2: // bool_value
        case VARINT_3: // int_value
        case VARINT_8: // string_value_strindex
          skipVarint(end);
          break;
        case FIXED64_4: // double_value
          skip(8, end);
          break;
        case LEN_5:
          arrayValue(enter(end));
          leave();
          break;
        case LEN_6:
          keyValueList(enter(end));
          leave();
          break;
        case LEN_7: // bytes_value
          skipBytes(end);
          break;
        default:
          skipField(tag, end);
      }
    }
  }

  private void arrayValue(int end) {
    while (pos < end) {
      int tag = readTag(end);
      if (tag == LEN_1) {
        anyValue(enter(end));
        leave();
      } else {
        skipField(tag, end);
      }
    }
  }

  private void keyValueList(int end) {
    while (pos < end) {
      int tag = readTag(end);
      if (tag == LEN_1) {
        keyValue(enter(end));
        leave();
      } else {
        skipField(tag, end);
      }
    }
  }

  // --- wire format ------------------------------------------------------------------------

  /**
   * Reads a nested message's length and opens it: like {@code CodedInputStream.readMessage}, reads
   * the length, checks the recursion limit, then the bounds.
   *
   * @return where the nested message ends
   */
  private int enter(int end) {
    int length = readVarint32(end);
    if (depth >= MAX_DEPTH || length < 0 || length > end - pos) {
      throw Malformed.INSTANCE;
    }
    depth++;
    return pos + length;
  }

  private void leave() {
    depth--;
  }

  private void string(int end) {
    int length = readLength(end);
    if (!Utf8Check.isValid(b, pos, pos + length)) {
      throw Malformed.INSTANCE;
    }
    pos += length;
  }

  private int readTag(int end) {
    int tag = readVarint32(end);
    if ((tag >>> 3) == 0) {
      throw Malformed.INSTANCE;
    }
    return tag;
  }

  private int readLength(int end) {
    int length = readVarint32(end);
    if (length < 0 || length > end - pos) {
      throw Malformed.INSTANCE;
    }
    return length;
  }

  /** A varint of at most 10 bytes, truncated to its low 32 bits. */
  private int readVarint32(int end) {
    int p = pos;
    if (p >= end) {
      throw Malformed.INSTANCE;
    }
    int x = b[p++];
    if (x >= 0) {
      pos = p;
      return x;
    }
    int result = x & 0x7f;
    for (int shift = 7; shift < 70; shift += 7) {
      if (p >= end) {
        throw Malformed.INSTANCE;
      }
      int c = b[p++];
      if (shift < 32) {
        result |= (c & 0x7f) << shift;
      }
      if (c >= 0) {
        pos = p;
        return result;
      }
    }
    throw Malformed.INSTANCE; // an 11th byte
  }

  private void skipVarint(int end) {
    int p = pos;
    for (int i = 0; i < 10; i++) {
      if (p >= end) {
        throw Malformed.INSTANCE;
      }
      if (b[p++] >= 0) {
        pos = p;
        return;
      }
    }
    throw Malformed.INSTANCE;
  }

  /** Skips a length-delimited value ({@code pos += readLength(end)} would add to the old pos). */
  private void skipBytes(int end) {
    int length = readLength(end);
    pos += length;
  }

  private void skip(int n, int end) {
    if (end - pos < n) {
      throw Malformed.INSTANCE;
    }
    pos += n;
  }

  /** Skips a field that is not in the schema (or has another wire type), as protobuf keeps it. */
  private void skipField(int tag, int end) {
    switch (tag & 7) {
      case 0:
        skipVarint(end);
        break;
      case 1:
        skip(8, end);
        break;
      case 2:
        skipBytes(end);
        break;
      case 3:
        skipGroup(tag, end);
        break;
      case 5:
        skip(4, end);
        break;
      default:
        // 4: an end-group tag outside any group; 6 and 7 do not exist.
        throw Malformed.INSTANCE;
    }
  }

  private void skipGroup(int startTag, int end) {
    if (depth >= MAX_DEPTH) {
      throw Malformed.INSTANCE;
    }
    depth++;
    int endTag = (startTag & ~7) | 4;
    while (true) {
      if (pos >= end) {
        throw Malformed.INSTANCE; // the group never ends
      }
      int tag = readTag(end);
      if ((tag & 7) == 4) {
        if (tag != endTag) {
          throw Malformed.INSTANCE;
        }
        break;
      }
      skipField(tag, end);
    }
    depth--;
  }

  // --- the parts of a request this process encoded itself --------------------------------

  /**
   * The top-level {@code ResourceSpans} of a request encoded by {@link TraceBatch#encode()}, as
   * parts with their span counts, without validating anything: the walk only reads tags and lengths
   * down to the spans (no strings, no ids). Trusted input only; a malformed array throws.
   */
  static WirePart[] partsOfEncoded(byte[] request) {
    TracesWireScanner s = new TracesWireScanner(request);
    int end = request.length;
    WirePart[] out = new WirePart[4];
    int n = 0;
    while (s.pos < end) {
      int frameStart = s.pos;
      int tag = s.readTag(end);
      if (tag != LEN_1) {
        s.skipField(tag, end);
        continue;
      }
      int length = s.readLength(end);
      int start = s.pos;
      int rsEnd = start + length;
      int spans = 0;
      while (s.pos < rsEnd) {
        int t = s.readTag(rsEnd);
        if (t != LEN_2) {
          s.skipField(t, rsEnd);
          continue;
        }
        int ssEnd = s.readLength(rsEnd) + s.pos;
        while (s.pos < ssEnd) {
          int st = s.readTag(ssEnd);
          if (st == LEN_2) {
            spans++;
          }
          s.skipField(st, ssEnd);
        }
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = new WirePart(request, frameStart, start, length, spans);
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  // --- cutting a validated ResourceSpans between two spans ---------------------------------

  /**
   * Splits a validated {@code ResourceSpans} after its first {@code first} spans (0 < first <
   * spans) into two, each framed as a request's field 1 in its own array. Every field other than
   * the spans (resource, schema URL, scope, unknown fields) is copied to both halves unchanged and
   * in order; a scope left without spans in a half is left out of it, as {@link TraceBatch#split}
   * does for decoded spans.
   */
  static WirePart[] cut(WirePart part, int first) {
    TracesWireScanner s = new TracesWireScanner(part.bytes);
    int end = part.offset + part.length;
    // Pass 1: sizes of both halves.
    int[] sizes = new int[2];
    s.pos = part.offset;
    s.walkCut(end, first, sizes, null, null);
    byte[] a = new byte[1 + Varints.size(sizes[0]) + sizes[0]];
    byte[] c = new byte[1 + Varints.size(sizes[1]) + sizes[1]];
    int[] at = {writeHeader(a, sizes[0]), writeHeader(c, sizes[1])};
    // Pass 2: copy.
    s.pos = part.offset;
    s.walkCut(end, first, at, a, c);
    return new WirePart[] {
      new WirePart(a, 0, a.length - sizes[0], sizes[0], first),
      new WirePart(c, 0, c.length - sizes[1], sizes[1], part.spanCount - first)
    };
  }

  private static int writeHeader(byte[] out, int length) {
    out[0] = LEN_1;
    return Varints.write(out, 1, length);
  }

  /**
   * Walks a ResourceSpans. Without outputs it adds each half's length to {@code at}; with them it
   * copies each half's bytes to its array at {@code at}, advancing it.
   */
  private void walkCut(int end, int first, int[] at, byte[] outA, byte[] outB) {
    boolean copy = outA != null;
    int spanIndex = 0;
    while (pos < end) {
      int fieldStart = pos;
      int tag = readTag(end);
      if (tag != LEN_2) {
        skipField(tag, end);
        int n = pos - fieldStart;
        if (copy) {
          System.arraycopy(b, fieldStart, outA, at[0], n);
          System.arraycopy(b, fieldStart, outB, at[1], n);
        }
        at[0] += n;
        at[1] += n;
        continue;
      }
      int ssLength = readLength(end);
      int ssEnd = pos + ssLength;
      int ssStart = pos;
      // The scope's size in each half: its other fields plus its spans that fall there.
      int common = 0;
      int inA = 0;
      int inB = 0;
      int spansA = 0;
      int spansB = 0;
      int firstSpan = spanIndex;
      while (pos < ssEnd) {
        int f = pos;
        int t = readTag(ssEnd);
        skipField(t, ssEnd);
        int n = pos - f;
        if (t == LEN_2) {
          if (spanIndex++ < first) {
            inA += n;
            spansA++;
          } else {
            inB += n;
            spansB++;
          }
        } else {
          common += n;
        }
      }
      if (!copy) {
        if (spansA > 0) {
          at[0] += 1 + Varints.size(common + inA) + common + inA;
        }
        if (spansB > 0) {
          at[1] += 1 + Varints.size(common + inB) + common + inB;
        }
        continue;
      }
      if (spansA > 0) {
        outA[at[0]] = LEN_2;
        at[0] = Varints.write(outA, at[0] + 1, common + inA);
      }
      if (spansB > 0) {
        outB[at[1]] = LEN_2;
        at[1] = Varints.write(outB, at[1] + 1, common + inB);
      }
      int index = firstSpan;
      pos = ssStart;
      while (pos < ssEnd) {
        int f = pos;
        int t = readTag(ssEnd);
        skipField(t, ssEnd);
        int n = pos - f;
        boolean isSpan = t == LEN_2;
        boolean toA = isSpan ? index < first : spansA > 0;
        boolean toB = isSpan ? index >= first : spansB > 0;
        if (isSpan) {
          index++;
        }
        if (toA) {
          System.arraycopy(b, f, outA, at[0], n);
          at[0] += n;
        }
        if (toB) {
          System.arraycopy(b, f, outB, at[1], n);
          at[1] += n;
        }
      }
    }
  }

  /**
   * How many of a part's first spans fit in {@code budget} bytes once cut off by {@link #cut}: the
   * largest k whose first half (framed as a request field, as {@link WirePart#frameSize()}) is at
   * most {@code budget}; 0 when not even one span fits. Reads sizes from the wire, decodes nothing.
   */
  static int spansWithin(WirePart part, long budget) {
    TracesWireScanner s = new TracesWireScanner(part.bytes);
    int end = part.offset + part.length;
    // The resource's own fields (resource, schema_url, unknown ones) go to every piece.
    long rsCommon = 0;
    s.pos = part.offset;
    while (s.pos < end) {
      int f = s.pos;
      int tag = s.readTag(end);
      s.skipField(tag, end);
      if (tag != LEN_2) {
        rsCommon += s.pos - f;
      }
    }
    long closedScopes = 0;
    int k = 0;
    s.pos = part.offset;
    while (s.pos < end) {
      int tag = s.readTag(end);
      if (tag != LEN_2) {
        s.skipField(tag, end);
        continue;
      }
      int ssEnd = s.readLength(end) + s.pos;
      int ssStart = s.pos;
      long ssCommon = 0;
      while (s.pos < ssEnd) {
        int f = s.pos;
        int t = s.readTag(ssEnd);
        s.skipField(t, ssEnd);
        if (t != LEN_2) {
          ssCommon += s.pos - f;
        }
      }
      long spanBytes = 0;
      int spansHere = 0;
      s.pos = ssStart;
      while (s.pos < ssEnd) {
        int f = s.pos;
        int t = s.readTag(ssEnd);
        s.skipField(t, ssEnd);
        if (t != LEN_2) {
          continue;
        }
        spanBytes += s.pos - f;
        spansHere++;
        long rs = rsCommon + closedScopes + framed(ssCommon + spanBytes);
        if (framed(rs) > budget) {
          return k;
        }
        k++;
      }
      if (spansHere > 0) {
        closedScopes += framed(ssCommon + spanBytes);
      }
    }
    return k;
  }

  /** The size of a length-delimited field with a one-byte tag and a body of {@code n} bytes. */
  static long framed(long n) {
    return 1 + Varints.size((int) Math.min(n, Integer.MAX_VALUE)) + n;
  }
}
