package io.sluice.images;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service's image, in layers from the least to the most often changed: the C libraries (base
 * {@code rootfs/}), the Java runtime ({@code java/} at /opt/java), the Go tools the service runs
 * (render-service's kustomize, helm and sops), the application's dependencies, the application.
 * Nothing in it is a shell; it runs as sluice (10001) and writes only to /tmp, which the pod
 * mounts.
 *
 * @param service e.g. {@code render-service}
 * @param base a directory of {@code deploy/images/base}
 * @param application the service's {@code target/quarkus-app}
 * @param tools name to binary, put at /usr/local/bin/<name> and named by {@code SLUICE_<NAME>} (as
 *     the local stack names its pinned builds)
 */
public record ServiceImage(
        String service, Path base, Path application, Map<String, Path> tools, int port) {
    static final String USER = "10001:10001";
    private static final AbsoluteUnixPath APP = AbsoluteUnixPath.get("/app");

    static final List<String> ENTRYPOINT =
            List.of("/opt/java/bin/java", "-jar", "/app/quarkus-run.jar");

    /**
     * The JVM's options, in JDK_JAVA_OPTIONS so a chart value can change them without replacing the
     * command: the heap from the container's memory limit (60 %: the rest holds metaspace, threads,
     * Netty's buffers, and render-service's helm, kustomize and sops, which run in the same
     * cgroup), kept close to the live set (Serial GC keeps 40 % free by default, and a young
     * generation sized from the limit, here at most 24 MiB; each MiB of live data then costs about
     * 1.5 MiB resident), a stop on OutOfMemoryError so the kubelet restarts it, and no hsperfdata
     * file.
     */
    static final String JAVA_OPTIONS =
            "-XX:MaxRAMPercentage=60 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:MaxNewSize=24m"
                    + " -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -XX:+UseSerialGC";

    public ServiceImage {
        tools = new TreeMap<>(tools);
    }

    public JibContainerBuilder builder() {
        JibContainerBuilder image =
                Jib.fromScratch()
                        .setFormat(ImageFormat.OCI)
                        .setCreationTime(Instant.EPOCH)
                        .addFileEntriesLayer(
                                DirectoryLayer.of(
                                        "c-libraries",
                                        base.resolve("rootfs"),
                                        AbsoluteUnixPath.get("/")))
                        .addFileEntriesLayer(
                                DirectoryLayer.of(
                                        "java",
                                        base.resolve("java"),
                                        AbsoluteUnixPath.get("/opt/java")));
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/local/bin:/opt/java/bin");
        environment.put("JAVA_HOME", "/opt/java");
        environment.put("LANG", "C.UTF-8");
        environment.put("JDK_JAVA_OPTIONS", JAVA_OPTIONS);
        // glibc's per-thread malloc arenas are what make a JVM's resident size outgrow its heap
        environment.put("MALLOC_ARENA_MAX", "2");
        tools.forEach(
                (name, binary) -> {
                    AbsoluteUnixPath inImage = AbsoluteUnixPath.get("/usr/local/bin/" + name);
                    image.addFileEntriesLayer(DirectoryLayer.file(name, binary, inImage));
                    environment.put("SLUICE_" + name.toUpperCase(), inImage.toString());
                });
        return image.addFileEntriesLayer(
                        DirectoryLayer.of(
                                "dependencies",
                                application,
                                APP,
                                top -> top.toString().equals("lib")))
                .addFileEntriesLayer(
                        DirectoryLayer.of(
                                "application",
                                application,
                                APP,
                                top -> !top.toString().equals("lib")))
                .setEnvironment(environment)
                .setEntrypoint(ENTRYPOINT)
                .setUser(USER)
                .setWorkingDirectory(APP)
                .addExposedPort(Port.tcp(port))
                .addLabel("org.opencontainers.image.title", "sluice " + service)
                .addLabel("org.opencontainers.image.source", "https://github.com/sluice/sluice");
    }
}
