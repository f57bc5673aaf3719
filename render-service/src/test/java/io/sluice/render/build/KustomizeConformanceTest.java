package io.sluice.render.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The kustomize conformance suite: every case in {@code src/test/resources/kustomize-conformance}
 * is built once by Sluice (the case's tree, the Flux Kustomization fields in {@code flux}) and once
 * by the pinned kustomize directly (the same tree with the files in {@code oracle} written over it:
 * Flux's layer written by hand), and the objects must be equal (maps compare without regard to key
 * order; the order of objects must match). {@code base: true} adds the shared tree of {@code
 * _base.yaml} under {@code base/}.
 */
class KustomizeConformanceTest {
    private static final String CASES = "kustomize-conformance";
    private static final Load YAML = new Load(LoadSettings.builder().build());

    @TempDir Path tmp;
    private final KustomizeRunner kustomize = PinnedKustomize.runner();
    private final ManifestBuilder builder = new ManifestBuilder(kustomize);

    @TestFactory
    Stream<DynamicTest> everyCaseBuildsAsKustomizeDoes() throws Exception {
        List<String> names = caseNames();
        assertThat(names).as("conformance cases").hasSizeGreaterThanOrEqualTo(40);
        return names.stream()
                .map(
                        name ->
                                DynamicTest.dynamicTest(
                                        name, () -> check(name, load(name + ".yaml"))));
    }

    private void check(String name, Map<String, Object> spec) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve(name).resolve("sluice"));
        Path oracle = Files.createDirectories(tmp.resolve(name).resolve("oracle"));
        if (Boolean.TRUE.equals(spec.get("base"))) {
            writeFiles(tree, files(load("_base.yaml"), "files"), "base/");
            writeFiles(oracle, files(load("_base.yaml"), "files"), "base/");
        }
        writeFiles(tree, files(spec, "files"), "");
        writeFiles(oracle, files(spec, "files"), "");
        writeFiles(oracle, files(spec, "oracle"), "");
        String path = (String) spec.getOrDefault("path", ".");

        List<Map<String, Object>> ours = builder.build(tree, path, overlay(spec));
        List<Object> expected =
                StreamSupport.stream(
                                YAML.loadAllFromString(kustomize.build(oracle.resolve(path)))
                                        .spliterator(),
                                false)
                        .filter(d -> d != null)
                        .toList();

        assertThat(ours)
                .as(name)
                .isNotEmpty()
                .containsExactlyElementsOf(
                        expected.stream().map(KustomizeConformanceTest::asMap).toList());
    }

    @SuppressWarnings("unchecked")
    private static FluxOverlay overlay(Map<String, Object> spec) {
        Map<String, Object> flux = (Map<String, Object>) spec.getOrDefault("flux", Map.of());
        return new FluxOverlay(
                (String) flux.get("targetNamespace"),
                (String) flux.get("namePrefix"),
                (String) flux.get("nameSuffix"),
                (List<Map<String, Object>>) flux.get("patches"),
                (List<Map<String, Object>>) flux.get("images"),
                (List<String>) flux.get("components"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> files(Map<String, Object> spec, String key) {
        return (Map<String, String>) spec.getOrDefault(key, Map.of());
    }

    private static void writeFiles(Path root, Map<String, String> files, String prefix)
            throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = root.resolve(prefix + file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
    }

    private static List<String> caseNames() throws Exception {
        Path dir =
                Path.of(KustomizeConformanceTest.class.getClassLoader().getResource(CASES).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.startsWith("_"))
                    .map(f -> f.substring(0, f.length() - ".yaml".length()))
                    .sorted()
                    .toList();
        }
    }

    private static Map<String, Object> load(String file) throws IOException {
        try (InputStream in = resource(file)) {
            return asMap(YAML.loadFromInputStream(in));
        }
    }

    private static InputStream resource(String file) {
        InputStream in =
                KustomizeConformanceTest.class
                        .getClassLoader()
                        .getResourceAsStream(CASES + "/" + file);
        assertThat(in).as(CASES + "/" + file).isNotNull();
        return in;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object document) {
        return (Map<String, Object>) document;
    }
}
