/**
 * The {@code otlp_http} exporter (alias {@code otlphttp}): OTLP over HTTP, protobuf or JSON, with
 * the JDK {@link java.net.http.HttpClient}.
 */
package io.tollgate.exporter.otlphttp;
