package io.loadchaos.refcluster.lp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The points a request body produced, each with its 1-based line number, plus the rejected lines. */
public final class ParseResult {
  private final List<Point> points = new ArrayList<>();
  private int[] lineNumbers = new int[16];
  private int[] lineStarts = new int[16];
  private int[] lineEnds = new int[16];
  private byte[] body = new byte[0];
  private final List<LineError> errors = new ArrayList<>();
  private int nonEmptyLines;

  void body(byte[] body) {
    this.body = body;
  }

  /** UTF-8 text of {@code b[from,to)}, at most {@code maxChars} characters. */
  static String text(byte[] b, int from, int to, int maxChars) {
    // a character takes at most 4 bytes: 4 * maxChars bytes hold at least maxChars characters
    String s = new String(b, from, Math.min(to - from, 4 * maxChars), StandardCharsets.UTF_8);
    return s.length() > maxChars ? s.substring(0, maxChars) : s;
  }

  void addPoint(Point p, int lineNumber, int start, int end) {
    int n = points.size();
    if (n == lineNumbers.length) {
      lineNumbers = Arrays.copyOf(lineNumbers, n * 2);
      lineStarts = Arrays.copyOf(lineStarts, n * 2);
      lineEnds = Arrays.copyOf(lineEnds, n * 2);
    }
    lineNumbers[n] = lineNumber;
    lineStarts[n] = start;
    lineEnds[n] = end;
    points.add(p);
  }

  /** The request's text of the line a point came from. */
  public String lineText(int pointIndex) {
    return text(body, lineStarts[pointIndex], lineEnds[pointIndex], 1024);
  }

  void addError(LineError e) {
    errors.add(e);
  }

  void countLine() {
    nonEmptyLines++;
  }

  public List<Point> points() {
    return points;
  }

  public int lineNumberOf(int pointIndex) {
    return lineNumbers[pointIndex];
  }

  public List<LineError> errors() {
    return errors;
  }

  /** Lines that were neither blank nor comments. */
  public int nonEmptyLines() {
    return nonEmptyLines;
  }
}
