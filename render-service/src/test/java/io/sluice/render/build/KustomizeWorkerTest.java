package io.sluice.render.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build worker against its oracle, the same binary's CLI ({@code kustomize build
 * --load-restrictor LoadRestrictionsNone}): the same bytes for every kustomization of the real Flux
 * example repository and for hand-made trees, the same message for a failing build; a worker that
 * dies is replaced; a kustomize without the worker is run as a process.
 */
class KustomizeWorkerTest {
    private static final Path FLUX_EXAMPLE =
            Path.of("../../shared/fixtures/repos/flux2-kustomize-helm-example");

    @TempDir Path tmp;
    private final KustomizeRunner runner = PinnedKustomize.runner();
    private final PinnedTool cli = new PinnedTool(List.of(PinnedKustomize.binary(), "build"));

    @Test
    void buildsTheSameBytesAsTheCli() throws Exception {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(FLUX_EXAMPLE)) {
            files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent)
                    .forEach(dirs::add);
        }
        assertThat(dirs).as("kustomizations in the Flux example").hasSizeGreaterThanOrEqualTo(5);
        dirs.add(
                tree(
                        "generated",
                        Map.of(
                                "kustomization.yaml",
                                """
                                namePrefix: p-
                                commonLabels: {team: a}
                                resources: [deploy.yaml]
                                configMapGenerator:
                                - name: settings
                                  literals: [a=1]
                                patchesStrategicMerge: [patch.yaml]
                                """,
                                "deploy.yaml",
                                deployment(1),
                                "patch.yaml",
                                deployment(3))));
        for (Path dir : dirs) {
            assertThat(runner.build(dir.toRealPath())).as(dir.toString()).isEqualTo(viaCli(dir));
        }
    }

    @Test
    void failsWithTheCliMessage() throws Exception {
        Path dir =
                tree(
                                "broken",
                                Map.of(
                                        "kustomization.yaml",
                                        "commonLabels: {a: b}\nresources: [missing.yaml]\n"))
                        .toRealPath();
        String expected =
                assertThatThrownBy(() -> viaCli(dir))
                        .isInstanceOf(BuildException.class)
                        .actual()
                        .getMessage();
        assertThatThrownBy(() -> runner.build(dir))
                .isInstanceOf(BuildException.class)
                .hasMessage(expected)
                .hasMessageContaining("'commonLabels' is deprecated")
                .hasMessageContaining("missing.yaml");
        // and the worker is still good
        Path fine =
                tree(
                        "fine",
                        Map.of(
                                "deploy.yaml",
                                deployment(1),
                                "kustomization.yaml",
                                "resources: [deploy.yaml]\n"));
        assertThat(runner.build(fine)).isEqualTo(viaCli(fine));
    }

    /**
     * kustomize keeps a kustomization's openapi schema in a global: the next build must not see it.
     */
    @Test
    void aSchemaOneBuildSetIsGoneForTheNext() throws Exception {
        Path custom =
                tree(
                        "custom-schema",
                        Map.of(
                                "kustomization.yaml",
                                "openapi: {path: schema.json}\nresources: [deploy.yaml]\n",
                                "schema.json",
                                "{\"definitions\": {}}",
                                "deploy.yaml",
                                deployment(1)));
        Path merged =
                tree(
                        "merged",
                        Map.of(
                                "kustomization.yaml",
                                """
                                resources: [deploy.yaml]
                                patches:
                                - patch: |
                                    apiVersion: apps/v1
                                    kind: Deployment
                                    metadata: {name: web}
                                    spec:
                                      template:
                                        spec:
                                          containers: [{name: sidecar, image: busybox}]
                                """,
                                "deploy.yaml",
                                deployment(1)));
        KustomizeRunner own = new KustomizeRunner(List.of(PinnedKustomize.binary(), "build"));
        own.build(custom);
        assertThat(own.build(merged))
                .as("the containers merged by name, as the builtin schema says")
                .contains("name: sidecar", "name: web")
                .isEqualTo(viaCli(merged));
    }

    @Test
    void aWorkerThatDiedIsReplaced() throws Exception {
        Path dir =
                tree(
                        "app",
                        Map.of(
                                "deploy.yaml",
                                deployment(2),
                                "kustomization.yaml",
                                "resources: [deploy.yaml]\n"));
        KustomizeRunner own = new KustomizeRunner(List.of(PinnedKustomize.binary(), "build"));
        String first = own.build(dir);
        List<ProcessHandle> workers = workers();
        assertThat(workers).as("running workers").isNotEmpty();
        workers.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle worker : workers) {
            worker.onExit().get();
        }
        assertThat(own.build(dir)).isEqualTo(first);
        assertThat(workers()).as("a new worker").isNotEmpty().doesNotContainAnyElementsOf(workers);
    }

    @Test
    void aKustomizeWithoutTheWorkerRunsAsAProcess() throws Exception {
        Path fake = tmp.resolve("kustomize");
        Files.writeString(
                fake,
                "#!/bin/sh\n[ \"$1\" = build ] || { echo \"unknown command $1\" >&2; exit 1; }\necho 'kind: Built'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        assertThat(new KustomizeRunner(List.of(fake.toString(), "build")).build(tmp))
                .isEqualTo("kind: Built\n");
    }

    private String viaCli(Path dir) throws Exception {
        return cli.run(
                "kustomize build",
                List.of("--load-restrictor", "LoadRestrictionsNone", dir.toRealPath().toString()),
                Duration.ofMinutes(1));
    }

    private static List<ProcessHandle> workers() {
        return ProcessHandle.current()
                .descendants()
                .filter(
                        p ->
                                p.isAlive()
                                        && p.info().arguments().stream()
                                                .flatMap(java.util.Arrays::stream)
                                                .anyMatch("sluice-worker"::equals))
                .toList();
    }

    private Path tree(String name, Map<String, String> files) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        return dir;
    }

    private static String deployment(int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: nginx}]}
                """
                .formatted(replicas);
    }
}
