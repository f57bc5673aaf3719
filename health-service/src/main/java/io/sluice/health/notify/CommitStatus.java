package io.sluice.health.notify;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the commit status Providers share, as Flux has it: which types they are, the status ID
 * ({@code <kind>/<name>/<first part of the Provider's UID>}, lower case), the commit an event is
 * about, and the status description made from the reason ({@code ReconciliationSucceeded} becomes
 * {@code reconciliation succeeded}).
 */
public final class CommitStatus {
    /** The types Flux treats as commit status Providers (Sluice sends to github and gitlab). */
    public static final Set<String> TYPES =
            Set.of("github", "gitlab", "gitea", "bitbucketserver", "bitbucket", "azuredevops");

    private CommitStatus() {}

    public static String id(FluxEvent event, String providerUid) {
        String uid = providerUid == null ? "" : providerUid.split("-", 2)[0];
        return (event.involvedObject().kind() + "/" + event.involvedObject().name() + "/" + uid)
                .toLowerCase(Locale.ROOT);
    }

    /** The 40-character commit of the event's revision, or Flux's error. */
    public static String sha(FluxEvent event) throws NotificationException {
        Optional<String> revision = event.revision();
        if (revision.isEmpty()) {
            throw new NotificationException("missing revision metadata");
        }
        String text = revision.get();
        String sha;
        int colon = text.lastIndexOf(':');
        int slash = text.lastIndexOf('/');
        if (colon >= 0) {
            sha = text.substring(colon + 1);
        } else if (slash >= 0) {
            sha = text.substring(slash + 1);
        } else {
            sha = text;
        }
        if (sha.length() != 40) {
            throw new NotificationException(
                    "failed to extract commit hash from '" + text + "' revision");
        }
        return sha;
    }

    /** The credential a commit status API takes: the token, else the password. */
    public static String credential(String token, String password, String missing)
            throws NotificationException {
        String credential = token != null && !token.isEmpty() ? token : password;
        if (credential == null || credential.isEmpty()) {
            throw new NotificationException(missing);
        }
        return credential;
    }

    public static String description(String reason) {
        return String.join(" ", reason.split("(?<=[a-z0-9])(?=[A-Z])")).toLowerCase(Locale.ROOT);
    }
}
