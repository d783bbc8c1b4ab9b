package io.loadchaos.refcluster.lp;

import java.util.ArrayList;
import java.util.List;

/** The points a request body produced, each with its 1-based line number, plus the rejected lines. */
public final class ParseResult {
  private final List<Point> points = new ArrayList<>();
  private int[] lineNumbers = new int[16];
  private int[] lineStarts = new int[16];
  private int[] lineEnds = new int[16];
  private String body = "";
  private final List<LineError> errors = new ArrayList<>();
  private int nonEmptyLines;

  void body(String body) {
    this.body = body;
  }

  void addPoint(Point p, int lineNumber, int start, int end) {
    int n = points.size();
    if (n == lineNumbers.length) {
      lineNumbers = java.util.Arrays.copyOf(lineNumbers, n * 2);
      lineStarts = java.util.Arrays.copyOf(lineStarts, n * 2);
      lineEnds = java.util.Arrays.copyOf(lineEnds, n * 2);
    }
    lineNumbers[n] = lineNumber;
    lineStarts[n] = start;
    lineEnds[n] = end;
    points.add(p);
  }

  /** The request's text of the line a point came from. */
  public String lineText(int pointIndex) {
    return body.substring(lineStarts[pointIndex], Math.min(lineEnds[pointIndex], lineStarts[pointIndex] + 1024));
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
