package io.sluice.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One local stack for the whole test run, shared by every test class that uses this extension, and
 * stopped when the run ends (the launchers also stop it if this JVM dies). A failed test leaves a
 * {@link FailureDigest} of what the services logged meanwhile.
 */
public final class LocalStackExtension
        implements BeforeAllCallback, BeforeEachCallback, TestWatcher {
    private static final ExtensionContext.Namespace STARTS =
            ExtensionContext.Namespace.create(LocalStackExtension.class);
    private static LocalStack stack;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (LocalStackExtension.class) {
            if (stack == null) {
                Path repoRoot =
                        Path.of(System.getProperty("sluice.repo.root", ".."))
                                .toAbsolutePath()
                                .normalize();
                Files.deleteIfExists(FailureDigest.FILE); // an earlier run's
                Path runDir = Files.createTempDirectory("sluice-stack-");
                stack = LocalStack.start(repoRoot, runDir);
                context.getRoot()
                        .getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(LocalStackExtension.class, stack);
                System.out.println(
                        "local stack up in "
                                + runDir
                                + " (logs in "
                                + runDir.resolve("logs")
                                + ")");
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(STARTS).put(context.getUniqueId(), Instant.now());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Instant start = context.getStore(STARTS).get(context.getUniqueId(), Instant.class);
        if (stack != null && start != null) {
            FailureDigest.write(
                    context.getRequiredTestClass().getSimpleName() + "#" + context.getDisplayName(),
                    start,
                    stack,
                    stack.runDir().resolve("logs"));
        }
    }

    public static LocalStack stack() {
        return stack;
    }
}
