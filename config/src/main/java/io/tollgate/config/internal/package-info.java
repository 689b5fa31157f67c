/**
 * Internal to the config module (YAML reading, merging, environment expansion, shape checks,
 * masking). Not API: may change without notice.
 */
package io.tollgate.config.internal;
