/**
 * The {@code health_check} extension: 200 when every pipeline runs, 503 while starting or
 * stopping. See {@code docs/components/health_check.md}.
 */
package io.tollgate.extension.healthcheck;
