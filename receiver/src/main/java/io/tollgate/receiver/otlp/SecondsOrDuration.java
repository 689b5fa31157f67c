package io.tollgate.receiver.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.tollgate.core.component.Durations;
import java.io.IOException;
import java.time.Duration;

/**
 * A duration written as whole seconds, as the collector's {@code cors.max_age} is ({@code 7200}),
 * or with a unit ({@code 2h}). Printed back as seconds so that the collector reads it too.
 */
final class SecondsOrDuration {

  private SecondsOrDuration() {}

  static final class Deserializer extends StdDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    Deserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT) {
        return Duration.ofSeconds(p.getLongValue());
      }
      if (t == JsonToken.VALUE_STRING) {
        String text = p.getText().trim();
        try {
          if (text.matches("-?\\d+")) {
            return Duration.ofSeconds(Long.parseLong(text));
          }
          return Durations.parse(text);
        } catch (IllegalArgumentException e) {
          return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, e.getMessage());
        }
      }
      return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
    }
  }

  static final class Serializer extends StdSerializer<Duration> {
    private static final long serialVersionUID = 1L;

    Serializer() {
      super(Duration.class);
    }

    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeNumber(value.getSeconds());
    }
  }
}
