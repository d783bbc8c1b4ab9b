package io.loadchaos.refcluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.MediaType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A large internal body goes out in bounded chunks that add up to exactly the body. */
class ChunkedBodyTest {

  @Test
  void aBodyIsSentInChunksOfAtMostTheChunkSizeThatAddUpToIt() {
    byte[] body = new byte[2 * HttpApi.BODY_CHUNK + 1234];
    new Random(7).nextBytes(body);
    List<HttpObject> parts = HttpApi.chunked(MediaType.PLAIN_TEXT_UTF_8, body).collect().join();
    List<HttpData> data = parts.stream().filter(HttpData.class::isInstance).map(HttpData.class::cast).toList();
    assertThat(data).hasSize(3).allSatisfy(d -> assertThat(d.length()).isLessThanOrEqualTo(HttpApi.BODY_CHUNK));
    AggregatedHttpResponse whole = HttpApi.chunked(MediaType.PLAIN_TEXT_UTF_8, body).aggregate().join();
    assertThat(whole.status().code()).isEqualTo(200);
    assertThat(whole.content().array()).isEqualTo(body);
    assertThat(HttpApi.chunked(MediaType.PLAIN_TEXT_UTF_8, new byte[0]).aggregate().join().content().isEmpty()).isTrue();
  }
}
