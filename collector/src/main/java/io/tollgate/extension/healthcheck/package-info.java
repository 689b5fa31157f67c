/**
 * The {@code health_check} extension: 200 when every pipeline runs, 503 while starting or
 * stopping. See the README section `health_check`.
 */
package io.tollgate.extension.healthcheck;
