package io.tollgate.processor.truncate;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * String values made from UTF-8 that is valid by construction, without protobuf checking it again.
 * A copy of {@code genainormalize.ValidUtf8Values} for this package until that class moves to core
 * ({@code io.tollgate.core.model.ValidUtf8}); then this file goes and its callers use core's.
 *
 * <p>{@code AnyValue.Builder.setStringValueBytes} validates the whole array (proto3 strings must
 * be UTF-8), and protobuf-java offers no unchecked setter. A value this processor cuts is valid by
 * construction: a prefix, cut before a lead byte, of a value protobuf already validated, followed
 * by a suffix encoded from a String without lone surrogates (else the String path cuts it). The
 * check only repeated work: about 12% of the processor's time in the GenAI profile. Here the
 * builder's two oneof fields are set as the setter sets them, minus the check.
 *
 * <p>That reaches into generated code, so it is verified once when the class loads: the fields
 * must exist, and a value built this way must equal, serialise and read back exactly as one built
 * with the setter. If anything differs (other generated code, a named module that is not open),
 * every value is built with the checked setter, as before.
 */
final class ValidUtf8Values {

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

  private ValidUtf8Values() {}

  /** Whether values are built without the check (false: the generated code is not as expected). */
  static boolean unchecked() {
    return VALUE != null;
  }

  /** A string value holding {@code utf8}, which must be valid UTF-8; the array is not copied. */
  static AnyValue of(byte[] utf8) {
    ByteString bytes = UnsafeByteOperations.unsafeWrap(utf8);
    if (VALUE == null) {
      return AnyValue.newBuilder().setStringValueBytes(bytes).build();
    }
    return build(VALUE_CASE, VALUE, bytes);
  }

  private static AnyValue build(VarHandle valueCase, VarHandle value, ByteString bytes) {
    AnyValue.Builder b = AnyValue.newBuilder();
    valueCase.set(b, STRING_VALUE_CASE);
    value.set(b, bytes);
    return b.build();
  }

  private static boolean behavesAsTheSetter(VarHandle valueCase, VarHandle value) {
    ByteString probe = ByteString.copyFromUtf8("{\"k\":\"Grüße 😀\"}…[truncated 9 chars]");
    AnyValue mine = build(valueCase, value, probe);
    AnyValue theirs = AnyValue.newBuilder().setStringValueBytes(probe).build();
    return mine.getValueCase() == AnyValue.ValueCase.STRING_VALUE
        && mine.hasStringValue()
        && mine.getStringValueBytes() == probe
        && mine.equals(theirs)
        && mine.getSerializedSize() == theirs.getSerializedSize()
        && mine.toByteString().equals(theirs.toByteString())
        && mine.getStringValue().equals(theirs.getStringValue())
        && mine.toBuilder().build().equals(theirs);
  }
}
