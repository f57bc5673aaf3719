package io.sluice.source.git;

/** Fetching or resolving a ref failed; the message is written to the object's status as it is. */
public class GitFetchException extends Exception {
    public GitFetchException(String message, Throwable cause) {
        super(message, cause);
    }

    public GitFetchException(String message) {
        super(message);
    }
}
