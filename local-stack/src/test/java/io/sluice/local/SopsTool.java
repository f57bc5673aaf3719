package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pinned sops and age of deploy/local/sops/build, as a Flux user encrypts a repository. */
final class SopsTool {
    private final Path sops;

    private SopsTool(Path sops) {
        this.sops = sops;
    }

    static SopsTool pinned() throws Exception {
        return new SopsTool(
                Path.of(Launcher.output(Path.of("../deploy/local/sops/build").toAbsolutePath())));
    }

    /** An age identity file as {@code age-keygen} writes it (a {@code *.agekey} entry's value). */
    AgeKey newAgeKey() throws Exception {
        Path file = Files.createTempDirectory("age").resolve("key.txt");
        run(List.of(sops.resolveSibling("age-keygen").toString(), "-o", file.toString()));
        String identity = Files.readString(file);
        String recipient =
                identity.lines()
                        .filter(l -> l.startsWith("# public key: "))
                        .findFirst()
                        .orElseThrow()
                        .substring("# public key: ".length());
        return new AgeKey(identity, recipient);
    }

    /**
     * {@code plain} encrypted for {@code recipient}; with {@code onlyData} only a Secret's {@code
     * data}/{@code stringData}, as Flux's guide sets {@code encrypted_regex}.
     */
    String encrypt(String recipient, String plain, String type, boolean onlyData) throws Exception {
        Path file = Files.createTempDirectory("sops-plain").resolve("plain." + type);
        Files.writeString(file, plain);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                sops.toString(),
                                "--encrypt",
                                "--age",
                                recipient,
                                "--input-type",
                                type,
                                "--output-type",
                                type));
        if (onlyData) {
            command.addAll(List.of("--encrypted-regex", "^(data|stringData)$"));
        }
        command.add(file.toString());
        return run(command);
    }

    /**
     * {@code plain} encrypted for the OpenPGP key {@code fingerprint} of {@code publicKeyRing}, as
     * {@code sops --encrypt --pgp} does with that key in the GnuPG home's {@code pubring.gpg}; only
     * a Secret's data.
     */
    String encryptForPgp(String fingerprint, byte[] publicKeyRing, String plain, String type)
            throws Exception {
        Path gnupg =
                Files.createTempDirectory(
                        "gnupg",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
        Files.write(gnupg.resolve("pubring.gpg"), publicKeyRing);
        Path file = Files.createTempDirectory("sops-plain").resolve("plain." + type);
        Files.writeString(file, plain);
        return run(
                List.of(
                        sops.toString(),
                        "--encrypt",
                        "--pgp",
                        fingerprint,
                        "--input-type",
                        type,
                        "--output-type",
                        type,
                        "--encrypted-regex",
                        "^(data|stringData)$",
                        file.toString()),
                Map.of("GNUPGHOME", gnupg.toString()));
    }

    private static String run(List<String> command) throws Exception {
        return run(command, Map.of());
    }

    private static String run(List<String> command, Map<String, String> environment)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", Files.createTempDirectory("sops-home").toString());
        builder.environment().putAll(environment);
        Process process = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
        return out;
    }

    record AgeKey(String identity, String recipient) {}
}
