package io.sluice.source.git;

import io.sluice.contracts.meta.Reasons;

/**
 * Fetching or resolving a ref failed; the message is written to the object's status as it is, with
 * the reason source-controller gives ({@code GitOperationFailed} unless said).
 */
public class GitFetchException extends Exception {
    private final String reason;

    public GitFetchException(String message, Throwable cause) {
        this(Reasons.GIT_OPERATION_FAILED, message, cause);
    }

    public GitFetchException(String message) {
        this(Reasons.GIT_OPERATION_FAILED, message, null);
    }

    private GitFetchException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A failure source-controller gives another reason than {@code GitOperationFailed}. */
    static GitFetchException withReason(String reason, String message) {
        return new GitFetchException(reason, message, null);
    }

    public String reason() {
        return reason;
    }
}
