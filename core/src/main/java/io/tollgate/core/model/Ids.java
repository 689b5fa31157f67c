package io.tollgate.core.model;

import com.google.protobuf.ByteString;

/** Hex encoding of trace and span ids, as OTLP/JSON and humans write them. */
public final class Ids {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  public static String toHex(ByteString bytes) {
    int n = bytes.size();
    char[] out = new char[n * 2];
    for (int i = 0; i < n; i++) {
      int b = bytes.byteAt(i) & 0xff;
      out[i * 2] = HEX[b >>> 4];
      out[i * 2 + 1] = HEX[b & 0xf];
    }
    return new String(out);
  }

  /**
   * Decodes lower- or upper-case hex.
   *
   * @throws IllegalArgumentException when the text is not hex of even length
   */
  public static ByteString fromHex(String hex) {
    int n = hex.length();
    if ((n & 1) != 0) {
      throw new IllegalArgumentException("odd-length hex id: \"" + hex + "\"");
    }
    byte[] out = new byte[n / 2];
    for (int i = 0; i < n; i += 2) {
      int hi = Character.digit(hex.charAt(i), 16);
      int lo = Character.digit(hex.charAt(i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not a hex id: \"" + hex + "\"");
      }
      out[i / 2] = (byte) ((hi << 4) | lo);
    }
    return ByteString.copyFrom(out);
  }

  /** True for a 16-byte id that is not all zeros, as the OTLP spec requires of trace ids. */
  public static boolean isValidTraceId(ByteString id) {
    return id.size() == 16 && !isAllZero(id);
  }

  /** True for an 8-byte id that is not all zeros. */
  public static boolean isValidSpanId(ByteString id) {
    return id.size() == 8 && !isAllZero(id);
  }

  private static boolean isAllZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
