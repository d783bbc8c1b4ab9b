package io.loadchaos.refcluster.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** JSON responses; errors are always {@code {"error": "..."}} as in InfluxDB 3. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static HttpResponse ok(Object body) {
    return of(HttpStatus.OK, body);
  }

  static HttpResponse of(HttpStatus status, Object body) {
    try {
      return HttpResponse.of(status, MediaType.JSON_UTF_8, MAPPER.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpResponse error(int status, String message) {
    return of(HttpStatus.valueOf(status), Map.of("error", message));
  }
}
