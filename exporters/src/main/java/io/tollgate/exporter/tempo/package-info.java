/** The {@code tempo} exporter: a preset of OTLP for Grafana Tempo, with its tenant header. */
package io.tollgate.exporter.tempo;
