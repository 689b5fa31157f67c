package io.tollgate.receiver.otlp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Binds a protocol key the collector's way: present with a YAML null ({@code grpc:}) means "enabled
 * with defaults", absent means "disabled". Plain Jackson gives {@code null} for both.
 *
 * @param <T> the protocol's config record
 */
abstract class EnabledWhenPresent<T> extends StdDeserializer<T> {

  private static final long serialVersionUID = 1L;

  private final transient Supplier<T> defaults;

  EnabledWhenPresent(Class<T> type, Supplier<T> defaults) {
    super(type);
    this.defaults = defaults;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    return ctxt.readValue(p, (Class<T>) handledType());
  }

  /** {@code grpc:} with no value. */
  @Override
  public T getNullValue(DeserializationContext ctxt) {
    return defaults.get();
  }

  /** No {@code grpc} key at all. */
  @Override
  public Object getAbsentValue(DeserializationContext ctxt) {
    return null;
  }

  static final class GrpcKey extends EnabledWhenPresent<OtlpReceiverConfig.Grpc> {
    private static final long serialVersionUID = 1L;

    GrpcKey() {
      super(OtlpReceiverConfig.Grpc.class, OtlpReceiverConfig.Grpc::defaults);
    }
  }

  static final class HttpKey extends EnabledWhenPresent<OtlpReceiverConfig.Http> {
    private static final long serialVersionUID = 1L;

    HttpKey() {
      super(OtlpReceiverConfig.Http.class, OtlpReceiverConfig.Http::defaults);
    }
  }
}
