package io.tollgate.processor.truncate;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The bytes of a {@code ByteString} as a {@code byte[]} to read, without copying them when the
 * string is a whole array: what the decoder makes of every string value ({@code
 * ByteString.copyFrom} of exactly the value's bytes) and what the normaliser and this processor set
 * ({@code unsafeWrap} of an array of their own). {@link ByteString#toByteArray} would copy the
 * whole value, to read it once and keep a prefix of it.
 *
 * <p>protobuf hands out its array only through {@link UnsafeByteOperations#unsafeWriteTo}, with the
 * promise that the reader does not write into it. The array may be read and copied from here,
 * never written, and never wrapped into a value of its own (that would alias the original's
 * bytes; a cut value is a new array).
 */
final class Utf8Arrays {

  private Utf8Arrays() {}

  /**
   * The bytes of {@code s}: its own array (never to be written) when it is exactly one whole
   * array, else a copy.
   */
  static byte[] readOnly(ByteString s) {
    WholeArray whole = new WholeArray();
    try {
      UnsafeByteOperations.unsafeWriteTo(s, whole);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not reached: this output throws nothing
    }
    byte[] a = whole.array;
    return a != null && a.length == s.size() ? a : s.toByteArray();
  }

  /**
   * Keeps the array of a string written as exactly one whole array handed over lazily (no copy
   * expected); anything else (a slice, several pieces, a buffer) leaves {@link #array} null.
   */
  private static final class WholeArray extends ByteOutput {

    byte[] array;
    private boolean written;

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      if (!written && offset == 0 && length == value.length) {
        array = value;
      } else {
        array = null;
      }
      written = true;
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      other(); // a buffer the writer may reuse: not ours to keep
    }

    @Override
    public void write(byte value) {
      other();
    }

    @Override
    public void write(ByteBuffer value) {
      other();
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      other();
    }

    private void other() {
      array = null;
      written = true;
    }
  }
}
