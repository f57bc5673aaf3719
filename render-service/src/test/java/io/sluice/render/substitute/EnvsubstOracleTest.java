package io.sluice.render.substitute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case is expanded twice: by Sluice and by Flux's own envsubst
 * (github.com/fluxcd/pkg/envsubst, compiled from src/test/go/envsubst with the machine's Go).
 * Outputs must be equal, or both must fail.
 */
class EnvsubstOracleTest {
    private static final Map<String, String> VARS =
            Map.of(
                    "NAME",
                    "podinfo",
                    "TAG",
                    "6.9.4",
                    "EMPTY",
                    "",
                    "PATH_VAR",
                    "/var/lib/data.tar.gz",
                    "MIXED",
                    "Hello World",
                    "ÜNI",
                    "ünïcode",
                    "URL",
                    "https://example.com/a/b",
                    "N",
                    "3");
    private static Path oracle;

    @BeforeAll
    static void buildOracle() throws Exception {
        Path source = Path.of("src/test/go/envsubst").toAbsolutePath();
        oracle = Path.of("target/envsubst-oracle").toAbsolutePath();
        Process build =
                new ProcessBuilder("go", "build", "-o", oracle.toString(), ".")
                        .directory(source.toFile())
                        .redirectErrorStream(true)
                        .start();
        String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor()).as("go build of the oracle: " + log).isZero();
    }

    static Stream<Arguments> cases() {
        List<String> templates =
                List.of(
                        "plain text, no variables",
                        "${NAME}",
                        "image: ghcr.io/stefanprodan/${NAME}:${TAG}",
                        "$NAME stays",
                        "$${NAME} escaped",
                        "$$ and $$$ dollars",
                        "cost: $5",
                        "${UNSET}",
                        "${EMPTY}",
                        "${UNSET:=fallback}",
                        "${EMPTY:=fallback}",
                        "${NAME:=fallback}",
                        "${UNSET=fallback}",
                        "${EMPTY=fallback}",
                        "${UNSET:-fallback}",
                        "${UNSET:-}",
                        "${UNSET:-a ${NAME} b}",
                        "${UNSET:-${ALSO_UNSET:-deep}}",
                        "${UNSET:?message}",
                        "${UNSET:+alt}",
                        "${NAME:+alt}",
                        "${UNSET-dash}",
                        "${#NAME}",
                        "${#UNSET}",
                        "${#ÜNI}",
                        "${NAME:1}",
                        "${NAME:2:3}",
                        "${NAME:-3}",
                        "${NAME: -3}",
                        "${NAME:10}",
                        "${NAME:1:100}",
                        "${NAME:x}",
                        "${NAME:${N}}",
                        "${MIXED^}",
                        "${MIXED^^}",
                        "${MIXED,}",
                        "${MIXED,,}",
                        "${ÜNI^^}",
                        "${NAME^,}",
                        "${URL/https/http}",
                        "${URL//\\//_}",
                        "${URL/#https:/ftp:}",
                        "${URL/%b/c}",
                        "${URL/example/}",
                        "${URL/a/$$}",
                        "${URL//${NAME}/x}",
                        "${PATH_VAR#*/}",
                        "${PATH_VAR##*/}",
                        "${PATH_VAR%.*}",
                        "${PATH_VAR%%.*}",
                        "${PATH_VAR#[/]var}",
                        "${PATH_VAR%.[a-z]z}",
                        "${PATH_VAR#[}",
                        "${PATH_VAR#?var}",
                        "${PATH_VAR%%[]z]*}",
                        "${PATH_VAR##*[^a-z.]}",
                        "${",
                        "${}",
                        "${NAME",
                        "${NAME!}",
                        "${:-x}",
                        "${NAME:}",
                        "${NAME#}",
                        "} stray ${NAME} }",
                        "multi\nline ${NAME}\n  ${TAG}\n",
                        "a\\\\b \\/ ${NAME}");
        List<Arguments> cases = new ArrayList<>();
        for (String template : templates) {
            cases.add(Arguments.of(template, false));
            cases.add(Arguments.of(template, true));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "[{index}] strict={1}: {0}")
    @MethodSource("cases")
    void expandsAsFluxDoes(String template, boolean strict) throws Exception {
        OracleResult expected = runOracle(template, strict);
        if (expected.failed) {
            assertThatThrownBy(
                            () ->
                                    Envsubst.expand(
                                            template,
                                            name -> Optional.ofNullable(VARS.get(name)),
                                            strict))
                    .as("Flux fails with: " + expected.output)
                    .isInstanceOf(SubstitutionException.class);
        } else {
            assertThat(
                            Envsubst.expand(
                                    template, name -> Optional.ofNullable(VARS.get(name)), strict))
                    .isEqualTo(expected.output);
        }
    }

    private record OracleResult(boolean failed, String output) {}

    private static OracleResult runOracle(String template, boolean strict)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(oracle.toString()));
        if (strict) {
            command.add("-strict");
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(VARS);
        Process process = builder.start();
        process.getOutputStream().write(template.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return process.waitFor() == 0 ? new OracleResult(false, out) : new OracleResult(true, err);
    }
}
