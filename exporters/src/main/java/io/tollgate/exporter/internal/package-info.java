/**
 * Code shared by the exporters of this module: TLS contexts, header checks, preset helpers. This
 * package is internal: not an API, it may change at any time.
 */
package io.tollgate.exporter.internal;
