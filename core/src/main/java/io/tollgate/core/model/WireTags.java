package io.tollgate.core.model;

/**
 * The tags of the trace schema's fields that {@link TracesWireScanner} and {@link WireDecoder} switch
 * on: {@code (field number << 3) | wire type}, wire type 0 varint, 1 fixed64, 2 length-delimited, 5
 * fixed32. Named by wire type and field number, since the same number means a different field in
 * each message.
 */
final class WireTags {

  static final int LEN_1 = 10;
  static final int LEN_2 = 18;
  static final int LEN_3 = 26;
  static final int LEN_4 = 34;
  static final int LEN_5 = 42;
  static final int LEN_6 = 50;
  static final int LEN_7 = 58;
  static final int LEN_9 = 74;
  static final int LEN_11 = 90;
  static final int LEN_13 = 106;
  static final int LEN_15 = 122;
  static final int VARINT_2 = 16;
  static final int VARINT_3 = 24;
  static final int VARINT_4 = 32;
  static final int VARINT_5 = 40;
  static final int VARINT_6 = 48;
  static final int VARINT_8 = 64;
  static final int VARINT_10 = 80;
  static final int VARINT_12 = 96;
  static final int VARINT_14 = 112;
  static final int FIXED64_1 = 9;
  static final int FIXED64_4 = 33;
  static final int FIXED64_7 = 57;
  static final int FIXED64_8 = 65;
  static final int FIXED32_6 = 53;
  static final int FIXED32_16 = 133;

  private WireTags() {}
}
