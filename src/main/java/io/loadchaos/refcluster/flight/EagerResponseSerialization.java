package io.loadchaos.refcluster.flight;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serializes every response message at the moment the service sends it. Arrow Flight releases a
 * record batch's buffers right after {@code onNext}, which is fine on grpc-java (it serializes
 * inside {@code sendMessage}) but not on Armeria, which serializes later on its event loop.
 */
final class EagerResponseSerialization {
  private EagerResponseSerialization() {}

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static ServerServiceDefinition wrap(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      add(b, m);
    }
    return b.build();
  }

  private static <Req, Resp> void add(ServerServiceDefinition.Builder b, ServerMethodDefinition<Req, Resp> m) {
    MethodDescriptor<Req, Resp> original = m.getMethodDescriptor();
    MethodDescriptor<Req, byte[]> bytes = original.toBuilder(original.getRequestMarshaller(), BYTES).build();
    ServerCallHandler<Req, Resp> handler = m.getServerCallHandler();
    b.addMethod(bytes, (call, headers) -> handler.startCall(new Serializing<>(call, original), headers));
  }

  /** Presents the byte[] call to the original handler as a call of its own response type. */
  private static final class Serializing<Req, Resp> extends ServerCall<Req, Resp> {
    private final ServerCall<Req, byte[]> delegate;
    private final MethodDescriptor<Req, Resp> original;

    Serializing(ServerCall<Req, byte[]> delegate, MethodDescriptor<Req, Resp> original) {
      this.delegate = delegate;
      this.original = original;
    }

    @Override
    public void sendMessage(Resp message) {
      try (InputStream in = original.streamResponse(message)) {
        delegate.sendMessage(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void request(int numMessages) {
      delegate.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      delegate.sendHeaders(headers);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      delegate.close(status, trailers);
    }

    @Override
    public boolean isCancelled() {
      return delegate.isCancelled();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      delegate.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      delegate.setCompression(compressor);
    }

    @Override
    public Attributes getAttributes() {
      return delegate.getAttributes();
    }

    @Override
    public String getAuthority() {
      return delegate.getAuthority();
    }

    @Override
    public MethodDescriptor<Req, Resp> getMethodDescriptor() {
      return original;
    }
  }
}
