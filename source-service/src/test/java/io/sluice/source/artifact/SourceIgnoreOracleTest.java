package io.sluice.source.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.source.GoOracle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case is a commit archived twice: by Sluice's {@link TreeArchiver} and by Flux's own rules
 * (fluxcd/pkg/sourceignore, run on the checked-out commit by the program in
 * src/test/go/sourceignore, compiled with the machine's Go). The files kept must be the same.
 */
class SourceIgnoreOracleTest {
    private static final List<String> TREE =
            List.of(
                    "deploy/app.yaml",
                    "deploy/keep.yaml",
                    "deploy/build",
                    "build/out.yaml",
                    "logo.png",
                    "docs/img.jpg",
                    "docs/guide.md",
                    "README.md",
                    ".github/workflows/ci.yml",
                    ".gitignore",
                    "apps/.sops.yaml",
                    "archive.tar.gz",
                    ".flux.yaml",
                    "sub/.goreleaser.yml",
                    "apps/secret.yaml",
                    "apps/x/secret.yaml",
                    "apps/notes.txt",
                    "notes.txt",
                    "apps/x/tmp/scratch.yaml",
                    "a/b/c/b.yaml",
                    "#hash.yaml",
                    "important.yaml");
    private static Path oracle;
    @TempDir Path tmp;

    @BeforeAll
    static void buildOracle() throws Exception {
        oracle = GoOracle.build("sourceignore");
    }

    /** A case: its .sourceignore files (directory → content) and spec.ignore (or null). */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("defaults", Map.of(), null),
                Arguments.of(
                        "root file turns defaults off", Map.of("", "*.md\n!README.md\n"), null),
                Arguments.of(
                        "nested file applies below its directory",
                        Map.of("apps", "/secret.yaml\n*.txt\n"),
                        null),
                Arguments.of("spec: only deploy", Map.of(), "/*\n!/deploy\n"),
                Arguments.of("spec after the file", Map.of("", "deploy/\n"), "!deploy/keep.yaml\n"),
                Arguments.of("directory-only pattern", Map.of(), "build/\n"),
                Arguments.of("double star", Map.of(), "**/tmp/**\na/**/b.yaml\n"),
                Arguments.of(
                        "negation, comments, escapes",
                        Map.of("", "# a comment\n*.yaml\n!important.yaml\n\\#hash.yaml\n"),
                        null),
                Arguments.of("CRLF lines", Map.of("", "*.md\r\nnotes.txt\r\n"), null),
                Arguments.of(
                        "two nested files",
                        Map.of("apps", "*.yaml\n", "apps/x", "!secret.yaml\n"),
                        null),
                Arguments.of("everything", Map.of(), "*\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsTheFilesFluxKeeps(String name, Map<String, String> ignoreFiles, String spec)
            throws Exception {
        Path work = tmp.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            for (String file : TREE) {
                write(work.resolve(file), "kind: " + file + "\n");
            }
            for (var entry : ignoreFiles.entrySet()) {
                write(work.resolve(entry.getKey()).resolve(SourceIgnore.FILE), entry.getValue());
            }
            git.add().addFilepattern(".").call();
            RevCommit commit = git.commit().setMessage(name).call();
            ByteArrayOutputStream archive = new ByteArrayOutputStream();
            new TreeArchiver()
                    .write(work.resolve(".git"), commit.getId(), spec, List.of(), archive);
            assertThat(entries(archive.toByteArray())).isEqualTo(flux(work, spec));
        }
    }

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private List<String> flux(Path work, String spec) throws Exception {
        List<String> command = new ArrayList<>(List.of(oracle.toString(), work.toString()));
        if (spec != null) {
            Path specFile = tmp.resolve("spec-ignore");
            Files.writeString(specFile, spec);
            command.add(specFile.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    private static List<String> entries(byte[] tgz) throws Exception {
        TreeMap<String, Boolean> files = new TreeMap<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(
                        new GzipCompressorInputStream(new ByteArrayInputStream(tgz)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    files.put(entry.getName(), true);
                }
            }
        }
        return new ArrayList<>(files.keySet());
    }
}
