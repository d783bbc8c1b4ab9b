package io.loadchaos.datagen;

/** Checks shared by every name and literal value that ends up in line protocol. */
final class Names {
  private Names() {}

  /** Table, tag and field names: non-empty, no newline, no backslash (escaping stays unambiguous). */
  static String checkName(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new DatasetSpecException(what + ": name is required (a non-empty string)");
    }
    checkText(what + " name '" + name + "'", name);
    if (name.startsWith("#")) {
      throw new DatasetSpecException(what + " name '" + name + "' must not start with '#'");
    }
    return name;
  }

  /** Literal values: no newline and no backslash (tag values cannot end a line or escape). */
  static void checkText(String what, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        throw new DatasetSpecException(what + " must not contain a newline");
      }
      if (c == '\\') {
        throw new DatasetSpecException(what + " must not contain a backslash");
      }
    }
  }
}
