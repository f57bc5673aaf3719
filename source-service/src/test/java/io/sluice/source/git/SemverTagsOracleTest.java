package io.sluice.source.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.source.GoOracle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case is resolved twice: by Sluice and by Flux's own code (Masterminds/semver with
 * fluxcd/pkg/version, as fluxcd/pkg/git's cloneSemVer uses them; compiled from src/test/go/semver
 * with the machine's Go). The chosen tag must be the same, or both must find none, or both must
 * refuse the constraint.
 */
class SemverTagsOracleTest {
    private static final String TAGS =
            "v0.9.0,v1.0.0,v1.1.0,v1.2.0-rc.1,v1.2.0,1.3.0,v1.10.0,v2.0.0-beta.2,v2.0.0,v3.0.0-alpha.1,"
                    + "latest,v1.4,1.5.0.1,release-1.6.0,v4.0.0+build.7,v5.0.0-rc9,v5.0.0-rc10,"
                    + "v2025.02.03";
    private static final List<String> CONSTRAINTS =
            List.of(
                    "*",
                    "1.x",
                    "1.2.x",
                    ">=1.0.0 <2.0.0",
                    ">= 1.0.0, < 2.0.0",
                    ">=1.0.0,<2.0.0",
                    "^1.2",
                    "^1.2.0",
                    "~1.1",
                    "~1.1.0",
                    "1.0.0 - 1.3.0",
                    "1.1.0",
                    "=1.1.0",
                    "v1.1.0",
                    ">1.0.0",
                    "<1.0.0",
                    "<=1.2.0",
                    ">=1.2.0-0",
                    ">=1.2.0-rc.0 <1.3.0",
                    ">=2.0.0-0",
                    "^2.0.0-0",
                    ">=3.0.0-alpha.0",
                    ">=3.0.0-alpha.0 <4.0.0",
                    ">=1.0.0-0 <2.0.0",
                    "!=4.0.0",
                    ">=1.0.0 !=1.10.0 <2.0.0",
                    "!=2.x, >=1.0.0",
                    ">1.0.0 <",
                    "1.0.0 -",
                    "=> 1.1.0, =< 1.2.0",
                    "~> 1.1",
                    "1.x || >=3.0.0-0",
                    "1.1.x || 2.x",
                    ">=5.0.0",
                    "4.x",
                    "^1.2 <3",
                    "1.0.0 - 1.3.0, >=1.1",
                    ">=1.0.0-0 <2",
                    "!=1.2",
                    "~0.0.0",
                    ">=2025.01.0",
                    ">=5.0.0-0 <6",
                    "<2025",
                    "2025.x",
                    "~> 1.1, != 1.1.0",
                    ">= 1.1 < 1.10 || 4.x",
                    "garbage!!",
                    "1.x || garbage",
                    "");
    private static Path oracle;

    @BeforeAll
    static void buildOracle() throws Exception {
        oracle = GoOracle.build("semver");
    }

    static Stream<Arguments> cases() {
        return CONSTRAINTS.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesTheTagFluxChooses(String constraint) throws Exception {
        assertThat(sluice(constraint)).isEqualTo(flux(constraint));
    }

    private static String sluice(String constraint) {
        try {
            // each tag's commit one minute newer than the one before (no two versions tie)
            Map<String, Instant> tags = new LinkedHashMap<>();
            String[] names = TAGS.split(",");
            for (int i = 0; i < names.length; i++) {
                tags.put(names[i], Instant.EPOCH.plusSeconds(60L * i));
            }
            return SemverTags.highest(constraint, tags).orElse("none");
        } catch (GitFetchException e) {
            return "error";
        }
    }

    private static String flux(String constraint) throws Exception {
        Process process = new ProcessBuilder(oracle.toString()).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write((constraint + "\t" + TAGS + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            out.lines().forEach(lines::add);
        }
        assertThat(process.waitFor()).isZero();
        return lines.get(0);
    }
}
