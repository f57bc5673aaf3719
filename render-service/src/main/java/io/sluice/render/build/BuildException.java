package io.sluice.render.build;

/**
 * The manifests cannot be built; the message names the file (and line, where known) and the cause.
 */
public class BuildException extends Exception {
    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
