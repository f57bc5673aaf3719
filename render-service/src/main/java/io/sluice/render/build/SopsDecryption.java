package io.sluice.render.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A Kustomization's {@code decryption: {provider: sops}}, as kustomize-controller decrypts: before
 * the build, the files its kustomizations' secretGenerators and patches read, in place; after it,
 * each object that carries {@code sops} metadata, and each Secret data value that is a sops
 * document. The pinned {@code sops} does the decrypting (the real code, not a port), given only the
 * age identities of the decryption Secret ({@code *.agekey}) in its environment and its OpenPGP
 * keys ({@code *.asc}) as the keyring of a GnuPG home of its own, which lives as long as the one
 * sops run (kustomize-controller imports them into a temporary GnuPG home the same way); plaintext
 * never leaves this process but to the build directory, which is deleted after the render. An
 * object annotated {@code kustomize.toolkit.fluxcd.io/decrypt: disabled} is left as it is.
 */
public final class SopsDecryption {
    static final String DISABLE = "kustomize.toolkit.fluxcd.io/decrypt";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");
    private static final PinnedTool SOPS = PinnedTool.locate("SLUICE_SOPS", "sops");
    private static final Map<String, String> MARKERS =
            Map.of(
                    "json", "\"mac\": \"ENC[",
                    "yaml", "mac: ENC[",
                    "dotenv", "sops_mac=ENC[",
                    "ini", "[sops]");

    private final String ageIdentities;
    private final byte[] pgpKeyring;

    /**
     * {@code ageIdentities}: the age secret keys, one per line, as sops reads SOPS_AGE_KEY; {@code
     * pgpKeyring}: OpenPGP key rings, binary ({@link PgpKeyring}), or none.
     */
    public SopsDecryption(String ageIdentities, byte[] pgpKeyring) {
        this.ageIdentities = ageIdentities;
        this.pgpKeyring = pgpKeyring.clone();
    }

    /**
     * Decrypts in place the files the secretGenerators ({@code files}, {@code envs}) and patches of
     * {@code dir}'s kustomization, and of the directories it builds on, read.
     */
    public void decryptSources(Path root, Path dir) throws BuildException {
        decryptSources(root, dir, new HashSet<>());
    }

    /** The built YAML stream with each encrypted object, and encrypted Secret value, decrypted. */
    public String decryptObjects(String built) throws BuildException {
        List<String> documents = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(built)) {
            if (document.isBlank()) {
                continue;
            }
            documents.add(decryptObject(document));
        }
        return String.join("---\n", documents);
    }

    @SuppressWarnings("unchecked")
    private String decryptObject(String document) throws BuildException {
        Object parsed = new Load(LoadSettings.builder().build()).loadFromString(document);
        if (!(parsed instanceof Map<?, ?> map)) {
            return document;
        }
        Map<String, Object> object = (Map<String, Object>) map;
        Map<String, Object> metadata =
                object.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> annotations =
                metadata.get("annotations") instanceof Map<?, ?> a
                        ? (Map<String, Object>) a
                        : Map.of();
        if ("disabled".equalsIgnoreCase(String.valueOf(annotations.get(DISABLE)))) {
            return document;
        }
        String name = object.get("kind") + "/" + metadata.get("name");
        if (object.get("sops") instanceof Map<?, ?> sops && sops.get("mac") != null) {
            return sops("yaml", "yaml", document.getBytes(StandardCharsets.UTF_8), name);
        }
        if (!"Secret".equals(object.get("kind")) || !(object.get("data") instanceof Map<?, ?>)) {
            return document;
        }
        Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) object.get("data"));
        boolean changed = false;
        for (Map.Entry<String, Object> entry : data.entrySet()) {
            byte[] value;
            try {
                value = Base64.getDecoder().decode(String.valueOf(entry.getValue()));
            } catch (IllegalArgumentException e) {
                continue;
            }
            String text = new String(value, StandardCharsets.UTF_8);
            // as Flux: the input format from the marker found, the output's from the key's name
            String input =
                    MARKERS.entrySet().stream()
                            .filter(m -> text.contains(m.getValue()))
                            .map(Map.Entry::getKey)
                            .findFirst()
                            .orElse(null);
            if (input != null) {
                String decrypted =
                        sops(
                                input,
                                format(entry.getKey()),
                                value,
                                name + " Secret field '" + entry.getKey() + "'");
                entry.setValue(
                        Base64.getEncoder()
                                .encodeToString(decrypted.getBytes(StandardCharsets.UTF_8)));
                changed = true;
            }
        }
        if (!changed) {
            return document;
        }
        object.put("data", data);
        return new Dump(DumpSettings.builder().build()).dumpToString(object);
    }

    @SuppressWarnings("unchecked")
    private void decryptSources(Path root, Path dir, Set<Path> visited) throws BuildException {
        if (!visited.add(dir)) {
            return;
        }
        Path file = kustomizationFile(dir);
        if (file == null) {
            return;
        }
        Map<String, Object> kustomization;
        try {
            Object loaded =
                    new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            kustomization = loaded instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IOException | RuntimeException e) {
            return; // kustomize reports a broken kustomization itself
        }
        for (Object generator : list(kustomization.get("secretGenerator"))) {
            if (generator instanceof Map<?, ?> g) {
                for (Object source : list(g.get("files"))) {
                    String[] parts = String.valueOf(source).split("=", 2);
                    String path = parts.length > 1 ? parts[1] : parts[0];
                    decryptFile(root, dir, path, format(parts[0]));
                }
                for (Object env : list(g.get("envs"))) {
                    String format = format(String.valueOf(env));
                    decryptFile(
                            root,
                            dir,
                            String.valueOf(env),
                            "binary".equals(format) ? "dotenv" : format);
                }
            }
        }
        for (Object patch : list(kustomization.get("patches"))) {
            if (patch instanceof Map<?, ?> p && p.get("path") != null) {
                String path = String.valueOf(p.get("path"));
                if (!path.contains("://")) {
                    decryptFile(root, dir, path, format(path));
                }
            }
        }
        for (String key : List.of("resources", "components", "bases")) {
            for (Object entry : list(kustomization.get(key))) {
                Path next = dir.resolve(String.valueOf(entry)).normalize();
                if (next.startsWith(root) && Files.isDirectory(next)) {
                    decryptSources(root, next, visited);
                }
            }
        }
    }

    private void decryptFile(Path root, Path dir, String relative, String format)
            throws BuildException {
        Path file = dir.resolve(relative).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            return; // kustomize names a missing or outside file itself
        }
        try {
            byte[] content = Files.readAllBytes(file);
            String marker = MARKERS.getOrDefault("binary".equals(format) ? "json" : format, "");
            if (marker.isEmpty() || !new String(content, StandardCharsets.UTF_8).contains(marker)) {
                return;
            }
            String shown = root.relativize(file).toString();
            Files.writeString(file, sops(format, format, content, "file '" + shown + "'"));
        } catch (IOException e) {
            throw new BuildException("error decrypting sources: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the pinned sops on {@code encrypted}; the plaintext comes back on its output only. Its
     * error text is passed on with any value it quotes redacted, as kustomize-controller does.
     */
    private String sops(String inputFormat, String outputFormat, byte[] encrypted, String what)
            throws BuildException {
        Path dir = null;
        try {
            dir =
                    Files.createTempDirectory(
                            "sops-",
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rwx------")));
            Path input = dir.resolve("encrypted");
            Files.write(input, encrypted);
            Map<String, String> environment =
                    new HashMap<>(Map.of("SOPS_AGE_KEY", ageIdentities, "HOME", dir.toString()));
            if (pgpKeyring.length > 0) {
                Path gnupg =
                        Files.createDirectory(
                                dir.resolve("gnupg"),
                                PosixFilePermissions.asFileAttribute(
                                        PosixFilePermissions.fromString("rwx------")));
                Files.write(gnupg.resolve("secring.gpg"), pgpKeyring);
                environment.put("GNUPGHOME", gnupg.toString());
            }
            return SOPS.run(
                    "decryption of " + what,
                    List.of(
                            "--decrypt",
                            // as kustomize-controller (its MAC check is off): kustomize reorders
                            // keys, which changes the MAC sops computes over the values
                            "--ignore-mac",
                            "--input-type",
                            inputFormat,
                            "--output-type",
                            outputFormat,
                            input.toString()),
                    environment,
                    TIMEOUT);
        } catch (BuildException e) {
            throw new BuildException(redacted(e.getMessage()));
        } catch (IOException e) {
            throw new BuildException("decryption of " + what + " failed: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temp directory of ciphertext and a copy of the Secret's keys, 0700
                }
            }
        }
    }

    /** sops names a value it cannot read in its error: "Input string <value> does not match...". */
    static String redacted(String message) {
        return message.replaceAll(
                "(?s)Input string .*? does not match sops' data format",
                "Input string <redacted> does not match sops' data format");
    }

    /** sops's format for a file or key name, as Flux chooses it. */
    static String format(String name) {
        if (name.endsWith(".dockerconfigjson") || name.endsWith(".json")) {
            return "json";
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return "yaml";
        }
        if (name.endsWith(".env")) {
            return "dotenv";
        }
        if (name.endsWith(".ini")) {
            return "ini";
        }
        return "binary";
    }

    private static Path kustomizationFile(Path dir) {
        for (String name : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
