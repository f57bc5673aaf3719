package io.sluice.render.kustomize;

import io.sluice.contracts.kustomize.Kustomization;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which a new artifact's Kustomizations render: first those whose {@code spec.path}
 * holds a file the commit changed (source-service names them), then the rest, so a commit to one
 * app of many is rendered, applied and judged first instead of somewhere in a queue of a thousand
 * renders that change nothing. Every one of them renders either way: the order is all this decides.
 */
final class ChangedFirst {
    private ChangedFirst() {}

    static List<Kustomization> order(List<Kustomization> readers, List<String> changedPaths) {
        if (changedPaths == null) {
            return readers;
        }
        return readers.stream()
                .sorted(Comparator.comparing(ks -> !holdsAny(ks.getSpec().path, changedPaths)))
                .toList();
    }

    /**
     * Whether the directory {@code path} (as spec.path writes it: {@code ./apps/web}) holds one of
     * the files.
     */
    static boolean holdsAny(String path, List<String> files) {
        String dir = Path.of("/", path == null ? "" : path).normalize().toString().substring(1);
        return dir.isEmpty()
                || files.stream().anyMatch(f -> f.equals(dir) || f.startsWith(dir + "/"));
    }
}
