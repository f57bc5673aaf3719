package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitRepository {@code verify}: commits and tags signed with OpenPGP (by BouncyCastle, as {@code
 * git commit -S} signs) are checked against the armored public keys of the verify Secret, as
 * source-controller checks them; an unsigned commit, one signed by another key, or an unsigned tag
 * is refused naming it, and the artifact stays the last verified one.
 */
@ExtendWith(LocalStackExtension.class)
class GitVerifyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static KubernetesClient client;
    private static PgpKey trusted;

    @BeforeAll
    static void keys() throws Exception {
        client = LocalStackExtension.stack().client();
        trusted = PgpKey.generate("Sluice Release <release@example.com>");
    }

    @Test
    void aSignedHeadIsVerifiedAndAnUnsignedCommitAfterItIsRefusedKeepingTheArtifact()
            throws Exception {
        String ns = "git-verify-head";
        String url = LocalStackExtension.stack().git().create(ns);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(ns), url)) {
            String signed =
                    repo.write("app/a.yaml", "apiVersion: v1\nkind: ConfigMap\n")
                            .commitAndPush("signed", trusted);
            verifiedRepository(ns, url, "HEAD", "");
            await().atMost(DEADLINE)
                    .untilAsserted(
                            () -> {
                                GitRepository source = get(ns);
                                assertThat(condition(source, Conditions.READY))
                                        .hasValueSatisfying(
                                                c -> assertThat(c.getStatus()).isEqualTo("True"));
                                assertThat(source.getStatus().artifact.revision)
                                        .isEqualTo("main@sha1:" + signed);
                                assertThat(condition(source, "SourceVerified"))
                                        .hasValueSatisfying(
                                                c ->
                                                        assertThat(c.getMessage())
                                                                .isEqualTo(
                                                                        "verified signature of\n\t- commit '"
                                                                                + signed
                                                                                + "' with key '"
                                                                                + trusted.keyId()
                                                                                + "'"));
                            });

            String unsigned =
                    repo.write("app/b.yaml", "kind: ConfigMap\n").commitAndPush("unsigned");
            requestReconcile(ns);
            await().atMost(DEADLINE)
                    .untilAsserted(
                            () -> {
                                GitRepository source = get(ns);
                                assertThat(condition(source, Conditions.READY))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("InvalidCommitSignature");
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "signature verification of commit '"
                                                                            + unsigned
                                                                            + "' failed: unsupported signature type: empty");
                                                });
                                assertThat(source.getStatus().artifact.revision)
                                        .as("the last verified artifact is kept")
                                        .isEqualTo("main@sha1:" + signed);
                            });
        }
    }

    @Test
    void aCommitSignedByAKeyNotInTheSecretIsRefused() throws Exception {
        String ns = "git-verify-other-key";
        String url = LocalStackExtension.stack().git().create(ns);
        PgpKey stranger = PgpKey.generate("Stranger <stranger@example.com>");
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(ns), url)) {
            String commit =
                    repo.write("app/a.yaml", "kind: ConfigMap\n").commitAndPush("signed", stranger);
            verifiedRepository(ns, url, "HEAD", "");
            await().atMost(DEADLINE)
                    .untilAsserted(
                            () -> {
                                GitRepository source = get(ns);
                                assertThat(condition(source, Conditions.READY))
                                        .hasValueSatisfying(
                                                c ->
                                                        assertThat(c.getMessage())
                                                                .isEqualTo(
                                                                        "signature verification of commit '"
                                                                                + commit
                                                                                + "' failed: unable to verify Git commit: unable to verify payload with any of the given key rings: no matching key"));
                                assertThat(source.getStatus().artifact).isNull();
                            });
        }
    }

    @Test
    void aSignedTagIsVerifiedAndAnUnsignedOneIsRefused() throws Exception {
        String ns = "git-verify-tag";
        String url = LocalStackExtension.stack().git().create(ns);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(ns), url)) {
            String commit = repo.write("app/a.yaml", "kind: ConfigMap\n").commitAndPush("v1");
            String tag = repo.signedTagAndPush("v1.0.0", trusted);
            repo.tagAndPush("v1.0.1");
            verifiedRepository(ns, url, "Tag", "v1.0.0");
            await().atMost(DEADLINE)
                    .untilAsserted(
                            () ->
                                    assertThat(condition(get(ns), "SourceVerified"))
                                            .hasValueSatisfying(
                                                    c ->
                                                            assertThat(c.getMessage())
                                                                    .isEqualTo(
                                                                            "verified signature of\n\t- tag 'v1.0.0@"
                                                                                    + tag
                                                                                    + "' with key '"
                                                                                    + trusted
                                                                                            .keyId()
                                                                                    + "'")));
            assertThat(get(ns).getStatus().artifact.revision).isEqualTo("v1.0.0@sha1:" + commit);

            verifiedRepository(ns, url, "Tag", "v1.0.1");
            await().atMost(DEADLINE)
                    .untilAsserted(
                            () ->
                                    assertThat(condition(get(ns), Conditions.READY))
                                            .hasValueSatisfying(
                                                    c -> {
                                                        assertThat(c.getReason())
                                                                .isEqualTo("InvalidGitObject");
                                                        assertThat(c.getMessage())
                                                                .startsWith(
                                                                        "cannot verify signature of tag 'v1.0.1@")
                                                                .endsWith(
                                                                        "' since it is not signed");
                                                    }));
        }
    }

    private static void verifiedRepository(String ns, String url, String mode, String tag) {
        Manifests.apply(client, Manifests.namespace(ns));
        if (client.secrets().inNamespace(ns).withName("pgp-public-keys").get() == null) {
            Manifests.createSecret(
                    client,
                    ns,
                    "pgp-public-keys",
                    Map.of("release.asc", trusted.armoredPublicKey()));
        }
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: repo, namespace: %s}
                spec:
                  interval: 1h
                  url: %s
                  ref: {%s}
                  verify:
                    mode: %s
                    secretRef: {name: pgp-public-keys}
                """
                        .formatted(ns, url, tag.isEmpty() ? "branch: main" : "tag: " + tag, mode));
    }

    private static void requestReconcile(String ns) {
        client.resources(GitRepository.class)
                .inNamespace(ns)
                .withName("repo")
                .edit(
                        r -> {
                            Map<String, String> annotations =
                                    new java.util.HashMap<>(
                                            r.getMetadata().getAnnotations() == null
                                                    ? Map.of()
                                                    : r.getMetadata().getAnnotations());
                            annotations.put(
                                    "reconcile.fluxcd.io/requestedAt",
                                    java.time.Instant.now().toString());
                            r.getMetadata().setAnnotations(annotations);
                            return r;
                        });
    }

    private static GitRepository get(String ns) {
        return client.resources(GitRepository.class).inNamespace(ns).withName("repo").get();
    }

    private static Optional<Condition> condition(GitRepository source, String type) {
        return source == null || source.getStatus() == null
                ? Optional.empty()
                : Conditions.find(source.getStatus().conditions, type);
    }
}
