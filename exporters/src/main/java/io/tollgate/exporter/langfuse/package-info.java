/** The {@code langfuse} exporter: a preset of OTLP/HTTP for Langfuse (cloud or self-hosted). */
package io.tollgate.exporter.langfuse;
