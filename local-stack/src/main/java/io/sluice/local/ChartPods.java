package io.sluice.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.local.pods.Container;
import io.sluice.local.pods.OciImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The four services run as the chart's Deployments say, from the images deploy/images/build wrote:
 * each pod's container (command, environment, user, read-only root, /tmp volume, memory limit)
 * started by deploy/local/pod/run, authenticated by its ServiceAccount's token where the in-cluster
 * configuration reads it. A node cannot run on this machine (see docs/install.md); this is the
 * kubelet's part done by hand, the chart's part left as it is.
 */
final class ChartPods {
    private ChartPods() {}

    /**
     * The containers, not started yet.
     *
     * @param values the chart values this environment needs (where Kafka and the collector are)
     * @param runDir where the unpacked images and each container's files are kept
     * @param pids the file the stack's watchdog reads the services' pids from
     */
    static List<ServiceProcess> prepare(
            Path repoRoot,
            KubernetesClient admin,
            String namespace,
            Map<String, String> values,
            Path runDir,
            Path logs,
            Path pids)
            throws IOException, InterruptedException {
        Map<String, OciImage> images = images(repoRoot.resolve("target/images"));
        Config config = admin.getConfiguration();
        URI server = URI.create(config.getMasterUrl());
        String ca =
                config.getCaCertData() != null
                        ? new String(Base64.getDecoder().decode(config.getCaCertData()))
                        : Files.readString(Path.of(config.getCaCertFile()));
        List<ServiceProcess> containers = new ArrayList<>();
        for (HasMetadata object : SluiceChart.render(repoRoot, admin, namespace, values)) {
            if (!(object instanceof Deployment deployment)) {
                continue;
            }
            String name = deployment.getMetadata().getName();
            var pod = deployment.getSpec().getTemplate().getSpec();
            String reference = pod.getContainers().get(0).getImage();
            OciImage image = images.get(reference);
            if (image == null) {
                throw new IOException(
                        "no image " + reference + " in target/images: run deploy/images/build");
            }
            Container container =
                    Container.prepare(
                            name,
                            pod,
                            image,
                            repoRoot.resolve("deploy/local/pod/run"),
                            rootfs(image, runDir.resolve("rootfs")),
                            runDir.resolve(name),
                            Map.entry(server.getHost(), server.getPort()),
                            namespace,
                            ChartAccounts.token(admin, namespace, pod.getServiceAccountName()),
                            ca);
            containers.add(
                    ServiceProcess.container(
                            name,
                            container.command(),
                            container.port(),
                            logs.resolve(name + ".log"),
                            pids));
        }
        return containers;
    }

    /** The image tarballs by the reference each is tagged with. */
    private static Map<String, OciImage> images(Path dir) throws IOException {
        Map<String, OciImage> images = new LinkedHashMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path tarball : files.filter(f -> f.toString().endsWith(".tar")).toList()) {
                    OciImage image = OciImage.read(tarball);
                    images.put(image.reference(), image);
                }
            }
        }
        return images;
    }

    /** The image unpacked once per digest, as a runtime's snapshot store keeps it. */
    private static Path rootfs(OciImage image, Path store) throws IOException {
        Path rootfs = store.resolve(image.digest().replace(':', '-'));
        if (!Files.isDirectory(rootfs)) {
            Path partial = store.resolve(rootfs.getFileName() + ".partial");
            Launcher.deleteRecursively(partial);
            image.unpack(partial);
            Files.move(partial, rootfs);
        }
        return rootfs;
    }
}
