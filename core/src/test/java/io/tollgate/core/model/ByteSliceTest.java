package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A value's bytes are read in the array behind it when it is one, and copied otherwise; a whole
 * array is handed out only when it is exactly the value, so that a slice never lends out the larger
 * array around it.
 */
class ByteSliceTest {

  private static final byte[] TEXT = "Grüße, 漢字 😀 and more".getBytes(StandardCharsets.UTF_8);

  @Test
  void aWholeArrayIsReadInPlace() {
    byte[] own = TEXT.clone();
    assertThat(ByteSlice.readOnlyArray(UnsafeByteOperations.unsafeWrap(own))).isSameAs(own);
    // As the decoder makes values: a copy of exactly the value's bytes.
    ByteString copied = ByteString.copyFrom(TEXT);
    assertThat(ByteSlice.readOnlyArray(copied))
        .isSameAs(ByteSlice.readOnlyArray(copied))
        .isEqualTo(TEXT);
  }

  @Test
  void slicesPiecesAndBuffersAreCopiedWhenTheWholeArrayIsAsked() {
    byte[] larger = new byte[TEXT.length + 10];
    System.arraycopy(TEXT, 0, larger, 5, TEXT.length);
    ByteString slice = UnsafeByteOperations.unsafeWrap(larger, 5, TEXT.length);
    ByteString prefix = UnsafeByteOperations.unsafeWrap(TEXT.clone()).substring(0, 10);
    ByteString nio = UnsafeByteOperations.unsafeWrap(direct());

    assertThat(ByteSlice.readOnlyArray(slice)).isEqualTo(TEXT).isNotSameAs(larger);
    assertThat(ByteSlice.readOnlyArray(prefix)).isEqualTo(Arrays.copyOf(TEXT, 10));
    assertThat(ByteSlice.readOnlyArray(rope())).isEqualTo(repeated());
    assertThat(ByteSlice.readOnlyArray(nio)).isEqualTo(TEXT);
    assertThat(ByteSlice.readOnlyArray(ByteString.EMPTY)).isEmpty();
  }

  @Test
  void aSliceSeesTheArrayAndOffsetOfAFlatValueAndNothingOfOthers() {
    byte[] larger = new byte[TEXT.length + 10];
    System.arraycopy(TEXT, 0, larger, 5, TEXT.length);
    ByteSlice s = new ByteSlice();

    assertThat(s.of(UnsafeByteOperations.unsafeWrap(larger, 5, TEXT.length))).isTrue();
    assertThat(s.array()).isSameAs(larger);
    assertThat(s.offset()).isEqualTo(5);

    assertThat(s.of(rope())).isFalse();
    assertThat(s.array()).isNull();

    assertThat(s.of(ByteString.copyFrom(TEXT))).isTrue();
    s.clear();
    assertThat(s.array()).isNull();
  }

  /** Large enough that protobuf keeps the pieces apart instead of joining them. */
  private static ByteString rope() {
    byte[] r = repeated();
    int half = r.length / 2;
    return ByteString.copyFrom(r, 0, half).concat(ByteString.copyFrom(r, half, r.length - half));
  }

  private static byte[] repeated() {
    byte[] r = new byte[TEXT.length * 20];
    for (int i = 0; i < 20; i++) {
      System.arraycopy(TEXT, 0, r, i * TEXT.length, TEXT.length);
    }
    return r;
  }

  private static ByteBuffer direct() {
    return ByteBuffer.allocateDirect(TEXT.length).put(TEXT).flip();
  }
}
