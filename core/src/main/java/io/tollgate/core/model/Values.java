package io.tollgate.core.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small helpers to make and read {@link AnyValue}s. */
public final class Values {

  private Values() {}

  public static AnyValue of(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  public static AnyValue of(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  public static AnyValue of(double v) {
    return AnyValue.newBuilder().setDoubleValue(v).build();
  }

  public static AnyValue of(boolean v) {
    return AnyValue.newBuilder().setBoolValue(v).build();
  }

  /**
   * A string value holding {@code utf8} as it is (not copied), which the caller guarantees is
   * well-formed UTF-8: unlike {@code setStringValueBytes}, protobuf does not check it again. For
   * bytes that are valid by construction: a received value (the receiver validated it) cut at a
   * character boundary or with ASCII spliced in, or text encoded from a String without lone
   * surrogates. Anything else must go through {@code setStringValueBytes}: proto3 requires strings
   * to be UTF-8, and the receiving end may refuse the whole request otherwise.
   */
  public static AnyValue ofValidUtf8(ByteString utf8) {
    return ValidUtf8Strings.set(AnyValue.newBuilder(), utf8).build();
  }

  /** {@link #ofValidUtf8(ByteString)} of the whole array, which is not copied. */
  public static AnyValue ofValidUtf8(byte[] utf8) {
    return ofValidUtf8(UnsafeByteOperations.unsafeWrap(utf8));
  }

  public static AnyValue ofStrings(List<String> values) {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    for (String s : values) {
      array.addValues(of(s));
    }
    return AnyValue.newBuilder().setArrayValue(array).build();
  }

  /** Whole number from int, integral double or decimal string; null otherwise. */
  public static Long asLong(AnyValue v) {
    if (v == null) {
      return null;
    }
    switch (v.getValueCase()) {
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        double d = v.getDoubleValue();
        return d == Math.rint(d) && !Double.isInfinite(d) ? (long) d : null;
      case STRING_VALUE:
        try {
          return Long.parseLong(v.getStringValue().trim());
        } catch (NumberFormatException e) {
          return null;
        }
      default:
        return null;
    }
  }

  /** Double from int, double or numeric string; null otherwise. */
  public static Double asDouble(AnyValue v) {
    if (v == null) {
      return null;
    }
    switch (v.getValueCase()) {
      case INT_VALUE:
        return (double) v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case STRING_VALUE:
        try {
          double d = Double.parseDouble(v.getStringValue().trim());
          return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
          return null;
        }
      default:
        return null;
    }
  }

  /** Boolean from bool or the strings "true"/"false" (any case); null otherwise. */
  public static Boolean asBoolean(AnyValue v) {
    if (v == null) {
      return null;
    }
    if (v.hasBoolValue()) {
      return v.getBoolValue();
    }
    if (v.hasStringValue()) {
      String s = v.getStringValue().trim();
      if (s.equalsIgnoreCase("true")) {
        return Boolean.TRUE;
      }
      if (s.equalsIgnoreCase("false")) {
        return Boolean.FALSE;
      }
    }
    return null;
  }

  /** The strings of an array value (non-string elements rendered), or a one-element list. */
  public static List<String> asStrings(AnyValue v) {
    if (v == null) {
      return Collections.emptyList();
    }
    if (v.hasArrayValue()) {
      List<String> out = new ArrayList<>(v.getArrayValue().getValuesCount());
      for (AnyValue e : v.getArrayValue().getValuesList()) {
        out.add(toDisplayString(e));
      }
      return out;
    }
    return List.of(toDisplayString(v));
  }

  /** A human-readable rendering used by logs and the debug exporter. */
  public static String toDisplayString(AnyValue v) {
    if (v == null) {
      return "null";
    }
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return Boolean.toString(v.getBoolValue());
      case INT_VALUE:
        return Long.toString(v.getIntValue());
      case DOUBLE_VALUE:
        return Double.toString(v.getDoubleValue());
      case ARRAY_VALUE:
        StringBuilder sb = new StringBuilder("[");
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          sb.append(toDisplayString(values.get(i)));
        }
        return sb.append(']').toString();
      case KVLIST_VALUE:
        StringBuilder kv = new StringBuilder("{");
        var list = v.getKvlistValue().getValuesList();
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            kv.append(", ");
          }
          kv.append(list.get(i).getKey())
              .append('=')
              .append(toDisplayString(list.get(i).getValue()));
        }
        return kv.append('}').toString();
      case BYTES_VALUE:
        return "0x" + Ids.toHex(v.getBytesValue());
      default:
        return "";
    }
  }
}
