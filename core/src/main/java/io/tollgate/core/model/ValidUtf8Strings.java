package io.tollgate.core.model;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Sets a string value from UTF-8 that is known to be well-formed, without protobuf-java checking it
 * again.
 *
 * <p>{@code AnyValue.Builder.setStringValueBytes} validates the whole array (proto3 strings must be
 * UTF-8), and protobuf-java offers no unchecked setter. Our bytes are usually valid already: the
 * receiver's scan validated every string of a request before {@link WireDecoder} copies it, and the
 * processors write values from such bytes (a cut at a character boundary, ASCII replacements, JSON
 * written from valid parts). Checking again was 5–7% of the collector's CPU on the GenAI pipeline
 * (profile of 2026-11-22 22:15: protobuf's {@code Utf8.isValidUtf8NonAscii} under {@code
 * WireDecoder.anyValue}, {@code truncate} and {@code redaction}). So the builder's two oneof fields
 * are set as the setter sets them, minus the check.
 *
 * <p>That reaches into generated code, so it is verified once when the class loads: the fields must
 * exist, and a value built this way must equal, serialise and read back exactly as one built with
 * the setter. If anything differs (other generated code, a named module that is not open), every
 * value is set with the checked setter, as before.
 */
final class ValidUtf8Strings {

  private static final VarHandle VALUE_CASE;
  private static final VarHandle VALUE;

  /** The oneof case number of {@code string_value}. */
  private static final int STRING_VALUE_CASE = AnyValue.STRING_VALUE_FIELD_NUMBER;

  static {
    VarHandle valueCase = null;
    VarHandle value = null;
    try {
      MethodHandles.Lookup l =
          MethodHandles.privateLookupIn(AnyValue.Builder.class, MethodHandles.lookup());
      valueCase = l.findVarHandle(AnyValue.Builder.class, "valueCase_", int.class);
      value = l.findVarHandle(AnyValue.Builder.class, "value_", Object.class);
      if (!behavesAsTheSetter(valueCase, value)) {
        valueCase = null;
        value = null;
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      valueCase = null;
      value = null;
    }
    VALUE_CASE = valueCase;
    VALUE = value;
  }

  private ValidUtf8Strings() {}

  /** Whether values are set without the check (false: the generated code is not as expected). */
  static boolean unchecked() {
    return VALUE != null;
  }

  /**
   * {@code builder.setStringValueBytes(utf8)} without the UTF-8 check; {@code utf8} must be
   * well-formed UTF-8, and {@code builder} free-standing (from {@code AnyValue.newBuilder()}, not a
   * parent's {@code getValueBuilder()}).
   */
  static AnyValue.Builder set(AnyValue.Builder builder, ByteString utf8) {
    if (VALUE == null) {
      return builder.setStringValueBytes(utf8);
    }
    set(VALUE_CASE, VALUE, builder, utf8);
    return builder;
  }

  private static void set(
      VarHandle valueCase, VarHandle value, AnyValue.Builder builder, ByteString utf8) {
    if (utf8 == null) {
      throw new NullPointerException("utf8"); // as the setter does
    }
    // As the setter: the oneof's one slot and its case are replaced, nothing else changes. The
    // setter's onChanged() only tells a parent builder that holds this one as a nested builder;
    // every builder given here is free-standing (see set's callers), so it has none.
    valueCase.set(builder, STRING_VALUE_CASE);
    value.set(builder, utf8);
  }

  private static boolean behavesAsTheSetter(VarHandle valueCase, VarHandle value) {
    ByteString probe = ByteString.copyFromUtf8("{\"k\":\"Grüße 😀\"}");
    AnyValue.Builder b = AnyValue.newBuilder().setIntValue(7);
    set(valueCase, value, b, probe);
    AnyValue mine = b.build();
    AnyValue theirs = AnyValue.newBuilder().setIntValue(7).setStringValueBytes(probe).build();
    return mine.getValueCase() == AnyValue.ValueCase.STRING_VALUE
        && mine.hasStringValue()
        && !mine.hasIntValue()
        && mine.getStringValueBytes() == probe
        && mine.equals(theirs)
        && mine.hashCode() == theirs.hashCode()
        && mine.getSerializedSize() == theirs.getSerializedSize()
        && mine.toByteString().equals(theirs.toByteString())
        && mine.getStringValue().equals(theirs.getStringValue())
        && mine.toBuilder().build().equals(theirs);
  }
}
