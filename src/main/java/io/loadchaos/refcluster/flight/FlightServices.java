package io.loadchaos.refcluster.flight;

import io.grpc.ServerServiceDefinition;
import io.loadchaos.refcluster.sql.QueryEngine;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.flight.auth.ServerAuthHandler;
import org.apache.arrow.memory.BufferAllocator;

/** The Arrow Flight gRPC service a node hosts on its HTTP port. */
public final class FlightServices {
  private FlightServices() {}

  public static ServerServiceDefinition sqlService(BufferAllocator allocator, QueryEngine engine, ExecutorService executor) {
    var flight = FlightGrpcUtils.createFlightService(allocator, new SqlFlightProducer(allocator, engine), ServerAuthHandler.NO_OP, executor);
    return EagerResponseSerialization.wrap(flight.bindService());
  }
}
