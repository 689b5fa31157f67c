/**
 * JMH benchmarks and the end-to-end load tool. Build with {@code ./mvnw -pl benchmarks -am package
 * -DskipTests}, run with {@code java -jar benchmarks/target/benchmarks.jar <regex> -prof gc}.
 */
package io.tollgate.benchmarks;
