package io.tollgate.core.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.lang.reflect.Field;

/**
 * Which form protobuf-java holds a string value in. Decoded values are UTF-8 bytes until someone
 * calls {@code getStringValue()}, which converts them and keeps the String; tests that a processor
 * passes a value on without that conversion need to see the form, and no API shows it.
 */
public final class StringForm {

  private static final Field VALUE;

  static {
    try {
      VALUE = AnyValue.class.getDeclaredField("value_");
      VALUE.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private StringForm() {}

  /** Whether {@code value} holds its string as UTF-8 bytes (not yet converted to a String). */
  public static boolean isBytes(AnyValue value) {
    try {
      return VALUE.get(value) instanceof ByteString;
    } catch (IllegalAccessException e) {
      throw new AssertionError("protobuf's AnyValue changed shape", e);
    }
  }
}
