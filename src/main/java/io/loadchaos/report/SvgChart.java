package io.loadchaos.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small inline-SVG line chart: numeric x axis, one or two y axes, shaded bands for fault and
 * recovery windows. Drawn on the server so the report needs no chart library and no network.
 */
final class SvgChart {
  static final int WIDTH = 960;
  static final int HEIGHT = 240;
  private static final int LEFT = 64;
  private static final int RIGHT = 64;
  private static final int TOP = 24;
  private static final int BOTTOM = 36;

  record Series(String name, String color, double[] x, double[] y, boolean rightAxis, boolean markers) {}

  record Band(double from, double to, String label, String cssClass) {}

  private final String id;
  private final String title;
  private final String xLabel;
  private final String yLabel;
  private String yRightLabel = "";
  private final List<Series> series = new ArrayList<>();
  private final List<Band> bands = new ArrayList<>();
  private double xShift;
  private Double xMin;
  private Double xMax;

  SvgChart(String id, String title, String xLabel, String yLabel) {
    this.id = id;
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  SvgChart rightAxis(String label) {
    this.yRightLabel = label;
    return this;
  }

  SvgChart xRange(double min, double max) {
    this.xMin = min;
    this.xMax = max;
    return this;
  }

  /** Draws every point this much to the right: per-second buckets sit in the middle of their second. */
  SvgChart xShift(double shift) {
    this.xShift = shift;
    return this;
  }

  SvgChart add(Series s) {
    series.add(s);
    return this;
  }

  SvgChart band(Band b) {
    bands.add(b);
    return this;
  }

  String id() {
    return id;
  }

  /** What the hover readout shows: the first series' x values and every series' y values. */
  Map<String, Object> readoutData() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("xLabel", xLabel);
    m.put("x", series.isEmpty() ? new double[0] : series.get(0).x());
    Map<String, double[]> ys = new LinkedHashMap<>();
    for (Series s : series) ys.put(s.name(), s.y());
    m.put("y", ys);
    return m;
  }

  String render() {
    double x0 = xMin != null ? xMin : series.stream().flatMapToDouble(s -> Arrays.stream(s.x())).min().orElse(0);
    double x1 = xMax != null ? xMax : series.stream().flatMapToDouble(s -> Arrays.stream(s.x())).max().orElse(1);
    if (x1 <= x0) x1 = x0 + 1;
    double yl = niceCeil(maxY(false));
    double yr = niceCeil(maxY(true));
    int pw = WIDTH - LEFT - RIGHT;
    int ph = HEIGHT - TOP - BOTTOM;
    StringBuilder sb = new StringBuilder();
    sb.append("<figure class=\"chart-box\"><figcaption>").append(Html.esc(title)).append("</figcaption>");
    sb.append("<svg class=\"chart\" id=\"").append(Html.esc(id)).append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(WIDTH).append(' ').append(HEIGHT).append("\" data-x0=\"").append(num(x0)).append("\" data-x1=\"")
        .append(num(x1)).append("\" data-shift=\"").append(num(xShift)).append("\" data-left=\"").append(LEFT).append("\" data-width=\"").append(pw).append("\" role=\"img\">");
    // shaded windows under everything else
    for (Band b : bands) {
      double bx0 = Math.max(x0, b.from());
      double bx1 = Math.min(x1, b.to());
      if (bx1 <= bx0) continue;
      double px = LEFT + (bx0 - x0) / (x1 - x0) * pw;
      double pwid = Math.max(1, (bx1 - bx0) / (x1 - x0) * pw);
      sb.append("<g class=\"band ").append(Html.esc(b.cssClass())).append("\"><title>").append(Html.esc(b.label()))
          .append("</title><rect x=\"").append(num(px)).append("\" y=\"").append(TOP).append("\" width=\"").append(num(pwid))
          .append("\" height=\"").append(ph).append("\"/><text x=\"").append(num(px + 3)).append("\" y=\"").append(TOP + 12)
          .append("\">").append(Html.esc(b.label())).append("</text></g>");
    }
    // axes and grid
    sb.append("<g class=\"axis\">");
    for (int i = 0; i <= 4; i++) {
      double fy = TOP + ph - i * ph / 4.0;
      sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + pw).append("\" y1=\"").append(num(fy))
          .append("\" y2=\"").append(num(fy)).append("\"/>");
      sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(num(fy + 4)).append("\" text-anchor=\"end\">")
          .append(Html.esc(tick(yl * i / 4))).append("</text>");
      if (!yRightLabel.isEmpty()) {
        sb.append("<text x=\"").append(LEFT + pw + 6).append("\" y=\"").append(num(fy + 4)).append("\">")
            .append(Html.esc(tick(yr * i / 4))).append("</text>");
      }
    }
    double step = niceCeil((x1 - x0) / 8);
    for (double xv = Math.ceil(x0 / step) * step; xv <= x1 + step * 1e-9; xv += step) {
      double px = LEFT + (xv - x0) / (x1 - x0) * pw;
      sb.append("<text x=\"").append(num(px)).append("\" y=\"").append(TOP + ph + 16).append("\" text-anchor=\"middle\">")
          .append(Html.esc(tick(xv))).append("</text>");
    }
    sb.append("<rect class=\"frame\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(pw)
        .append("\" height=\"").append(ph).append("\"/>");
    sb.append("<text x=\"").append(LEFT + pw / 2).append("\" y=\"").append(HEIGHT - 4).append("\" text-anchor=\"middle\">")
        .append(Html.esc(xLabel)).append("</text>");
    sb.append("<text x=\"4\" y=\"").append(TOP - 8).append("\">").append(Html.esc(yLabel)).append("</text>");
    if (!yRightLabel.isEmpty()) {
      sb.append("<text x=\"").append(WIDTH - 4).append("\" y=\"").append(TOP - 8).append("\" text-anchor=\"end\">")
          .append(Html.esc(yRightLabel)).append("</text>");
    }
    sb.append("</g>");
    // series
    int legendX = LEFT + 90;
    for (Series s : series) {
      double ymax = s.rightAxis() ? yr : yl;
      StringBuilder d = new StringBuilder();
      boolean pen = false;
      StringBuilder marks = new StringBuilder();
      for (int i = 0; i < s.x().length; i++) {
        double v = s.y()[i];
        if (Double.isNaN(v)) {
          pen = false;
          continue;
        }
        double px = LEFT + (s.x()[i] + xShift - x0) / (x1 - x0) * pw;
        double py = TOP + ph - Math.min(v, ymax) / ymax * ph;
        d.append(pen ? 'L' : 'M').append(num(px)).append(',').append(num(py));
        pen = true;
        if (s.markers()) {
          marks.append("<circle cx=\"").append(num(px)).append("\" cy=\"").append(num(py)).append("\" r=\"4\" fill=\"")
              .append(s.color()).append("\"/>");
        }
      }
      if (d.length() > 0) {
        sb.append("<path class=\"series\" data-series=\"").append(Html.esc(s.name())).append("\" fill=\"none\" stroke=\"")
            .append(s.color()).append("\" stroke-width=\"1.5\" d=\"").append(d).append("\"/>");
      }
      sb.append(marks);
      sb.append("<g class=\"legend\"><rect x=\"").append(legendX).append("\" y=\"").append(TOP - 17)
          .append("\" width=\"10\" height=\"10\" fill=\"").append(s.color()).append("\"/><text x=\"").append(legendX + 14)
          .append("\" y=\"").append(TOP - 8).append("\">").append(Html.esc(s.name() + (s.rightAxis() ? " (right)" : "")))
          .append("</text></g>");
      legendX += 24 + 7 * (s.name().length() + (s.rightAxis() ? 8 : 0));
    }
    sb.append("<line class=\"cursor\" x1=\"-10\" x2=\"-10\" y1=\"").append(TOP).append("\" y2=\"").append(TOP + ph).append("\"/>");
    sb.append("</svg><div class=\"readout\" data-for=\"").append(Html.esc(id)).append("\">&#160;</div></figure>");
    return sb.toString();
  }

  private double maxY(boolean right) {
    double m = 0;
    for (Series s : series) {
      if (s.rightAxis() != right) continue;
      for (double v : s.y()) if (!Double.isNaN(v) && !Double.isInfinite(v)) m = Math.max(m, v);
    }
    return m;
  }

  /** The next 1, 2 or 5 times a power of ten at or above v (at least 1e-9 so the axis is never empty). */
  static double niceCeil(double v) {
    if (v <= 0) return 1;
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) if (m * p >= v) return m * p;
    return 10 * p;
  }

  private static String tick(double v) {
    if (v == 0) return "0";
    double a = Math.abs(v);
    if (a >= 1e6) return trim(v / 1e6) + "M";
    if (a >= 1e4) return trim(v / 1e3) + "k";
    return trim(v);
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
