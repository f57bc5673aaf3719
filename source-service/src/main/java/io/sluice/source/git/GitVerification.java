package io.sluice.source.git;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.GitRepositoryVerification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code spec.verify}, as source-controller checks it before it builds an artifact: the public keys
 * are every value of the Secret but SSH ones ({@code *.pub}); mode {@code Tag} checks the annotated
 * tag the revision was checked out by, {@code HEAD} the commit, {@code TagAndHEAD} both, in that
 * order. A refusal carries source-controller's reason and words.
 */
final class GitVerification {
    static final String CONDITION = "SourceVerified";

    private GitVerification() {}

    /** A revision whose signature was not accepted. */
    static final class Refused extends Exception {
        private final String reason;

        Refused(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /** The verify mode in force, or empty when there is none. */
    static Optional<String> mode(GitRepository repo) {
        GitRepositoryVerification verify = repo.getSpec().verify;
        return verify == null || verify.mode == null || verify.mode.isEmpty()
                ? Optional.empty()
                : Optional.of("head".equals(verify.mode) ? "HEAD" : verify.mode);
    }

    /** Whether {@code mode} is one source-controller knows (its CRD admits no other). */
    private static boolean known(String mode) {
        return List.of("HEAD", "Tag", "TagAndHEAD").contains(mode);
    }

    /** What was verified with which key (the {@code SourceVerified} message). */
    static String check(
            KubernetesClient client, GitRepository repo, Path mirror, FetchedRevision fetched)
            throws Refused, IOException {
        String mode = mode(repo).orElseThrow();
        if (!known(mode)) {
            throw new Refused(
                    "InvalidVerificationMode", "unknown verification mode '" + mode + "'");
        }
        List<String> keyRings = keyRings(client, repo);
        StringBuilder message = new StringBuilder("verified signature of");
        try (Git git = Git.open(mirror.toFile());
                RevWalk walk = new RevWalk(git.getRepository())) {
            if (mode.startsWith("Tag")) {
                message.append("\n\t- ").append(verifyTag(git, walk, fetched, keyRings));
            }
            if (!"Tag".equals(mode)) {
                byte[] raw = walk.parseCommit(fetched.commit()).getRawBuffer();
                SignatureVerifier.Signed signed = SignatureVerifier.commit(raw);
                String commit = fetched.commit().name();
                try {
                    String key =
                            SignatureVerifier.verify(
                                    signed.signature(), signed.payload(), keyRings, "commit");
                    message.append("\n\t- commit '")
                            .append(commit)
                            .append("' with key '")
                            .append(key)
                            .append("'");
                } catch (SignatureVerifier.Unverified e) {
                    throw new Refused(
                            "InvalidCommitSignature",
                            "signature verification of commit '"
                                    + commit
                                    + "' failed: "
                                    + e.getMessage());
                }
            }
        }
        return message.toString();
    }

    private static String verifyTag(
            Git git, RevWalk walk, FetchedRevision fetched, List<String> keyRings)
            throws Refused, IOException {
        Ref ref =
                fetched.tag() == null
                        ? null
                        : git.getRepository().exactRef(Constants.R_TAGS + fetched.tag());
        RevObject object = ref == null ? null : walk.parseAny(ref.getObjectId());
        if (!(object instanceof RevTag tag)) {
            // a lightweight tag has no object to sign, as no tag at all
            throw new Refused(
                    "InvalidVerificationMode",
                    "cannot verify tag object's signature if a tag reference is not specified");
        }
        if (!tag.getTagName().equals(fetched.tag())) {
            // stricter than Flux: an old signed tag pushed again under another name (a higher
            // version, say) is not that version's signature
            throw new Refused(
                    "InvalidTagSignature",
                    "tag '"
                            + fetched.tag()
                            + "' is a tag object named '"
                            + tag.getTagName()
                            + "', signed for that name");
        }
        if (!walk.peel(tag).getId().equals(fetched.commit())) {
            // the tag moved between the fetch and now: verified at the next reconcile
            throw new Refused(
                    "InvalidGitObject",
                    "tag '" + fetched.tag() + "' no longer points to the commit fetched");
        }
        String name = fetched.tag() + "@" + tag.name();
        SignatureVerifier.Signed signed = SignatureVerifier.tag(tag.getRawBuffer());
        if (signed.signature().isEmpty()) {
            throw new Refused(
                    "InvalidGitObject",
                    "cannot verify signature of tag '" + name + "' since it is not signed");
        }
        try {
            String key =
                    SignatureVerifier.verify(signed.signature(), signed.payload(), keyRings, "tag");
            return "tag '" + name + "' with key '" + key + "'";
        } catch (SignatureVerifier.Unverified e) {
            throw new Refused(
                    "InvalidTagSignature",
                    "signature verification of tag '" + name + "' failed: " + e.getMessage());
        }
    }

    private static List<String> keyRings(KubernetesClient client, GitRepository repo)
            throws Refused {
        GitRepositoryVerification verify = repo.getSpec().verify;
        String name = verify.secretRef == null ? "" : verify.secretRef.getName();
        Secret secret =
                client.secrets()
                        .inNamespace(repo.getMetadata().getNamespace())
                        .withName(name)
                        .get();
        if (secret == null) {
            throw new Refused(
                    "VerificationError",
                    "public keys secret error: secrets \"" + name + "\" not found");
        }
        List<String> keyRings = new ArrayList<>();
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        data.forEach(
                (key, value) -> {
                    if (!key.endsWith(".pub")) {
                        keyRings.add(
                                new String(
                                        Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
                    }
                });
        return keyRings;
    }
}
