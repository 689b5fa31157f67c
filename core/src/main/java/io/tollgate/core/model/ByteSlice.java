package io.tollgate.core.model;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The array behind a {@link ByteString} that is one flat array, to read without copying it: what
 * the decoder makes of every string value ({@code ByteString.copyFrom} of exactly its bytes), what
 * the processors set ({@code unsafeWrap} of an array of their own), or a substring of either.
 * protobuf-java hands that array out only to a {@link ByteOutput}, through {@link
 * UnsafeByteOperations#unsafeWriteTo}, on the promise that it is not written to.
 *
 * <p>So: read the array, copy from it, never write into it, and never wrap it into a value of its
 * own (that value would alias the original's bytes, and keep all of them alive). A rope or a
 * buffer-backed string is not one array; {@link #of} then says false and the caller copies.
 *
 * <p>A slice is reusable and not thread-safe: a thread may keep one and point it at value after
 * value, clearing it when done so that it keeps no value alive.
 */
public final class ByteSlice {

  private final Capture capture = new Capture();
  private byte[] array;
  private int offset;

  /**
   * Points this slice at {@code bytes}' array: true when they are one flat array (then {@link
   * #array()} from {@link #offset()} holds them, {@code bytes.size()} long), false when not.
   */
  public boolean of(ByteString bytes) {
    capture.reset();
    try {
      UnsafeByteOperations.unsafeWriteTo(bytes, capture);
    } catch (IOException e) {
      throw new IllegalStateException(e); // this output throws nothing
    }
    if (capture.calls == 1 && capture.array != null) {
      array = capture.array;
      offset = capture.offset;
    } else {
      array = null;
      offset = 0;
    }
    capture.array = null;
    return array != null;
  }

  /** The array {@link #of} found, or null. Read only. */
  public byte[] array() {
    return array;
  }

  /** Where the value starts in {@link #array()}. */
  public int offset() {
    return offset;
  }

  /** Lets go of the array (a thread's slice must not keep a value alive). */
  public void clear() {
    array = null;
    offset = 0;
  }

  /**
   * The bytes of {@code s} in an array of exactly their size: its own array when it is one whole
   * array (read only, as above), else a copy.
   */
  public static byte[] readOnlyArray(ByteString s) {
    ByteSlice slice = new ByteSlice();
    if (slice.of(s) && slice.offset == 0 && slice.array.length == s.size()) {
      return slice.array;
    }
    return s.toByteArray();
  }

  /** Counts what protobuf writes; keeps the array of a single lazy write of an array. */
  private static final class Capture extends ByteOutput {
    byte[] array;
    int offset;
    int calls;

    void reset() {
      array = null;
      offset = 0;
      calls = 0;
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      if (calls++ == 0) {
        this.array = value;
        this.offset = offset;
      }
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      calls += 2; // a copy was asked for: not ours to keep
    }

    @Override
    public void write(byte value) {
      calls += 2;
    }

    @Override
    public void write(ByteBuffer value) {
      calls += 2;
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      calls += 2;
    }
  }
}
