/** The {@code jaeger} exporter: a preset of OTLP (gRPC or HTTP) for Jaeger v2. */
package io.tollgate.exporter.jaeger;
