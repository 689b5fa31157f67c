/**
 * Loads a collector-style YAML configuration ({@link io.tollgate.config.ConfigLoader}), resolves
 * component types through {@link io.tollgate.config.Components}, and builds the running graph
 * ({@link io.tollgate.config.ServiceAssembler}). See the README section "Configuration".
 */
package io.tollgate.config;
