package io.tollgate.core.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import org.junit.jupiter.api.Test;

class ValidUtf8StringsTest {

  @Test
  void theGeneratedCodeIsAsExpectedSoValuesAreSetWithoutTheCheck() {
    // If this fails, protobuf-java's generated AnyValue.Builder changed: values are still right
    // (the checked setter is used), but the UTF-8 check is back on every decoded value.
    assertThat(ValidUtf8Strings.unchecked()).isTrue();
  }

  @Test
  void aValueSetWithoutTheCheckIsTheValueTheSetterMakes() {
    byte[] utf8 = "[{\"role\":\"user\",\"content\":\"Grüße 😀 ok\"}]".getBytes(UTF_8);
    AnyValue mine = Values.ofValidUtf8(utf8);
    AnyValue checked = AnyValue.newBuilder().setStringValueBytes(ByteString.copyFrom(utf8)).build();

    assertThat(mine.getValueCase()).isEqualTo(AnyValue.ValueCase.STRING_VALUE);
    assertThat(mine).isEqualTo(checked).isEqualTo(Values.of(new String(utf8, UTF_8)));
    assertThat(mine.toByteString()).isEqualTo(checked.toByteString());
    assertThat(mine.getStringValue()).isEqualTo(new String(utf8, UTF_8));
  }

  @Test
  void theArrayIsNotCopiedAndTheValueStaysBytes() {
    byte[] utf8 = "plain".getBytes(UTF_8);
    AnyValue v = Values.ofValidUtf8(utf8);
    utf8[0] = 'P'; // shared on purpose: the caller hands the array over
    assertThat(v.getStringValueBytes().toStringUtf8()).isEqualTo("Plain");
  }

  @Test
  void settingReplacesWhateverTheOneofHeld() {
    AnyValue.Builder b = AnyValue.newBuilder().setIntValue(7);
    AnyValue v = ValidUtf8Strings.set(b, ByteString.copyFromUtf8("x")).build();
    assertThat(v.hasIntValue()).isFalse();
    assertThat(v).isEqualTo(Values.of("x"));
  }
}
