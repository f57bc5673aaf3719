package io.sluice.render.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a Kustomization's {@code spec.path} inside an unpacked artifact as Flux does: with kustomize where the
 * directory has a kustomization file, otherwise from every YAML file below it (a subdirectory with its own
 * kustomization file counts as one kustomize base).
 */
public final class ManifestBuilder {
    private static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private final KustomizeRunner kustomize;

    public ManifestBuilder(KustomizeRunner kustomize) {
        this.kustomize = kustomize;
    }

    public List<Map<String, Object>> build(Path artifactRoot, String path) throws BuildException {
        Path root;
        Path dir;
        try {
            root = artifactRoot.toRealPath();
            Path wanted = root.resolve(path == null || path.isBlank() ? "." : stripLeadingSlash(path)).normalize();
            if (!wanted.startsWith(root) || (Files.exists(wanted) && !wanted.toRealPath().startsWith(root))) {
                throw new BuildException("path '" + path + "' points outside the artifact root");
            }
            if (!Files.isDirectory(wanted)) {
                throw new BuildException("path '" + path + "' not found in the artifact");
            }
            dir = wanted.toRealPath();
        } catch (IOException e) {
            throw new BuildException("cannot read path '" + path + "': " + e.getMessage(), e);
        }
        if (hasKustomizationFile(dir)) {
            return YamlDocuments.objects(kustomize.build(dir), "kustomize build of '" + path + "'");
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        collect(root, dir, objects);
        return objects;
    }

    private void collect(Path root, Path dir, List<Map<String, Object>> objects) throws BuildException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted().toList();
        } catch (IOException e) {
            throw new BuildException(root.relativize(dir) + ": " + e.getMessage(), e);
        }
        for (Path entry : entries) {
            String relative = root.relativize(entry).toString();
            if (Files.isDirectory(entry)) {
                if (entry.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (hasKustomizationFile(entry)) {
                    objects.addAll(YamlDocuments.objects(kustomize.build(entry), "kustomize build of '" + relative + "'"));
                } else {
                    collect(root, entry, objects);
                }
            } else if (relative.endsWith(".yaml") || relative.endsWith(".yml")) {
                try {
                    if (!entry.toRealPath().startsWith(root)) {
                        throw new BuildException(relative + ": symlink points outside the artifact root");
                    }
                    objects.addAll(YamlDocuments.objects(Files.readString(entry, StandardCharsets.UTF_8), relative));
                } catch (IOException e) {
                    throw new BuildException(relative + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static boolean hasKustomizationFile(Path dir) {
        return KUSTOMIZATION_FILES.stream().anyMatch(name -> Files.isRegularFile(dir.resolve(name)));
    }

    private static String stripLeadingSlash(String path) {
        return path.startsWith("/") ? "." + path : path;
    }
}
