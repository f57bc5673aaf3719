package io.sluice.render.build;

import io.sluice.contracts.meta.Reasons;

/**
 * The manifests cannot be built; the message names the file (and line, where known) and the cause.
 */
public class BuildException extends Exception {
    private final String reason;

    public BuildException(String message) {
        this(Reasons.BUILD_FAILED, message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
        this.reason = Reasons.BUILD_FAILED;
    }

    /** With the Ready condition's reason Flux gives this failure, when it is not BuildFailed. */
    public BuildException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
