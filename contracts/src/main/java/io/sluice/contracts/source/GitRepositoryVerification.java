package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

/**
 * A GitRepository's {@code verify}: {@code mode} {@code HEAD} (also {@code head}), {@code Tag} or
 * {@code TagAndHEAD}, with the public keys in {@code secretRef}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class GitRepositoryVerification {
    public String mode;
    public LocalObjectReference secretRef;
}
