package io.sluice.health.notify.provider;

import io.sluice.health.notify.CommitStatus;
import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.FluxEvent;
import io.sluice.health.notify.NotificationException;

/**
 * How Flux's commit status providers go about an event: none for {@code Progressing}; the commit
 * from the revision; the state from the severity; and nothing posted when the latest status already
 * says the same.
 */
abstract class CommitStatusNotifier implements Notifier {
    private final String provider;
    private final String failureState;

    CommitStatusNotifier(String provider, String failureState) {
        this.provider = provider;
        this.failureState = failureState;
    }

    @Override
    public final void post(FluxEvent event, Delivery delivery) throws NotificationException {
        if ("Progressing".equals(event.reason())) {
            return;
        }
        String sha = CommitStatus.sha(event);
        String state =
                switch (event.severity()) {
                    case FluxEvent.INFO -> "success";
                    case FluxEvent.ERROR -> failureState;
                    default ->
                            throw new NotificationException(
                                    "can't convert to " + provider + " state");
                };
        String description = CommitStatus.description(event.reason());
        if (!alreadySaid(delivery, sha, state, description)) {
            create(delivery, sha, state, description);
        }
    }

    abstract boolean alreadySaid(Delivery delivery, String sha, String state, String description)
            throws NotificationException;

    abstract void create(Delivery delivery, String sha, String state, String description)
            throws NotificationException;
}
