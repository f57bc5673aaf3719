package io.sluice.contracts.notification;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Flux's Alert, {@code notification.toolkit.fluxcd.io/v1beta3}: which objects' events go to which
 * Provider. It has no status, as in Flux.
 */
@Group("notification.toolkit.fluxcd.io")
@Version("v1beta3")
@Kind("Alert")
@Plural("alerts")
public class Alert extends CustomResource<AlertSpec, Void> implements Namespaced {
    public static final String KIND = "Alert";
}
