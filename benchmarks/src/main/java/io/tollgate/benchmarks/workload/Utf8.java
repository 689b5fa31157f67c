package io.tollgate.benchmarks.workload;

/** UTF-8 lengths without encoding. */
final class Utf8 {

  private Utf8() {}

  static int length(CharSequence s) {
    return length(s, 0, s.length());
  }

  static int length(CharSequence s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
