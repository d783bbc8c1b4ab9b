# The Toxiproxy-compatible fault proxy (same app jar as the node). Base: see node.Dockerfile.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
COPY lib /app/lib
COPY loadchaos.jar /app/loadchaos.jar
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/loadchaos.jar"]
CMD ["faultproxy", "--api", "0.0.0.0:8474"]
EXPOSE 8474
