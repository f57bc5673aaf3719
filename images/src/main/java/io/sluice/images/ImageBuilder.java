package io.sluice.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes each service's image as an OCI tarball, without a daemon or a registry, and prints {@code
 * <service> <digest> <size> <tarball>}. Run by deploy/images/build:
 *
 * <pre>
 * ImageBuilder --base DIR --registry ghcr.io/sluice --version V --out DIR
 *              --service NAME=QUARKUS_APP:PORT ... [--tool NAME:TOOL=BINARY ...]
 * </pre>
 */
public final class ImageBuilder {
    private ImageBuilder() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> single = new LinkedHashMap<>();
        List<String> services = new ArrayList<>();
        List<String> tools = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--service" -> services.add(args[i + 1]);
                case "--tool" -> tools.add(args[i + 1]);
                default -> single.put(args[i], args[i + 1]);
            }
        }
        Path base = Path.of(required(single, "--base"));
        Path out = Files.createDirectories(Path.of(required(single, "--out")));
        for (String service : services) {
            String name = service.substring(0, service.indexOf('='));
            String app = service.substring(name.length() + 1, service.lastIndexOf(':'));
            int port = Integer.parseInt(service.substring(service.lastIndexOf(':') + 1));
            Map<String, Path> own = new LinkedHashMap<>();
            for (String tool : tools) {
                if (tool.startsWith(name + ":")) {
                    String rest = tool.substring(name.length() + 1);
                    own.put(
                            rest.substring(0, rest.indexOf('=')),
                            Path.of(rest.substring(rest.indexOf('=') + 1)));
                }
            }
            ServiceImage image = new ServiceImage(name, base, Path.of(app), own, port);
            Path tarball = out.resolve(name + ".tar");
            String reference =
                    required(single, "--registry")
                            + "/"
                            + name
                            + ":"
                            + required(single, "--version");
            JibContainer built = write(image, tarball, reference, out.resolve("jib-cache"));
            System.out.printf(
                    "%s %s %d %s%n", name, built.getDigest(), Files.size(tarball), tarball);
        }
    }

    static JibContainer write(ServiceImage image, Path tarball, String reference, Path cache)
            throws Exception {
        return image.builder()
                .containerize(
                        Containerizer.to(TarImage.at(tarball).named(reference))
                                .setBaseImageLayersCache(cache.resolve("base"))
                                .setApplicationLayersCache(cache.resolve("application"))
                                .setOfflineMode(true)
                                .setToolName("sluice-images"));
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
