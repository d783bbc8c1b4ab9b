package io.loadchaos.objectstore;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** AWS SDK v2 clients for an S3-compatible endpoint (ours or the user's). */
public final class S3Clients {
  private S3Clients() {}

  /**
   * A client for {@code endpoint}: path-style addressing (an endpoint on 127.0.0.1 has no bucket
   * subdomains), checksums only where the API requires them (S3-compatible servers often lack the
   * newer trailing-checksum uploads), a fixed region (signatures need one, the server ignores it).
   */
  public static S3Client create(URI endpoint, S3Credentials credentials) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(credentials.accessKey(), credentials.secretKey())))
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(60)).build())
        .build();
  }
}
