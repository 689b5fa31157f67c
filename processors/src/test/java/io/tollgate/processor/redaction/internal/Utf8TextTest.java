package io.tollgate.processor.redaction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8TextTest {

  @Test
  void decodesWhatToStringUtf8GivesForWellFormedTextAndRefusesTheRest() {
    Random random = new Random(7);
    // Bytes that are mostly pieces of UTF-8, so that both outcomes are common.
    byte[][] pieces = {
      "a".getBytes(StandardCharsets.UTF_8),
      " ".getBytes(StandardCharsets.UTF_8),
      "é".getBytes(StandardCharsets.UTF_8),
      "€".getBytes(StandardCharsets.UTF_8),
      "日本".getBytes(StandardCharsets.UTF_8),
      "😀".getBytes(StandardCharsets.UTF_8),
      "\uFFFF".getBytes(StandardCharsets.UTF_8),
      new String(Character.toChars(0x10FFFF)).getBytes(StandardCharsets.UTF_8),
      {(byte) 0x80},
      {(byte) 0xC0, (byte) 0x80},
      {(byte) 0xC1, (byte) 0xBF},
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xED, (byte) 0x9F, (byte) 0xBF},
      {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xF8},
      {(byte) 0xFF},
      {(byte) 0xE2, (byte) 0x82},
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
    };
    int good = 0;
    int bad = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[0];
      for (int k = random.nextInt(6); k >= 0; k--) {
        byte[] p =
            random.nextInt(4) == 0
                ? new byte[] {(byte) random.nextInt(256)}
                : pieces[random.nextInt(pieces.length)];
        byte[] longer = Arrays.copyOf(b, b.length + p.length);
        System.arraycopy(p, 0, longer, b.length, p.length);
        b = longer;
      }
      String expected = new String(b, StandardCharsets.UTF_8);
      boolean wellFormed = Arrays.equals(expected.getBytes(StandardCharsets.UTF_8), b);
      char[] out = new char[b.length + 1];
      // At an offset, as a slice of a received array.
      byte[] framed = new byte[b.length + 2];
      System.arraycopy(b, 0, framed, 1, b.length);
      int n = Utf8Text.decode(framed, 1, b.length, out);
      if (wellFormed) {
        assertThat(n).as("%s", Arrays.toString(b)).isEqualTo(expected.length());
        assertThat(new String(out, 0, n)).isEqualTo(expected);
        good++;
      } else {
        assertThat(n).as("%s", Arrays.toString(b)).isEqualTo(-1);
        bad++;
      }
    }
    assertThat(good).isGreaterThan(2_000);
    assertThat(bad).isGreaterThan(2_000);
  }

  @Test
  void readsSlicesRopesAndLargeValuesAndReusesItsBuffer() {
    String text = "ünïcödé 😀 mail me: jane@example.com ";
    Utf8Text t = Utf8Text.get();
    ByteString whole = ByteString.copyFromUtf8(text);
    ByteString slice = ByteString.copyFromUtf8("xx" + text + "yy").substring(2, 2 + whole.size());
    // A rope cut inside the emoji.
    int cut = whole.size() / 2 - 9;
    ByteString rope = whole.substring(0, cut).concat(whole.substring(cut));
    for (ByteString s : new ByteString[] {whole, slice, rope, ByteString.EMPTY}) {
      assertThat(t.decode(s)).isTrue();
      assertThat(t.string()).isEqualTo(s.toStringUtf8());
    }
    char[] buffer = t.chars();
    assertThat(t.decode(whole)).isTrue();
    assertThat(t.chars()).isSameAs(buffer);

    String large = text.repeat(10_000);
    assertThat(t.decode(ByteString.copyFromUtf8(large))).isTrue();
    assertThat(t.string()).isEqualTo(large);
    // Too large to keep: the next small value gets a small buffer again.
    assertThat(t.decode(whole)).isTrue();
    assertThat(t.chars().length).isLessThanOrEqualTo(1 << 17);
    assertThat(t.string()).isEqualTo(text);
  }
}
