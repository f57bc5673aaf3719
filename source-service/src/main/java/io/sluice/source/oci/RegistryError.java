package io.sluice.source.oci;

import java.io.IOException;

/** A registry's answer that is no success, worded as go-containerregistry words it. */
final class RegistryError extends IOException {
    RegistryError(String message) {
        super(message);
    }
}
