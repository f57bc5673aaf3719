package io.sluice.render.build;

import io.sluice.contracts.meta.Reasons;

/**
 * The manifests cannot be built; the message names the file (and line, where known) and the cause.
 */
public class BuildException extends Exception {
    private final String reason;

    public BuildException(String message) {
        this(message, (Throwable) null);
    }

    public BuildException(String message, Throwable cause) {
        this(Reasons.BUILD_FAILED, message, cause);
    }

    private BuildException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** With the Ready condition's reason Flux gives this failure, when it is not BuildFailed. */
    public static BuildException withReason(String reason, String message) {
        return new BuildException(reason, message, null);
    }

    public String reason() {
        return reason;
    }
}
