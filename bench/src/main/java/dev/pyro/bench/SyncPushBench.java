package dev.pyro.bench;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.WorkspaceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Sync push against its floor, in the same run, on one real workspace VM: a host tree of
 * 5,000 files and 100 MiB is (a) pushed with {@code sync push} (tar streamed over the agent
 * protocol, atomic import: staged, validated, moved into place), and (b) the same tree, as a
 * tar already inside the guest, unpacked there with {@code tar -xf}. Rounds alternate so host
 * noise hits both alike. The floor is the guest's own time for the unpack (its exec
 * {@code duration_ms}); the ratio against the unpack's host-observed wall time is printed too.
 * Goal (issue 17): push / in-guest unpack ≤ 1.5. A third series pushes the archive file itself
 * (passed through, no host directory walk): the difference to the directory push is the
 * host's cost of reading 5,000 files and writing the tar, which on a small host competes with
 * the guest's vCPU.
 *
 * <p>Usage: {@code bench/run SyncPush [ROUNDS] [FILES] [MIB]} (defaults 5, 5000, 100). Uses the
 * environment cache of the user (debian:12 must be pullable) and a temporary {@code PYRO_HOME}.
 */
public final class SyncPushBench {
    private SyncPushBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        long bytes = (args.length > 2 ? Long.parseLong(args[2]) : 100) << 20;
        Path tmp = Files.createTempDirectory("pyro-bench-sync");
        PyroConfig env = PyroConfig.fromEnvironment();
        PyroConfig config = new PyroConfig(tmp.resolve("home"), env.environmentCache(), env.cache(), env.backend());
        try (Pyro pyro = Pyro.create(config)) {
            Path tree = Files.createDirectories(tmp.resolve("tree"));
            writeTree(tree, files, bytes);
            Path archDir = Files.createDirectories(tmp.resolve("arch"));
            try (InputStream in = dev.pyro.workspace.SeedSource.of(tree.toString()).openTar();
                    OutputStream out = Files.newOutputStream(archDir.resolve("tree.tar"))) {
                in.transferTo(out);
            }
            long t0 = System.nanoTime();
            WorkspaceStatus ws = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12"));
            String id = ws.workspaceId();
            System.out.printf(Locale.ROOT, "files=%d bytes=%d rounds=%d cores=%d create_ms=%.0f%n", files, bytes,
                    rounds, Runtime.getRuntime().availableProcessors(), (System.nanoTime() - t0) / 1e6);
            try {
                pyro.syncPushWorkspace(id, archDir, "/workspace/arch"); // the floor's archive, in the guest
                Samples push = new Samples(rounds);
                Samples unpackGuest = new Samples(rounds);
                Samples unpackWall = new Samples(rounds);
                Samples pushTar = new Samples(rounds);
                for (int i = -1; i < rounds; i++) { // round -1 warms up both paths
                    long p0 = System.nanoTime();
                    pyro.syncPushWorkspace(id, tree, "/workspace/push");
                    double pushMs = (System.nanoTime() - p0) / 1e6;
                    long u0 = System.nanoTime();
                    WorkspaceExecResult u = exec(pyro, id,
                            "mkdir -p /workspace/unpack && tar -xf /workspace/arch/tree.tar -C /workspace/unpack");
                    double wallMs = (System.nanoTime() - u0) / 1e6;
                    long t1 = System.nanoTime();
                    pyro.syncPushWorkspace(id, archDir.resolve("tree.tar"), "/workspace/push-tar");
                    double pushTarMs = (System.nanoTime() - t1) / 1e6;
                    exec(pyro, id, "rm -rf /workspace/push /workspace/unpack /workspace/push-tar && sync");
                    if (i >= 0) {
                        push.add(pushMs);
                        unpackGuest.add(u.durationMs());
                        unpackWall.add(wallMs);
                        pushTar.add(pushTarMs);
                    }
                }
                System.out.printf(Locale.ROOT, "sync_push_ms median=%.0f p90=%.0f%n", push.median(),
                        push.percentile(90));
                System.out.printf(Locale.ROOT, "guest_unpack_ms median=%.0f p90=%.0f (guest-reported tar -xf)%n",
                        unpackGuest.median(), unpackGuest.percentile(90));
                System.out.printf(Locale.ROOT, "guest_unpack_wall_ms median=%.0f (the same exec seen from the host)%n",
                        unpackWall.median());
                System.out.printf(Locale.ROOT, "sync_push_of_the_archive_ms median=%.0f (no host directory walk)%n",
                        pushTar.median());
                System.out.printf(Locale.ROOT, "ratio push/unpack=%.2f (goal <= 1.5)%n",
                        push.median() / unpackGuest.median());
                System.out.printf(Locale.ROOT, "ratio push/unpack_wall=%.2f%n", push.median() / unpackWall.median());
                System.out.printf(Locale.ROOT, "ratio push_of_the_archive/unpack=%.2f%n",
                        pushTar.median() / unpackGuest.median());
            } finally {
                pyro.deleteWorkspace(id);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static WorkspaceExecResult exec(Pyro pyro, String id, String script) {
        WorkspaceExecResult r = pyro.execWorkspace(id, List.of("sh", "-c", script), 600);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(script + " exited " + r.exitCode() + ": " + r.stderr());
        }
        return r;
    }

    /** {@code files} files of about {@code bytes / files} bytes each, 50 per directory, not compressible. */
    private static void writeTree(Path root, int files, long bytes) throws IOException {
        Random rnd = new Random(17);
        byte[] buf = new byte[(int) (bytes / files)];
        for (int i = 0; i < files; i++) {
            rnd.nextBytes(buf);
            Path p = root.resolve(String.format(Locale.ROOT, "d%03d/f%05d.bin", i / 50, i));
            Files.createDirectories(p.getParent());
            Files.write(p, buf);
        }
    }
}
