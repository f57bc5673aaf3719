package io.sluice.apply.admin;

import io.sluice.contracts.admin.ObjectStates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

public class ObjectStatesProducer {
    @Produces
    @ApplicationScoped
    ObjectStates objectStates() {
        return new ObjectStates();
    }
}
