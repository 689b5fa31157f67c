package io.tollgate.processor.truncate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A value's bytes are read in its own array when it is one whole array, and copied otherwise, so
 * that a slice never lends out the larger array around it.
 */
class Utf8ArraysTest {

  private static final byte[] TEXT = "Grüße, 漢字 😀 and more".getBytes(StandardCharsets.UTF_8);

  @Test
  void aWholeArrayIsReadInPlace() {
    byte[] own = TEXT.clone();
    assertThat(Utf8Arrays.readOnly(UnsafeByteOperations.unsafeWrap(own))).isSameAs(own);
    // As the decoder makes values: a copy of exactly the value's bytes.
    ByteString copied = ByteString.copyFrom(TEXT);
    assertThat(Utf8Arrays.readOnly(copied)).isSameAs(Utf8Arrays.readOnly(copied)).isEqualTo(TEXT);
  }

  @Test
  void slicesPiecesAndBuffersAreCopied() {
    byte[] larger = new byte[TEXT.length + 10];
    System.arraycopy(TEXT, 0, larger, 5, TEXT.length);
    ByteString slice = UnsafeByteOperations.unsafeWrap(larger, 5, TEXT.length);
    ByteString prefix = UnsafeByteOperations.unsafeWrap(TEXT.clone()).substring(0, 10);
    ByteString rope =
        ByteString.copyFrom(TEXT, 0, 7).concat(ByteString.copyFrom(TEXT, 7, TEXT.length - 7));
    ByteBuffer direct = ByteBuffer.allocateDirect(TEXT.length).put(TEXT).flip();
    ByteString nio = UnsafeByteOperations.unsafeWrap(direct);

    byte[] fromSlice = Utf8Arrays.readOnly(slice);
    assertThat(fromSlice).isEqualTo(TEXT).isNotSameAs(larger);
    assertThat(Utf8Arrays.readOnly(prefix)).isEqualTo(Arrays.copyOf(TEXT, 10));
    assertThat(Utf8Arrays.readOnly(rope)).isEqualTo(TEXT);
    assertThat(Utf8Arrays.readOnly(nio)).isEqualTo(TEXT);
    assertThat(Utf8Arrays.readOnly(ByteString.EMPTY)).isEmpty();
  }
}
