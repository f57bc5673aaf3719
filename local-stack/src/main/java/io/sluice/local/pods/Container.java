package io.sluice.local.pods;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's first container made ready to run as a kubelet would make it: the command from the pod
 * spec or else the image, the image's environment overlaid by the spec's plus what the kubelet adds
 * (the API server's address), the user and group from the security contexts or else the image,
 * emptyDir volumes as fresh directories, and the service account's token, CA and namespace where
 * in-cluster clients read them. Anything the pod spec asks that this cannot honour fails here,
 * named, rather than running differently.
 */
public final class Container {
    static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    private final String name;
    private final List<String> command;
    private final int port;

    private Container(String name, List<String> command, int port) {
        this.name = name;
        this.command = command;
        this.port = port;
    }

    /**
     * @param launcher deploy/local/pod/run
     * @param rootfs the image unpacked
     * @param dir where this container's volumes, token and settings are written
     * @param apiServer host and port of the API server, as KUBERNETES_SERVICE_HOST/PORT give it
     * @param token a token of the pod's service account
     * @param caCertificate the API server's CA, PEM
     */
    public static Container prepare(
            String name,
            PodSpec pod,
            OciImage image,
            Path launcher,
            Path rootfs,
            Path dir,
            Map.Entry<String, Integer> apiServer,
            String namespace,
            String token,
            String caCertificate)
            throws IOException {
        io.fabric8.kubernetes.api.model.Container spec = pod.getContainers().get(0);
        Files.createDirectories(dir);
        List<String> mounts = new ArrayList<>();
        Path account = Files.createDirectories(dir.resolve("serviceaccount"));
        Files.writeString(account.resolve("token"), token);
        Files.writeString(account.resolve("ca.crt"), caCertificate);
        Files.writeString(account.resolve("namespace"), namespace);
        mounts.add(account + " " + SERVICE_ACCOUNT_DIR + " ro");
        for (VolumeMount mount : Optional.ofNullable(spec.getVolumeMounts()).orElse(List.of())) {
            mounts.add(
                    emptyDir(pod, mount, dir)
                            + " "
                            + mount.getMountPath()
                            + (Boolean.TRUE.equals(mount.getReadOnly()) ? " ro" : " rw"));
        }
        List<String> environment = new ArrayList<>(image.environment());
        environment.add("HOSTNAME=" + name);
        environment.add("KUBERNETES_SERVICE_HOST=" + apiServer.getKey());
        environment.add("KUBERNETES_SERVICE_PORT=" + apiServer.getValue());
        for (EnvVar variable : Optional.ofNullable(spec.getEnv()).orElse(List.of())) {
            if (variable.getValueFrom() != null) {
                throw new IOException(name + ": env " + variable.getName() + " uses valueFrom");
            }
            environment.add(
                    variable.getName() + "=" + Optional.ofNullable(variable.getValue()).orElse(""));
        }
        Path mountsFile = dir.resolve("mounts");
        Files.write(mountsFile, mounts);
        Path environmentFile = dir.resolve("environment");
        Files.writeString(
                environmentFile, String.join("\0", environment) + "\0", StandardCharsets.UTF_8);
        String[] imageUser = image.user().split(":", 2);
        SecurityContext own = spec.getSecurityContext();
        PodSecurityContext shared = pod.getSecurityContext();
        Long uid =
                first(
                        own == null ? null : own.getRunAsUser(),
                        shared == null ? null : shared.getRunAsUser(),
                        Long.valueOf(imageUser[0]));
        Long gid =
                first(
                        own == null ? null : own.getRunAsGroup(),
                        shared == null ? null : shared.getRunAsGroup(),
                        Long.valueOf(imageUser.length > 1 ? imageUser[1] : "0"));
        boolean nonRoot =
                Boolean.TRUE.equals(own == null ? null : own.getRunAsNonRoot())
                        || Boolean.TRUE.equals(shared == null ? null : shared.getRunAsNonRoot());
        if (nonRoot && uid == 0) {
            // the kubelet's words when runAsNonRoot meets a root user
            throw new IOException(name + ": container has runAsNonRoot and image will run as root");
        }
        Quantity memory =
                spec.getResources() == null || spec.getResources().getLimits() == null
                        ? null
                        : spec.getResources().getLimits().get("memory");
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.add(name);
        command.add(rootfs.toString());
        command.add(String.valueOf(uid));
        command.add(String.valueOf(gid));
        command.add(Optional.ofNullable(spec.getWorkingDir()).orElse(image.workingDirectory()));
        command.add(
                memory == null
                        ? "-1"
                        : Quantity.getAmountInBytes(memory).toBigInteger().toString());
        command.add(
                String.valueOf(
                        own != null && Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())));
        command.add(mountsFile.toString());
        command.add(environmentFile.toString());
        command.add("--");
        boolean ownCommand = spec.getCommand() != null && !spec.getCommand().isEmpty();
        command.addAll(ownCommand ? spec.getCommand() : image.entrypoint());
        if (spec.getArgs() != null && !spec.getArgs().isEmpty()) {
            command.addAll(spec.getArgs());
        } else if (!ownCommand) {
            command.addAll(image.cmd());
        }
        int port = spec.getPorts().get(0).getContainerPort();
        return new Container(name, List.copyOf(command), port);
    }

    public String name() {
        return name;
    }

    /** deploy/local/pod/run with this container's arguments. */
    public List<String> command() {
        return command;
    }

    /**
     * The first containerPort, which the service listens on (the pod shares the node's network).
     */
    public int port() {
        return port;
    }

    private static Path emptyDir(PodSpec pod, VolumeMount mount, Path dir) throws IOException {
        Volume volume =
                pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(mount.getName()))
                        .findFirst()
                        .orElseThrow(() -> new IOException("no volume " + mount.getName()));
        if (volume.getEmptyDir() == null) {
            throw new IOException(
                    "volume " + volume.getName() + ": only emptyDir volumes are run here");
        }
        Path host = Files.createDirectories(dir.resolve("volumes").resolve(volume.getName()));
        // as the kubelet makes an emptyDir: writable by whichever user the container runs as
        Files.setPosixFilePermissions(host, PosixFilePermissions.fromString("rwxrwxrwx"));
        return host;
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no value");
    }
}
