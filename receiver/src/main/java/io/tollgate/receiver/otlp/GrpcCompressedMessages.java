package io.tollgate.receiver.otlp;

import io.grpc.Decompressor;
import io.grpc.DecompressorRegistry;
import java.io.IOException;
import java.io.InputStream;

/**
 * gRPC decompressors that do not decompress on the network thread. grpc-java inflates a compressed
 * message while the request marshaller reads it, and our server runs the marshaller on the Netty
 * event loop (a direct executor, so that admission and the copy out of Netty's buffers happen at
 * once): a 64 MiB gzip request then held one event loop, and every connection on it, for as long
 * as inflating took. So the server's "gzip" and "zstd" decompressors pass the compressed bytes
 * through, behind one byte that says which encoding they are in; the marshaller copies them out of
 * Netty's buffers as it does an uncompressed message, and a worker inflates them with the HTTP
 * path's code ({@link RequestBodies#decompress}), which enforces the same size limit while it
 * inflates.
 */
final class GrpcCompressedMessages {

  private GrpcCompressedMessages() {}

  /** grpc-java's defaults (identity), with gzip and zstd passed through. */
  static DecompressorRegistry registry() {
    return DecompressorRegistry.getDefaultInstance()
        .with(new PassThrough("gzip", RequestBodies.Encoding.GZIP), true)
        .with(new PassThrough(Zstd.ENCODING, RequestBodies.Encoding.ZSTD), true);
  }

  /** The encoding that the first byte of a passed-through message names. */
  static RequestBodies.Encoding encodingOf(byte tag) {
    RequestBodies.Encoding[] all = RequestBodies.Encoding.values();
    if (tag <= 0 || tag >= all.length) {
      throw new IllegalStateException("not a tag of GrpcCompressedMessages: " + tag);
    }
    return all[tag];
  }

  private static final class PassThrough implements Decompressor {
    private final String messageEncoding;
    private final byte tag;

    PassThrough(String messageEncoding, RequestBodies.Encoding encoding) {
      this.messageEncoding = messageEncoding;
      this.tag = (byte) encoding.ordinal();
    }

    @Override
    public String getMessageEncoding() {
      return messageEncoding;
    }

    @Override
    public InputStream decompress(InputStream compressed) {
      return new Tagged(tag, compressed);
    }
  }

  /** One tag byte, then the compressed bytes as they are. */
  private static final class Tagged extends InputStream {
    private final InputStream in;
    private final byte tag;
    private boolean tagRead;

    Tagged(byte tag, InputStream in) {
      this.tag = tag;
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (!tagRead) {
        tagRead = true;
        return tag;
      }
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (tagRead) {
        return in.read(b, off, len);
      }
      tagRead = true;
      b[off] = tag;
      if (len == 1) {
        return 1;
      }
      int n = in.read(b, off + 1, len - 1);
      return n < 0 ? 1 : n + 1;
    }

    @Override
    public int available() throws IOException {
      return (tagRead ? 0 : 1) + in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
