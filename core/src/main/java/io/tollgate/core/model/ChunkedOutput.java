package io.tollgate.core.model;

import java.io.OutputStream;

/**
 * An output stream into fixed-size arrays, for an encoding whose total size is known before it is
 * written: every chunk is {@code chunkBytes} long but the last, which is exactly the rest, so no
 * chunk is trimmed (copied) at the end.
 */
final class ChunkedOutput extends OutputStream {

  private final byte[][] chunks;
  private final int total;
  private final int chunkBytes;
  private int index = -1;
  private byte[] current = new byte[0];
  private int at;
  private long written;

  ChunkedOutput(int total, int chunkBytes) {
    if (total < 0 || chunkBytes <= 0) {
      throw new IllegalArgumentException("total " + total + ", chunk " + chunkBytes);
    }
    this.total = total;
    this.chunkBytes = chunkBytes;
    this.chunks = new byte[(int) ((total + (long) chunkBytes - 1) / chunkBytes)][];
  }

  @Override
  public void write(int b) {
    if (at == current.length) {
      next();
    }
    current[at++] = (byte) b;
    written++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      if (at == current.length) {
        next();
      }
      int n = Math.min(len, current.length - at);
      System.arraycopy(b, off, current, at, n);
      at += n;
      off += n;
      len -= n;
      written += n;
    }
  }

  private void next() {
    if (index + 1 >= chunks.length) {
      throw new IllegalStateException("more than the " + total + " bytes announced");
    }
    index++;
    current = new byte[Math.min(chunkBytes, total - index * chunkBytes)];
    chunks[index] = current;
    at = 0;
  }

  /** The chunks, once exactly {@code total} bytes were written. */
  byte[][] finish() {
    if (written != total) {
      throw new IllegalStateException(written + " bytes written, " + total + " announced");
    }
    return chunks;
  }
}
