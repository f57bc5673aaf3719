package io.sluice.contracts.meta;

/**
 * Condition reasons, spelled as Flux spells them so dashboards and the flux CLI read Sluice's
 * status unchanged.
 */
public final class Reasons {
    public static final String SUCCEEDED = "Succeeded";
    public static final String RECONCILIATION_SUCCEEDED = "ReconciliationSucceeded";
    public static final String PROGRESSING = "Progressing";
    public static final String GIT_OPERATION_FAILED = "GitOperationFailed";
    public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
    public static final String INVALID_PROVIDER_CONFIGURATION = "InvalidProviderConfiguration";
    public static final String ARTIFACT_FAILED = "ArtifactFailed";
    public static final String BUILD_FAILED = "BuildFailed";
    public static final String RECONCILIATION_FAILED = "ReconciliationFailed";
    public static final String HEALTH_CHECK_FAILED = "HealthCheckFailed";
    public static final String DEPENDENCY_NOT_READY = "DependencyNotReady";

    /**
     * Not a Flux reason (Flux waits on a cycle for ever): the dependsOn chain leads back to the
     * object.
     */
    public static final String DEPENDENCY_CYCLE = "DependencyCycle";

    public static final String DRIFT_CORRECTED = "DriftCorrected";

    /** helm-controller's reason for drift found and, in {@code warn} mode, not corrected. */
    public static final String DRIFT_DETECTED = "DriftDetected";

    public static final String SUSPENDED = "Suspended";

    /**
     * helm-controller's release reasons, with its messages' wording where Sluice reports the same
     * step.
     */
    public static final String INSTALL_SUCCEEDED = "InstallSucceeded";

    public static final String INSTALL_FAILED = "InstallFailed";
    public static final String UPGRADE_SUCCEEDED = "UpgradeSucceeded";
    public static final String UPGRADE_FAILED = "UpgradeFailed";
    public static final String TEST_SUCCEEDED = "TestSucceeded";
    public static final String TEST_FAILED = "TestFailed";
    public static final String ROLLBACK_SUCCEEDED = "RollbackSucceeded";
    public static final String ROLLBACK_FAILED = "RollbackFailed";
    public static final String UNINSTALL_SUCCEEDED = "UninstallSucceeded";
    public static final String UNINSTALL_FAILED = "UninstallFailed";
    public static final String RETRIES_EXCEEDED = "RetriesExceeded";
    public static final String MISSING_ROLLBACK_TARGET = "MissingRollbackTarget";

    private Reasons() {}
}
