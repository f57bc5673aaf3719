package io.sluice.source.oci;

/**
 * A failure to resolve or pull an OCI artifact: {@code reason} and message as Flux reports them.
 */
final class OciException extends Exception {
    private final String reason;

    OciException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
