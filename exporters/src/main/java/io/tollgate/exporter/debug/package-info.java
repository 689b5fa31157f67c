/** The {@code debug} exporter: one readable line per span on stdout. */
package io.tollgate.exporter.debug;
