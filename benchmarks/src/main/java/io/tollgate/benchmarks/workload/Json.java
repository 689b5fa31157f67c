package io.tollgate.benchmarks.workload;

/** The one JSON helper the generator needs: string escaping. */
final class Json {

  private Json() {}

  static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = null;
      if (c == '"') {
        rep = "\\\"";
      } else if (c == '\\') {
        rep = "\\\\";
      } else if (c == '\n') {
        rep = "\\n";
      } else if (c < 0x20) {
        rep = String.format("\\u%04x", (int) c);
      }
      if (rep != null) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        sb.append(rep);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
