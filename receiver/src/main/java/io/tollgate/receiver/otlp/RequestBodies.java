package io.tollgate.receiver.otlp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Decompresses request bodies while counting: inflation stops as soon as the output passes the
 * limit, so a decompression bomb (a megabyte of gzip that inflates to gigabytes) costs at most
 * {@code limit} bytes of memory and the time to produce them.
 */
final class RequestBodies {

  /** The supported {@code Content-Encoding}s. */
  enum Encoding {
    IDENTITY,
    GZIP,
    DEFLATE,
    ZSTD;

    /** Names the supported encodings, for error messages. */
    static final String SUPPORTED = "gzip, deflate, zstd or none (no Content-Encoding header)";

    /** The encoding of a {@code Content-Encoding} header, or {@code null} when unsupported. */
    static Encoding fromHeader(String header) {
      if (header == null) {
        return IDENTITY;
      }
      switch (header.trim().toLowerCase(Locale.ROOT)) {
        case "":
        case "identity":
          return IDENTITY;
        case "gzip":
        case "x-gzip":
          return GZIP;
        case "deflate":
          return DEFLATE;
        case "zstd":
          return ZSTD;
        default:
          return null;
      }
    }
  }

  /** The decoded body: the first {@code length} bytes of {@code bytes}. */
  record Body(byte[] bytes, int length) {
    byte[] exact() {
      return bytes.length == length ? bytes : Arrays.copyOf(bytes, length);
    }
  }

  /** The body inflates past the limit. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException() {
      super(null, null, false, false);
    }
  }

  private static final int MIN_BUFFER = 8192;

  private RequestBodies() {}

  /**
   * Decompresses {@code body} (not consumed, not released).
   *
   * @throws TooLargeException as soon as the output passes {@code limit} bytes
   * @throws IOException when the body is not valid in its encoding
   */
  static Body decompress(ByteBuf body, Encoding encoding, int limit)
      throws TooLargeException, IOException {
    InputStream raw = new ByteBufInputStream(body.duplicate());
    Inflater inflater = null;
    InputStream in;
    switch (encoding) {
      case GZIP:
        in = new GZIPInputStream(raw, MIN_BUFFER);
        break;
      case DEFLATE:
        // RFC 9110's "deflate" is zlib-wrapped, but some clients send raw deflate: accept both.
        inflater = new Inflater(!hasZlibHeader(body));
        in = new InflaterInputStream(raw, inflater, MIN_BUFFER);
        break;
      case ZSTD:
        in = Zstd.decoding(raw, limit);
        break;
      default:
        in = raw;
    }
    try (InputStream closing = in) {
      long guess = Math.max(MIN_BUFFER, (long) body.readableBytes() * 4);
      return readAtMost(closing, limit, guess);
    } finally {
      if (inflater != null) {
        inflater.end();
      }
    }
  }

  private static Body readAtMost(InputStream in, int limit, long sizeGuess)
      throws TooLargeException, IOException {
    // One byte more than the limit tells "exactly the limit" from "over it".
    long cap = limit + 1L;
    byte[] buf = new byte[(int) Math.min(cap, sizeGuess)];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (n >= cap) {
          throw new TooLargeException();
        }
        buf = Arrays.copyOf(buf, (int) Math.min(cap, (long) buf.length * 2));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    if (n > limit) {
      throw new TooLargeException();
    }
    return new Body(buf, n);
  }

  private static boolean hasZlibHeader(ByteBuf body) {
    if (body.readableBytes() < 2) {
      return true;
    }
    int cmf = body.getUnsignedByte(body.readerIndex());
    int flg = body.getUnsignedByte(body.readerIndex() + 1);
    return (cmf & 0x0f) == 8 && ((cmf << 8) | flg) % 31 == 0;
  }
}
