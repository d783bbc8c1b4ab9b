package io.loadchaos.datagen;

/** Receives generated points; the point is a reused flyweight, so copy what you keep. */
@FunctionalInterface
public interface PointVisitor {
  void visit(GeneratedPoint p);
}
