package io.tollgate.processor.genainormalize;

import java.util.Map;

/**
 * One source of one target: "the value of {@code key} (in {@code dialect}) becomes {@code target}".
 *
 * @param priority lower wins among the sources of one target
 * @param field when not null, the source holds a JSON object and this field of it is read
 * @param values when not null, maps lower-cased source values to target values
 * @param hint the source only infers a value: it is never removed and never overwrites
 * @param fallback the source is used only when no other source of the target is present
 */
record Rule(
    String key,
    String target,
    Dialect dialect,
    ValueType type,
    Condition when,
    String field,
    Map<String, String> values,
    boolean hint,
    boolean fallback,
    int priority) {}
