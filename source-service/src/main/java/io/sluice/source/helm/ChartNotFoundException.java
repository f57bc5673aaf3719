package io.sluice.source.helm;

/** The repository has no such chart, or no version of it matches; the message says which. */
public class ChartNotFoundException extends Exception {
    public ChartNotFoundException(String message) {
        super(message);
    }
}
