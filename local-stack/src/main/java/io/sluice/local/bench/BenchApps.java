package io.sluice.local.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import io.sluice.local.GitWorkspace;
import io.sluice.local.LocalStack;
import io.sluice.local.Manifests;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * The benchmarks' apps: K Kustomizations of 4 objects each (ServiceAccount, Service, Deployment,
 * Ingress; wait, prune, postBuild substitution, targetNamespace), as Flux's own benchmark has them,
 * on one Git repository, {@code apps/app-NNNN}.
 */
final class BenchApps {
    static final String NS = "flux-system";
    static final String TARGET = "bench";

    private BenchApps() {}

    /** The apps' repository, open for more commits, and the commit that holds the apps. */
    record Pushed(GitWorkspace repo, String sha) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            repo.close();
        }
    }

    /**
     * The apps' repository on the stack's Git server, with {@code apps} apps pushed, and the
     * GitRepository that reads it (interval 60m).
     */
    static Pushed pushRepository(LocalStack stack, int apps) throws Exception {
        String url = stack.git().create(TARGET);
        GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory("bench-apps"), url);
        for (int i = 0; i < apps; i++) {
            repo.write(path(i), objects("${app}"));
        }
        String sha = repo.commitAndPush(apps + " apps");
        Manifests.apply(stack.client(), Manifests.gitRepository(NS, TARGET, url, "60m"));
        return new Pushed(repo, sha);
    }

    /** App {@code i}'s file in the repository. */
    static String path(int i) {
        return "apps/%s/objects.yaml".formatted(app(i));
    }

    static void createKustomizations(KubernetesClient client, int apps) throws Exception {
        inParallel(
                apps,
                8,
                i ->
                        Manifests.apply(
                                client,
                                """
                                apiVersion: kustomize.toolkit.fluxcd.io/v1
                                kind: Kustomization
                                metadata: {name: %1$s, namespace: %2$s}
                                spec:
                                  interval: 60m
                                  path: ./apps/%1$s
                                  prune: true
                                  wait: true
                                  timeout: 5m
                                  targetNamespace: %3$s
                                  sourceRef: {kind: GitRepository, name: %3$s}
                                  postBuild:
                                    substitute: {app: %1$s}
                                """
                                        .formatted(app(i), NS, TARGET)));
    }

    interface Step {
        void run(int i) throws Exception;
    }

    static void inParallel(int count, int threads, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                done.add(
                        pool.submit(
                                () -> {
                                    step.run(index);
                                    return null;
                                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits (to the deadline) until {@code count} objects the informer sees pass {@code test}. */
    static <T extends HasMetadata> void awaitAll(
            SharedIndexInformer<T> informer, int count, Predicate<T> test, Duration timeout)
            throws InterruptedException {
        Map<String, Boolean> passed = new ConcurrentHashMap<>();
        informer.addEventHandler(
                new ResourceEventHandler<T>() {
                    @Override
                    public void onAdd(T object) {
                        passed.put(object.getMetadata().getName(), test.test(object));
                    }

                    @Override
                    public void onUpdate(T old, T object) {
                        onAdd(object);
                    }

                    @Override
                    public void onDelete(T object, boolean unknown) {
                        passed.remove(object.getMetadata().getName());
                    }
                });
        informer.start();
        try {
            Instant deadline = Instant.now().plus(timeout);
            while (passed.values().stream().filter(p -> p).count() < count) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            passed.values().stream().filter(p -> p).count()
                                    + " of "
                                    + count
                                    + " within "
                                    + timeout);
                }
                Thread.sleep(100);
            }
        } finally {
            informer.close();
        }
    }

    static boolean readyAt(Kustomization k, String revision) {
        return k.getStatus() != null
                && revision.equals(k.getStatus().lastAppliedRevision)
                && Conditions.isTrue(k.getStatus().conditions, Conditions.READY);
    }

    static String app(int i) {
        return "app-%04d".formatted(i);
    }

    /** One app's objects, named {@code name} (a postBuild variable for the engines). */
    static String objects(String name) {
        return """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: %1$s
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s
                spec:
                  selector:
                    app: %1$s
                  ports: [{name: http, port: 80, targetPort: 9898}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                spec:
                  replicas: 1
                  selector:
                    matchLabels:
                      app: %1$s
                  template:
                    metadata:
                      labels:
                        app: %1$s
                    spec:
                      serviceAccountName: %1$s
                      containers:
                      - name: podinfo
                        image: ghcr.io/stefanprodan/podinfo:6.9.4
                        ports: [{containerPort: 9898}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: %1$s
                spec:
                  rules:
                  - host: %1$s.example.com
                    http:
                      paths:
                      - path: /
                        pathType: Prefix
                        backend:
                          service:
                            name: %1$s
                            port: {number: 80}
                """
                .formatted(name);
    }

    /** The app a benchmark's sample {@code i} works on: spread over the K apps. */
    static int sampled(int apps, int i) {
        return (apps / 2 + i * 7919) % apps;
    }

    /** A benchmark's run directory, deleted when it ends. */
    static void deleteQuietly(java.nio.file.Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
