package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VarintsTest {

  @Test
  void sizesAndBytesAreProtobufsAtEveryLengthBoundary() throws Exception {
    int[] values = {
      0,
      1,
      127,
      128,
      16_383,
      16_384,
      2_097_151,
      2_097_152,
      268_435_455,
      268_435_456,
      Integer.MAX_VALUE,
      -1
    };
    for (int v : values) {
      byte[] theirs = new byte[5];
      CodedOutputStream cos = CodedOutputStream.newInstance(theirs);
      cos.writeUInt32NoTag(v);
      int n = 5 - cos.spaceLeft();

      byte[] mine = new byte[7];
      int end = Varints.write(mine, 2, v);

      assertThat(Varints.size(v)).as("size of %d", v).isEqualTo(n);
      assertThat(end).isEqualTo(2 + n);
      assertThat(Arrays.copyOfRange(mine, 2, end))
          .as("bytes of %d", v)
          .isEqualTo(Arrays.copyOf(theirs, n));
    }
  }
}
