package io.sluice.render.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Unpacked artifacts, the last few kept for the next renders on the same thread (a render lane is
 * one thread): the Kustomizations of a revision render one after another, and unpacking the whole
 * artifact for each (a thousand Kustomizations of one repository: a thousand unpacks of a thousand
 * files) was most of a render's cost. A render changes only the kustomization file of the directory
 * it builds (Flux's generated or amended one); checking in puts that file back as it was, so the
 * next render finds the artifact exactly as unpacked. A render that decrypts (sops writes plaintext
 * into the tree) gets a tree of its own, deleted when it ends. The trees live in a directory named
 * after the process; the directories of processes that are gone are deleted at start.
 */
public final class ArtifactTrees {
    /** The names kustomize reads a kustomization from, the only files a render writes. */
    private static final List<String> KUSTOMIZATION_FILES =
            List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private static final int KEPT_PER_THREAD = 4;

    private final ArtifactFetcher fetcher;

    /** Per thread, digest → unpacked root, least recently used first. */
    private final ThreadLocal<LinkedHashMap<String, Path>> kept =
            ThreadLocal.withInitial(() -> new LinkedHashMap<>(8, 0.75f, true));

    private final Path base;

    /** Where evicted trees are deleted: no render reads them any more. */
    private final Executor deletions;

    ArtifactTrees(ArtifactFetcher fetcher, Path base, Executor deletions) {
        this.fetcher = fetcher;
        this.base = base;
        this.deletions = deletions;
    }

    /**
     * Trees in {@code <tmp>/render-trees-<pid>}, after deleting those of processes that are gone
     * (and this pid's own: a restarted container keeps its pid and its /tmp).
     */
    public static ArtifactTrees inTemporaryDirectory(ArtifactFetcher fetcher) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long self = ProcessHandle.current().pid();
        try (var dirs = Files.newDirectoryStream(tmp, "render-trees-*")) {
            for (Path dir : dirs) {
                String pid = dir.getFileName().toString().substring("render-trees-".length());
                // a name this class did not make is left alone
                boolean gone =
                        pid.matches("[0-9]+")
                                && (Long.parseLong(pid) == self
                                        || ProcessHandle.of(Long.parseLong(pid)).isEmpty());
                if (gone) {
                    WorkDirs.delete(dir);
                }
            }
            // deleting a thousand files is not the wait of the render that evicted them
            Executor deletions =
                    Executors.newSingleThreadExecutor(
                            r -> {
                                Thread t = new Thread(r, "render-tree-deletion");
                                t.setDaemon(true);
                                return t;
                            });
            return new ArtifactTrees(
                    fetcher,
                    Files.createDirectories(tmp.resolve("render-trees-" + self)),
                    deletions);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A checked-out tree: its root, and what check-in restores. */
    public final class Checkout implements AutoCloseable {
        private final Path root;
        private final boolean own;
        private final Map<Path, byte[]> originals = new LinkedHashMap<>();

        private final String digest;

        private Checkout(Path root, boolean own, String digest, String path) throws IOException {
            this.root = root;
            this.digest = digest;
            this.own = own;
            if (!own) {
                remember(path);
            }
        }

        public Path root() {
            return root;
        }

        /** The kustomization files of {@code path} as they are (null: absent). */
        private void remember(String path) throws IOException {
            Path real = root.toRealPath();
            Path dir = real.resolve(path == null ? "" : path.replaceFirst("^/+", "")).normalize();
            if (Files.isDirectory(dir)) {
                dir = dir.toRealPath();
            }
            if (!dir.startsWith(real)) {
                return; // the build refuses it
            }
            for (String name : KUSTOMIZATION_FILES) {
                Path file = dir.resolve(name);
                originals.put(file, Files.isRegularFile(file) ? Files.readAllBytes(file) : null);
            }
        }

        /**
         * Puts the kustomization files back (a tree that cannot be put back is deleted, and the
         * next render unpacks afresh); a tree of its own is deleted.
         */
        @Override
        public void close() {
            if (own) {
                WorkDirs.delete(root);
                return;
            }
            try {
                for (Map.Entry<Path, byte[]> original : originals.entrySet()) {
                    if (original.getValue() == null) {
                        Files.deleteIfExists(original.getKey());
                    } else {
                        Files.write(original.getKey(), original.getValue());
                    }
                }
            } catch (IOException e) {
                kept.get().remove(digest);
                WorkDirs.delete(root);
            }
        }
    }

    /**
     * The artifact unpacked, with {@code path} (the Kustomization's spec.path) to be restored at
     * check-in; {@code own}: a tree of its own (for a render that writes more than its
     * kustomization file).
     */
    public Checkout checkout(String url, String digest, String path, boolean own)
            throws IOException, InterruptedException {
        if (own) {
            return new Checkout(unpacked(url, digest), true, digest, path);
        }
        LinkedHashMap<String, Path> trees = kept.get();
        Path root = trees.get(digest);
        if (root == null || !Files.isDirectory(root)) {
            root = unpacked(url, digest);
            trees.put(digest, root);
            if (trees.size() > KEPT_PER_THREAD) {
                var eldest = trees.entrySet().iterator().next();
                trees.remove(eldest.getKey());
                Path evicted = eldest.getValue(); // a lane's trees are its own
                deletions.execute(() -> WorkDirs.delete(evicted));
            }
        }
        return new Checkout(root, false, digest, path);
    }

    private Path unpacked(String url, String digest) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory(Files.createDirectories(base), "tree-");
        try {
            fetcher.fetchInto(url, digest, root);
            return root;
        } catch (IOException | InterruptedException | RuntimeException e) {
            WorkDirs.delete(root);
            throw e;
        }
    }
}
