/** Internal to the collector module (addresses, the small HTTP server). Not API. */
package io.tollgate.collector.internal;
