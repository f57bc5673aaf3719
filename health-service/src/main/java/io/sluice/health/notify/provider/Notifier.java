package io.sluice.health.notify.provider;

import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.FluxEvent;
import io.sluice.health.notify.NotificationException;

/** One Provider type's way of telling an endpoint about an event. */
public interface Notifier {
    void post(FluxEvent event, Delivery delivery) throws NotificationException;
}
