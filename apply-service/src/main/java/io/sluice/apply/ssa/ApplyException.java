package io.sluice.apply.ssa;

/** The API server refused an object; the message names the object and the server's reason. */
public class ApplyException extends Exception {
    public ApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
