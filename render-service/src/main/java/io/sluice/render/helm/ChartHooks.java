package io.sluice.render.helm;

import io.sluice.contracts.meta.Annotations;
import io.sluice.render.artifact.ArtifactFetcher;
import io.sluice.render.build.BuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps a chart's hooks. helm-java's template returns only the release manifest, and Helm files every object
 * annotated {@code helm.sh/hook} away from it; so the chart is unpacked (its packaged subcharts too) and the annotation
 * is renamed in its templates, Helm renders the hooks as ordinary objects, and {@link #restore} names them back.
 * The {@code helm.sh/hook*} annotations are the mark apply-service orders hooks by. Test hooks are left out, as Flux
 * runs none unless asked.
 */
final class ChartHooks {
    private static final String HOOK = Annotations.HELM_HOOK;
    private static final String MASKED = "hook.sluice.io/masked";

    private ChartHooks() {
    }

    /** Unpacks the chart archive into {@code workDir} with its hook annotations masked; returns the chart directory. */
    static Path unpackMasked(Path archive, Path workDir) throws BuildException {
        try {
            ArtifactFetcher.unpack(archive, workDir);
            Path chart;
            try (Stream<Path> entries = Files.list(workDir)) {
                chart = entries.filter(Files::isDirectory).findFirst()
                        .orElseThrow(() -> new BuildException("chart " + archive.getFileName() + " holds no chart directory"));
            }
            mask(chart);
            return chart;
        } catch (IOException e) {
            throw new BuildException("cannot unpack chart " + archive.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static void mask(Path chart) throws IOException {
        Path subcharts = chart.resolve("charts");
        if (Files.isDirectory(subcharts)) {
            List<Path> archives;
            try (Stream<Path> entries = Files.list(subcharts)) {
                archives = entries.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            }
            for (Path packaged : archives) {
                unpackSubchart(packaged);
            }
            try (Stream<Path> entries = Files.list(subcharts)) {
                for (Path subchart : entries.filter(Files::isDirectory).toList()) {
                    mask(subchart);
                }
            }
        }
        Path templates = chart.resolve("templates");
        if (Files.isDirectory(templates)) {
            try (Stream<Path> files = Files.walk(templates)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    if (text.contains(HOOK)) {
                        Files.writeString(file, text.replace(HOOK, MASKED), StandardCharsets.UTF_8);
                    }
                }
            }
        }
    }

    /** Replaces {@code charts/x-1.0.tgz} by the directory {@code charts/x-1.0}: Helm loads either form alike. */
    private static void unpackSubchart(Path packaged) throws IOException {
        Path scratch = Files.createTempDirectory(packaged.getParent().getParent(), ".subchart-");
        ArtifactFetcher.unpack(packaged, scratch);
        try (Stream<Path> entries = Files.list(scratch)) {
            Path inner = entries.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IOException("subchart " + packaged.getFileName() + " holds no chart directory"));
            String name = packaged.getFileName().toString();
            Files.move(inner, packaged.resolveSibling(name.substring(0, name.length() - ".tgz".length())));
        }
        Files.delete(scratch);
        Files.delete(packaged);
    }

    /**
     * Names the masked annotations back and puts the hooks after the release's other objects, as {@code helm template}
     * prints them; test hooks are dropped.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> restore(List<Map<String, Object>> rendered) {
        List<Map<String, Object>> manifests = new ArrayList<>();
        List<Map<String, Object>> hooks = new ArrayList<>();
        for (Map<String, Object> object : rendered) {
            Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
            Object annotations = metadata == null ? null : metadata.get("annotations");
            if (annotations instanceof Map<?, ?> map) {
                Map<String, Object> named = new LinkedHashMap<>();
                ((Map<String, Object>) map).forEach((key, value) -> named.put(key.replace(MASKED, HOOK), value));
                metadata.put("annotations", named);
                if (named.containsKey(HOOK)) {
                    if (!isTest(String.valueOf(named.get(HOOK)))) {
                        hooks.add(object);
                    }
                    continue;
                }
            }
            manifests.add(object);
        }
        manifests.addAll(hooks);
        return manifests;
    }

    private static boolean isTest(String events) {
        return Stream.of(events.split(",")).map(String::strip).anyMatch(e -> e.equals("test") || e.equals("test-success"));
    }
}
