/** The {@code otlp_grpc} exporter (alias {@code otlp}): OTLP over gRPC with grpc-java on Netty. */
package io.tollgate.exporter.otlpgrpc;
