package io.sluice.contracts.meta;

/** Metric names shared by the services, so one dashboard reads all four. */
public final class Metrics {
    /**
     * Timer per stage and kind, the counterpart of Flux's {@code gotk_reconcile_duration_seconds}.
     */
    public static final String RECONCILE_DURATION = "sluice.reconcile.duration";

    private Metrics() {}
}
