/** The {@code anyway} exporter: a preset of OTLP/HTTP for the Anyway backend. */
package io.tollgate.exporter.anyway;
