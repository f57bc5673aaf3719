package io.sluice.local;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local stack for the whole test run, shared by every test class that uses this extension, and
 * stopped when the run ends (the launchers also stop it if this JVM dies).
 */
public final class LocalStackExtension implements BeforeAllCallback {
    private static LocalStack stack;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (LocalStackExtension.class) {
            if (stack == null) {
                Path repoRoot =
                        Path.of(System.getProperty("sluice.repo.root", ".."))
                                .toAbsolutePath()
                                .normalize();
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

    public static LocalStack stack() {
        return stack;
    }
}
