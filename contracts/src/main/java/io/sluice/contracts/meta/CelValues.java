package io.sluice.contracts.meta;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes object read as JSON, as CEL reads it (Flux's readiness expressions): whole numbers
 * as CEL ints (Java longs), other values as they are.
 */
public final class CelValues {
    private CelValues() {}

    public static Object of(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> converted = new HashMap<>();
            map.forEach((k, v) -> converted.put(String.valueOf(k), of(v)));
            return converted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CelValues::of).toList();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }
}
