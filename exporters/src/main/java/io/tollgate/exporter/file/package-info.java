/** The {@code file} exporter: OTLP/JSON lines in a file, with size-based rotation. */
package io.tollgate.exporter.file;
