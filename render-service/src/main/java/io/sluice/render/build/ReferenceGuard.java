package io.sluice.render.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Refuses, before kustomize runs, any kustomization file the build reaches (the built directory's,
 * then those of the directories it names, transitively) that names something outside the artifact:
 * an absolute path, a path that climbs out of the root, or a remote base (render has no network, as
 * Flux has none for remote bases by default). Kustomization files elsewhere in the artifact are
 * none of this build's business.
 */
final class ReferenceGuard {
    private static final List<String> PATH_LISTS =
            List.of(
                    "resources",
                    "bases",
                    "components",
                    "crds",
                    "configurations",
                    "patchesStrategicMerge",
                    "transformers",
                    "generators",
                    "validators");
    private static final List<String> OBJECT_LISTS_WITH_PATH =
            List.of("patches", "patchesJson6902");
    private static final List<String> GENERATORS = List.of("configMapGenerator", "secretGenerator");

    private ReferenceGuard() {}

    static void check(Path root, Path dir) throws BuildException {
        Set<Path> visited = new HashSet<>();
        Deque<Path> pending = new ArrayDeque<>(List.of(dir));
        while (!pending.isEmpty()) {
            Path file = KustomizationFileWriter.existingFile(pending.pop());
            if (file != null && visited.add(file)) {
                for (Path target : checkFile(root, file)) {
                    if (Files.isDirectory(target)) {
                        pending.push(target);
                    }
                }
            }
        }
    }

    /** Checks one kustomization file; returns the paths it names, all inside the artifact. */
    @SuppressWarnings("unchecked")
    private static List<Path> checkFile(Path root, Path file) throws BuildException {
        String relative = root.relativize(file).toString();
        Object loaded;
        try {
            loaded =
                    new Load(LoadSettings.builder().setLabel(relative).build())
                            .loadFromString(Files.readString(file));
        } catch (IOException | YamlEngineException e) {
            throw new BuildException(relative + ": " + e.getMessage(), e);
        }
        if (!(loaded instanceof Map<?, ?> kustomization)) {
            return List.of();
        }
        List<String> references = new ArrayList<>();
        for (String field : PATH_LISTS) {
            if (kustomization.get(field) instanceof List<?> list) {
                list.stream()
                        .filter(String.class::isInstance)
                        .map(String.class::cast)
                        .filter(entry -> !entry.contains("\n")) // an inline patch, not a path
                        .forEach(references::add);
            }
        }
        for (String field : OBJECT_LISTS_WITH_PATH) {
            if (kustomization.get(field) instanceof List<?> list) {
                list.stream()
                        .filter(Map.class::isInstance)
                        .map(m -> ((Map<String, Object>) m).get("path"))
                        .filter(String.class::isInstance)
                        .map(String.class::cast)
                        .forEach(references::add);
            }
        }
        for (String field : GENERATORS) {
            if (kustomization.get(field) instanceof List<?> list) {
                for (Object generator : list) {
                    if (generator instanceof Map<?, ?> g) {
                        for (String key : List.of("files", "envs")) {
                            if (g.get(key) instanceof List<?> sources) {
                                sources.stream()
                                        .filter(String.class::isInstance)
                                        .map(String.class::cast)
                                        .map(
                                                source ->
                                                        source.contains("=")
                                                                ? source.substring(
                                                                        source.indexOf('=') + 1)
                                                                : source)
                                        .forEach(references::add);
                            }
                        }
                        if (g.get("env") instanceof String env) {
                            references.add(env);
                        }
                    }
                }
            }
        }
        List<Path> targets = new ArrayList<>();
        for (String reference : references) {
            targets.add(refuseOutside(root, file, relative, reference));
        }
        return targets;
    }

    private static Path refuseOutside(Path root, Path file, String relative, String reference)
            throws BuildException {
        if (reference.contains("://")
                || reference.startsWith("github.com/")
                || reference.startsWith("git@")) {
            throw new BuildException(
                    relative + ": remote reference '" + reference + "' is not allowed");
        }
        Path target = file.getParent().resolve(reference).normalize();
        if (Path.of(reference).isAbsolute() || !target.startsWith(root)) {
            throw new BuildException(
                    relative + ": '" + reference + "' points outside the artifact root");
        }
        try {
            if (Files.exists(target) && !target.toRealPath().startsWith(root)) {
                throw new BuildException(
                        relative
                                + ": '"
                                + reference
                                + "' is a symlink that points outside the artifact root");
            }
        } catch (IOException e) {
            throw new BuildException(relative + ": " + e.getMessage(), e);
        }
        return target;
    }
}
