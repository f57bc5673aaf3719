package io.sluice.health.notify;

/** A notification that could not be sent, in words an operator acts on (no secret values). */
public class NotificationException extends Exception {
    public NotificationException(String message) {
        super(message);
    }

    public NotificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
