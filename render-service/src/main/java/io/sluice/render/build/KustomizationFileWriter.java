package io.sluice.render.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes the kustomization file Flux would build a directory with: the directory's own, or, where
 * it has none, one listing every Kubernetes YAML file below it (a subdirectory with its own
 * kustomization file is listed as one base and not descended into; YAML holding no Kubernetes
 * object, such as Helm values, is left out). The Kustomization's own fields are then written into
 * it, so the real kustomize does all the building.
 */
public final class KustomizationFileWriter {
    static final List<String> FILE_NAMES =
            List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    public void write(Path root, Path dir, FluxOverlay overlay) throws BuildException {
        Path existing = existingFile(dir);
        if (existing != null && overlay.equals(FluxOverlay.NONE)) {
            return; // the user's file as written, so kustomize's errors point at their lines
        }
        Map<String, Object> kustomization =
                existing == null ? generated(root, dir) : read(root, existing);
        apply(kustomization, overlay);
        Path target = existing == null ? dir.resolve("kustomization.yaml") : existing;
        try {
            DumpSettings settings =
                    DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
            Files.writeString(
                    target,
                    new Dump(settings, new Yaml11SafeRepresenter(settings))
                            .dumpToString(kustomization),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BuildException(
                    "cannot write " + root.relativize(target) + ": " + e.getMessage(), e);
        }
    }

    static Path existingFile(Path dir) {
        return FILE_NAMES.stream()
                .map(dir::resolve)
                .filter(Files::isRegularFile)
                .findFirst()
                .orElse(null);
    }

    private static Map<String, Object> generated(Path root, Path dir) throws BuildException {
        Map<String, Object> kustomization = new LinkedHashMap<>();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        List<String> resources = new ArrayList<>();
        scan(root, dir, dir, resources);
        kustomization.put("resources", resources);
        return kustomization;
    }

    private static void scan(Path root, Path base, Path dir, List<String> resources)
            throws BuildException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted().toList();
        } catch (IOException e) {
            throw new BuildException(root.relativize(dir) + ": " + e.getMessage(), e);
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                if (name.startsWith(".")) {
                    continue;
                }
                if (existingFile(entry) != null) {
                    resources.add(base.relativize(entry).toString());
                } else {
                    scan(root, base, entry, resources);
                }
            } else if ((name.endsWith(".yaml") || name.endsWith(".yml"))
                    && holdsObjects(root, entry)) {
                resources.add(base.relativize(entry).toString());
            }
        }
    }

    /**
     * Parses the file (so a syntax error names its file and line) and says whether it holds any
     * Kubernetes object.
     */
    private static boolean holdsObjects(Path root, Path file) throws BuildException {
        String relative = root.relativize(file).toString();
        try {
            if (!file.toRealPath().startsWith(root)) {
                throw new BuildException(relative + ": symlink points outside the artifact root");
            }
            return !YamlDocuments.objects(Files.readString(file, StandardCharsets.UTF_8), relative)
                    .isEmpty();
        } catch (IOException e) {
            throw new BuildException(relative + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path root, Path file) throws BuildException {
        String relative = root.relativize(file).toString();
        try {
            Object loaded =
                    new Load(LoadSettings.builder().setLabel(relative).build())
                            .loadFromString(Files.readString(file));
            if (loaded == null) {
                return new LinkedHashMap<>();
            }
            if (!(loaded instanceof Map<?, ?>)) {
                throw new BuildException(relative + ": not a kustomization (expected a mapping)");
            }
            return new LinkedHashMap<>((Map<String, Object>) loaded);
        } catch (IOException e) {
            throw new BuildException(relative + ": " + e.getMessage(), e);
        } catch (org.snakeyaml.engine.v2.exceptions.YamlEngineException e) {
            throw new BuildException(relative + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> kustomization, FluxOverlay overlay) {
        if (overlay.targetNamespace() != null && !overlay.targetNamespace().isEmpty()) {
            kustomization.put("namespace", overlay.targetNamespace());
        }
        if (overlay.namePrefix() != null && !overlay.namePrefix().isEmpty()) {
            kustomization.put("namePrefix", overlay.namePrefix());
        }
        if (overlay.nameSuffix() != null && !overlay.nameSuffix().isEmpty()) {
            kustomization.put("nameSuffix", overlay.nameSuffix());
        }
        if (!overlay.patches().isEmpty()) {
            List<Object> patches =
                    new ArrayList<>(
                            (List<Object>) kustomization.getOrDefault("patches", List.of()));
            patches.addAll(overlay.patches());
            kustomization.put("patches", patches);
        }
        if (!overlay.components().isEmpty()) {
            List<Object> components =
                    new ArrayList<>(
                            (List<Object>) kustomization.getOrDefault("components", List.of()));
            components.addAll(overlay.components());
            kustomization.put("components", components);
        }
        if (!overlay.images().isEmpty()) {
            List<Map<String, Object>> images =
                    new ArrayList<>(
                            (List<Map<String, Object>>)
                                    kustomization.getOrDefault("images", List.of()));
            for (Map<String, Object> image : overlay.images()) {
                int same = indexOfName(images, image.get("name"));
                if (same >= 0) {
                    images.set(same, image);
                } else {
                    images.add(image);
                }
            }
            kustomization.put("images", images);
        }
    }

    private static int indexOfName(List<Map<String, Object>> images, Object name) {
        for (int i = 0; i < images.size(); i++) {
            if (name != null && name.equals(images.get(i).get("name"))) {
                return i;
            }
        }
        return -1;
    }
}
