package io.sluice.contracts.notification;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

@JsonIgnoreProperties(ignoreUnknown = true)
public class ProviderSpec {
    /** {@code generic}, {@code generic-hmac}, {@code slack}, {@code github}, … */
    public String type;

    public String interval;
    public String channel;
    public String username;

    /** The endpoint; the Secret's {@code address} key, when there is one, takes its place. */
    public String address;

    /** Per request, 15 s when empty. */
    public String timeout;

    /** Deprecated in Flux for {@code proxySecretRef}, still honoured. */
    public String proxy;

    public LocalObjectReference proxySecretRef;
    public LocalObjectReference secretRef;
    public String serviceAccountName;
    public LocalObjectReference certSecretRef;
    public Boolean suspend;
    public String commitStatusExpr;
}
