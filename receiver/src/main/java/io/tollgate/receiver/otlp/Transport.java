package io.tollgate.receiver.otlp;

/** How a request arrived; the {@code transport} label of the receiver's metrics. */
enum Transport {
  GRPC("grpc"),
  HTTP("http");

  private final String label;

  Transport(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
