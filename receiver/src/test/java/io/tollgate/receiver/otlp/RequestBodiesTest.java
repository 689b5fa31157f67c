package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tollgate.receiver.otlp.RequestBodies.Encoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

  private static final int LIMIT = 64 * 1024;

  @Test
  void decodesEveryEncodingUpToExactlyTheLimit() throws Exception {
    byte[] data = new byte[LIMIT];
    ThreadLocalRandom.current().nextBytes(data);
    for (Encoding e : Encoding.values()) {
      RequestBodies.Body body = RequestBodies.decompress(encode(e, data), e, LIMIT);
      assertThat(Arrays.copyOf(body.bytes(), body.length())).as(e.name()).isEqualTo(data);
    }
  }

  @Test
  void refusesOneByteOverTheLimit() throws Exception {
    byte[] data = new byte[LIMIT + 1];
    for (Encoding e : Encoding.values()) {
      ByteBuf in = encode(e, data);
      assertThatThrownBy(() -> RequestBodies.decompress(in, e, LIMIT))
          .as(e.name())
          .isInstanceOf(RequestBodies.TooLargeException.class);
    }
  }

  @Test
  void aBombStopsAtTheLimit() throws Exception {
    // 1 GiB once inflated; if inflation did not stop at the limit this would take seconds and a
    // gibibyte of heap.
    ByteBuf bomb = Unpooled.wrappedBuffer(GenAiSpans.gzipBomb(1024));
    assertThatThrownBy(() -> RequestBodies.decompress(bomb, Encoding.GZIP, LIMIT))
        .isInstanceOf(RequestBodies.TooLargeException.class);
  }

  @Test
  void rawDeflateWithoutTheZlibWrapperIsAccepted() throws Exception {
    byte[] data = "chat gpt-4o".repeat(100).getBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream d = new DeflaterOutputStream(out, new Deflater(6, true))) {
      d.write(data);
    }
    RequestBodies.Body body =
        RequestBodies.decompress(
            Unpooled.wrappedBuffer(out.toByteArray()), Encoding.DEFLATE, LIMIT);
    assertThat(body.exact()).isEqualTo(data);
  }

  @Test
  void corruptBodiesFailWithAnIoException() {
    ByteBuf junk = Unpooled.wrappedBuffer("not compressed".getBytes());
    for (Encoding e : new Encoding[] {Encoding.GZIP, Encoding.DEFLATE, Encoding.ZSTD}) {
      assertThatThrownBy(() -> RequestBodies.decompress(junk, e, LIMIT))
          .as(e.name())
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void zstdFramesMayNotAskForAWindowLargerThanTheBodyCanBe() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // Streaming without a known size: the frame declares the full 32 MiB window.
    try (OutputStream z = new ZstdOutputStreamNoFinalizer(out).setWindowLog(25)) {
      z.write(new byte[1000]);
    }
    ByteBuf frame = Unpooled.wrappedBuffer(out.toByteArray());
    assertThatThrownBy(() -> RequestBodies.decompress(frame, Encoding.ZSTD, 1024 * 1024))
        .isInstanceOf(IOException.class);
    assertThat(RequestBodies.decompress(frame, Encoding.ZSTD, 64 * 1024 * 1024).length())
        .isEqualTo(1000);
    assertThat(Zstd.windowLogFor(64L * 1024 * 1024)).isEqualTo(26);
    assertThat(Zstd.windowLogFor(1024)).isEqualTo(23);
    assertThat(Zstd.windowLogFor(1L << 40)).isEqualTo(27);
  }

  @Test
  void parsesContentEncodingHeaders() {
    assertThat(Encoding.fromHeader(null)).isEqualTo(Encoding.IDENTITY);
    assertThat(Encoding.fromHeader(" GZIP ")).isEqualTo(Encoding.GZIP);
    assertThat(Encoding.fromHeader("x-gzip")).isEqualTo(Encoding.GZIP);
    assertThat(Encoding.fromHeader("identity")).isEqualTo(Encoding.IDENTITY);
    assertThat(Encoding.fromHeader("br")).isNull();
    assertThat(Encoding.fromHeader("gzip, zstd")).isNull();
  }

  private static ByteBuf encode(Encoding e, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (e) {
      case GZIP:
        return Unpooled.wrappedBuffer(GenAiSpans.gzip(data));
      case DEFLATE:
        try (OutputStream d = new DeflaterOutputStream(out)) {
          d.write(data);
        }
        return Unpooled.wrappedBuffer(out.toByteArray());
      case ZSTD:
        return Unpooled.wrappedBuffer(com.github.luben.zstd.Zstd.compress(data));
      default:
        return Unpooled.wrappedBuffer(data);
    }
  }
}
