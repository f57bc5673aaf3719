package io.sluice.contracts.meta;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.ObjectRef;
import org.junit.jupiter.api.Test;

class AttemptLedgerTest {
    private final ObjectRef app = new ObjectRef("Kustomization", "flux-system", "apps");

    @Test
    void aRedeliveredAttemptIsRecognised() {
        AttemptLedger ledger = new AttemptLedger();
        Attempt attempt = new Attempt(app, 1, "main@sha1:aaa", null);
        assertTrue(ledger.firstDelivery(attempt));
        assertFalse(ledger.firstDelivery(new Attempt(app, 1, "main@sha1:aaa", null)));
    }

    @Test
    void aNewRevisionGenerationOrRequestIsANewAttempt() {
        AttemptLedger ledger = new AttemptLedger();
        ledger.firstDelivery(new Attempt(app, 1, "main@sha1:aaa", null));
        assertTrue(ledger.firstDelivery(new Attempt(app, 1, "main@sha1:bbb", null)));
        assertTrue(ledger.firstDelivery(new Attempt(app, 2, "main@sha1:bbb", null)));
        assertTrue(
                ledger.firstDelivery(new Attempt(app, 2, "main@sha1:bbb", "2026-11-27T00:00:00Z")));
    }

    @Test
    void aForgottenAttemptIsHandledAgain() {
        AttemptLedger ledger = new AttemptLedger();
        Attempt attempt = new Attempt(app, 1, "main@sha1:aaa", null);
        ledger.firstDelivery(attempt);
        ledger.forget(app);
        assertTrue(ledger.firstDelivery(attempt));
    }
}
