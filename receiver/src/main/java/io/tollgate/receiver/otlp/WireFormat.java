package io.tollgate.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.RetryInfo;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tollgate.core.otlp.OtlpJson;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The two OTLP/HTTP encodings. An answer is written in the encoding of its request. */
enum WireFormat {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private static final JsonFormat.Printer STATUS_PRINTER =
      JsonFormat.printer()
          .omittingInsignificantWhitespace()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder().add(RetryInfo.getDescriptor()).build());

  private final String mediaType;

  WireFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  String mediaType() {
    return mediaType;
  }

  /**
   * The format named by a {@code Content-Type} header, ignoring parameters such as {@code charset};
   * {@code null} when it is neither OTLP encoding.
   */
  static WireFormat fromContentType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    String type =
        (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    switch (type) {
      case "application/x-protobuf":
        return PROTOBUF;
      case "application/json":
        return JSON;
      default:
        return null;
    }
  }

  byte[] encode(ExportTraceServiceResponse response) {
    return this == PROTOBUF
        ? response.toByteArray()
        : OtlpJson.encodeResponse(response).getBytes(StandardCharsets.UTF_8);
  }

  /** A {@code google.rpc.Status} (or another message whose Any details we know) as a body. */
  byte[] encode(com.google.rpc.Status status) {
    if (this == PROTOBUF) {
      return status.toByteArray();
    }
    return printJson(status).getBytes(StandardCharsets.UTF_8);
  }

  private static String printJson(Message m) {
    try {
      return STATUS_PRINTER.print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getDescriptorForType().getName(), e);
    }
  }
}
