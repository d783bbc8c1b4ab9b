package io.loadchaos.report;

/** HTML escaping for text and attribute values (the report embeds names and examples from the cluster). */
final class Html {
  private Html() {}

  static String esc(Object o) {
    String s = o == null ? "" : o.toString();
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> {
          // control characters other than tab/newline are not allowed in HTML text
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') sb.append("\\u").append(String.format("%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.toString();
  }
}
