package io.tollgate.receiver.otlp;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;

/**
 * zstd for both transports (gRPC's through {@link GrpcCompressedMessages}), with the decoder's
 * window bounded by the body limit.
 */
final class Zstd {

  static final String ENCODING = "zstd";

  // Streaming encoders that do not know the size up front declare an 8 MiB window (klauspost's
  // default, zstd level 19); never refuse those. 2^27 is libzstd's own default limit.
  private static final int MIN_WINDOW_LOG = 23;
  private static final int MAX_WINDOW_LOG = 27;

  private Zstd() {}

  /**
   * A decoding stream that refuses frames whose window is larger than the body could ever be:
   * otherwise a tiny frame can make the decoder allocate up to 128 MiB before a byte comes out.
   */
  static InputStream decoding(InputStream in, long maxDecodedBytes) throws IOException {
    return new ZstdInputStreamNoFinalizer(in).setLongMax(windowLogFor(maxDecodedBytes));
  }

  static int windowLogFor(long maxBytes) {
    int log = 64 - Long.numberOfLeadingZeros(Math.max(1, maxBytes - 1));
    return Math.min(MAX_WINDOW_LOG, Math.max(MIN_WINDOW_LOG, log));
  }
}
