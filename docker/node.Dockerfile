# A loadchaos reference-cluster node. The base defaults to a public JRE image; docker/build-images.sh
# passes the locally built minimal base (loadchaos-jre) instead, so no registry is needed.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
COPY lib /app/lib
COPY loadchaos.jar /app/loadchaos.jar
# Arrow (Flight) needs java.nio opened; a full heap must end the node, not leave it half alive.
ENTRYPOINT ["java", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/loadchaos.jar"]
CMD ["node", "--id", "1", "--http", "0.0.0.0:8181", "--data-dir", "/data"]
EXPOSE 8181
VOLUME ["/data"]
