package io.loadchaos.report;

import io.loadchaos.check.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** verdicts.xml: one JUnit test case per verdict, so CI systems list them. */
public final class JUnitXml {
  public static final String FILE = "verdicts.xml";

  private JUnitXml() {}

  public static Path write(Path runDir, RunResult r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
      long failures = r.verdicts().stream().filter(v -> v.status() == Verdict.Status.FAIL).count();
      long errors = r.verdicts().stream().filter(v -> v.status() == Verdict.Status.UNKNOWN).count();
      long skipped = r.verdicts().stream().filter(v -> v.status() == Verdict.Status.SKIPPED).count();
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement("testsuite");
      w.writeAttribute("name", "loadchaos." + r.simulation());
      w.writeAttribute("tests", Integer.toString(r.verdicts().size()));
      w.writeAttribute("failures", Long.toString(failures));
      w.writeAttribute("errors", Long.toString(errors));
      w.writeAttribute("skipped", Long.toString(skipped));
      w.writeAttribute("time", String.format(Locale.ROOT, "%.3f", r.durationSeconds()));
      w.writeAttribute("timestamp", r.startedAt());
      for (Verdict v : r.verdicts()) {
        w.writeStartElement("testcase");
        w.writeAttribute("classname", "loadchaos." + r.simulation());
        w.writeAttribute("name", v.name());
        String msg = "measured " + v.measured() + (v.threshold().isEmpty() ? "" : ", required " + v.threshold());
        switch (v.status()) {
          case FAIL -> element(w, "failure", msg, details(v));
          case UNKNOWN -> element(w, "error", "unknown: " + v.detail(), details(v));
          case SKIPPED -> element(w, "skipped", v.detail(), null);
          case PASS -> {
            w.writeStartElement("system-out");
            w.writeCharacters(msg + "\n" + v.detail());
            w.writeEndElement();
          }
        }
        w.writeEndElement();
      }
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IOException("could not write " + FILE, e);
    }
    Path file = runDir.resolve(FILE);
    ResultsJson.writeAtomically(file, out.toByteArray());
    return file;
  }

  private static void element(XMLStreamWriter w, String name, String message, String text) throws XMLStreamException {
    w.writeStartElement(name);
    w.writeAttribute("message", message);
    if (text != null) w.writeCharacters(text);
    w.writeEndElement();
  }

  private static String details(Verdict v) {
    StringBuilder sb = new StringBuilder(v.detail());
    v.examples().forEach((k, list) -> {
      sb.append("\n").append(k).append(":");
      list.forEach(e -> sb.append("\n  ").append(e));
    });
    return sb.toString();
  }
}
