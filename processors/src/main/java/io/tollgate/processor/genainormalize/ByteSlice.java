package io.tollgate.processor.genainormalize;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The array behind a flat {@link ByteString} (a literal one or a substring of one), without a
 * copy: {@code ByteString} hands it out only to a {@link ByteOutput}. Read only: the array stays
 * the value's. Not for ropes or buffers (several parts, or a copy asked for): {@link #of} answers
 * false and the caller copies.
 */
final class ByteSlice extends ByteOutput {
  byte[] array;
  int offset;
  private int parts;

  /** Points this slice at {@code bytes}' array; false when they are not one flat array. */
  boolean of(ByteString bytes) {
    array = null;
    offset = 0;
    parts = 0;
    try {
      UnsafeByteOperations.unsafeWriteTo(bytes, this);
    } catch (IOException e) {
      throw new IllegalStateException(e); // this output does not throw
    }
    if (parts != 1) {
      array = null;
      return bytes.isEmpty();
    }
    return true;
  }

  /** Lets go of the array (a thread's slice must not keep a value alive). */
  void clear() {
    array = null;
  }

  @Override
  public void writeLazy(byte[] value, int offset, int length) {
    if (parts++ == 0) {
      this.array = value;
      this.offset = offset;
    }
  }

  @Override
  public void write(byte[] value, int offset, int length) {
    parts += 2; // a copy was asked for: not ours to keep
  }

  @Override
  public void write(byte value) {
    parts += 2;
  }

  @Override
  public void write(ByteBuffer value) {
    parts += 2;
  }

  @Override
  public void writeLazy(ByteBuffer value) {
    parts += 2;
  }
}
