package io.sluice.apply.drift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The field paths where a live object differs from what applying Git's version would make of it.
 */
final class DriftDiff {
    private static final int LIMIT = 10;
    private static final Set<String> IGNORED =
            Set.of(
                    "status",
                    "metadata.managedFields",
                    "metadata.resourceVersion",
                    "metadata.generation");

    private DriftDiff() {}

    static List<String> paths(Object live, Object desired) {
        List<String> paths = new ArrayList<>();
        walk("", live, desired, paths);
        return paths;
    }

    private static void walk(String path, Object live, Object desired, List<String> paths) {
        if (paths.size() >= LIMIT || IGNORED.contains(path)) {
            return;
        }
        if (live instanceof Map<?, ?> l && desired instanceof Map<?, ?> d) {
            Set<Object> keys = new TreeSet<>(Comparator.comparing(Object::toString));
            keys.addAll(l.keySet());
            keys.addAll(d.keySet());
            for (Object key : keys) {
                walk(
                        path.isEmpty() ? key.toString() : path + "." + key,
                        l.get(key),
                        d.get(key),
                        paths);
            }
        } else if (live instanceof List<?> l
                && desired instanceof List<?> d
                && l.size() == d.size()) {
            for (int i = 0; i < l.size(); i++) {
                walk(path + "[" + i + "]", l.get(i), d.get(i), paths);
            }
        } else if (!Objects.equals(live, desired)) {
            paths.add(path);
        }
    }
}
