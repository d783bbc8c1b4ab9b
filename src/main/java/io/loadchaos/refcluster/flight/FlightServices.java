package io.loadchaos.refcluster.flight;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.loadchaos.refcluster.http.HttpApi;
import io.loadchaos.refcluster.influxql.InfluxQlPlanner;
import io.loadchaos.refcluster.sql.QueryEngine;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.flight.auth.ServerAuthHandler;
import org.apache.arrow.memory.BufferAllocator;

/** The Arrow Flight gRPC service a node hosts on its HTTP port. */
public final class FlightServices {
  private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private FlightServices() {}

  /** Flight over {@code engine}; with a non-null {@code token} every call must carry it (else UNAUTHENTICATED). */
  public static ServerServiceDefinition sqlService(BufferAllocator allocator, QueryEngine engine, InfluxQlPlanner influxql,
      ExecutorService executor, String token) {
    var producer = new SqlFlightProducer(allocator, engine, influxql);
    var flight = FlightGrpcUtils.createFlightService(allocator, producer, ServerAuthHandler.NO_OP, executor);
    ServerServiceDefinition def = EagerResponseSerialization.wrap(flight.bindService());
    return token == null ? def : ServerInterceptors.intercept(def, new TokenCheck(token));
  }

  /** Rejects calls without the bearer token before they reach Flight. */
  private static final class TokenCheck implements ServerInterceptor {
    private final String token;

    TokenCheck(String token) {
      this.token = token;
    }

    @Override
    public <Req, Resp> ServerCall.Listener<Req> interceptCall(ServerCall<Req, Resp> call, Metadata headers, ServerCallHandler<Req, Resp> next) {
      if (!HttpApi.tokenMatches(headers.get(AUTHORIZATION), token)) {
        call.close(Status.UNAUTHENTICATED.withDescription("missing or invalid token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
