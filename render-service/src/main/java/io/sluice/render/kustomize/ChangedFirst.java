package io.sluice.render.kustomize;

import io.sluice.contracts.kustomize.Kustomization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The order in which a new artifact's Kustomizations render: first, on their own (for a few seconds
 * at most), those whose {@code spec.path} holds a file the commit changed (source-service names
 * them); then the rest. So a commit to one app of many is rendered, applied and judged first, with
 * the machine to itself, instead of somewhere in a queue of a thousand renders that change nothing
 * (and while every render lane unpacks the new artifact). Every one of them renders either way: the
 * order is all this decides. When the changed files are not known, all render together.
 */
record ChangedFirst(List<Kustomization> first, List<Kustomization> then) {

    static ChangedFirst of(List<Kustomization> readers, List<String> changedPaths) {
        if (changedPaths == null) {
            return new ChangedFirst(readers, List.of());
        }
        Map<Boolean, List<Kustomization>> changed =
                readers.stream()
                        .collect(
                                Collectors.partitioningBy(
                                        ks -> holdsAny(ks.getSpec().path, changedPaths)));
        return new ChangedFirst(changed.get(true), changed.get(false));
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
