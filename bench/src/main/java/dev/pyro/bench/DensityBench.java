package dev.pyro.bench;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.vm.ProcessMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Host memory of one workspace's VMM process (PSS and RSS from {@code /proc/PID/smaps_rollup})
 * right after create, after heavy work in the guest (files written and read back through the
 * page cache, then a burst of many short processes, as a build does), and after the workspace
 * has sat idle. Prints idle / create and work / create: the goal of issue 17 is that an idle
 * workspace gives back what its work took (RSS 60 s after filling 800 MiB of page cache
 * ≤ 300 MiB). Usage: {@code bench/run Density [IDLE_SECONDS] [FILE_MIB]} (defaults 60, 600).
 */
public final class DensityBench {
    private DensityBench() {
    }

    public static void main(String[] args) throws Exception {
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int fileMib = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        Path home = Files.createTempDirectory("pyro-bench-density");
        PyroConfig config = PyroConfig.fromEnvironment(Map.of("PYRO_HOME", home.toString()),
                Path.of(System.getProperty("user.home")));
        try (Pyro pyro = Pyro.create(config)) {
            String id = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12").withTtlSeconds(3600))
                    .workspaceId();
            long pid = qemuPid(home, id);
            ProcessMemory created = sample(pid);
            report("after create", created, created);

            long t0 = System.nanoTime();
            run(pyro, id, fillAndRead(fileMib));
            long t1 = System.nanoTime();
            run(pyro, id, processBurst());
            ProcessMemory worked = sample(pid);
            // The burst's time shows what a capped translation cache costs (retranslation after flushes).
            System.out.printf(Locale.ROOT, "work took %.0f s (files %.0f s, process burst %.0f s)%n",
                    (System.nanoTime() - t0) / 1e9, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
            report("after work", worked, created);

            ProcessMemory idle = worked;
            long start = System.nanoTime();
            for (int s = 0; s < idleSeconds; s += 5) {
                Thread.sleep(5000); // a bench samples on a clock; the memory has no event to wait for
                idle = sample(pid);
                System.out.printf(Locale.ROOT, "  idle %3d s: pss %6.0f MiB, rss %6.0f MiB%n",
                        (System.nanoTime() - start) / 1_000_000_000L, idle.pssMib(), idle.rssMib());
            }
            report("after " + idleSeconds + " s idle", idle, created);
            System.out.printf(Locale.ROOT, "ratios (pss): work / create = %.2f, idle / create = %.2f, "
                    + "idle / work = %.2f%n", worked.pssMib() / created.pssMib(),
                    idle.pssMib() / created.pssMib(), idle.pssMib() / worked.pssMib());
            System.out.printf(Locale.ROOT, "ratios (rss): work / create = %.2f, idle / create = %.2f, "
                    + "idle / work = %.2f%n", worked.rssMib() / created.rssMib(),
                    idle.rssMib() / created.rssMib(), idle.rssMib() / worked.rssMib());
            pyro.deleteWorkspace(id);
        }
    }

    /** Writes {@code mib} MiB of incompressible files into /workspace, syncs, reads them back. */
    static String fillAndRead(int mib) {
        int files = Math.max(1, mib / 100);
        return "set -e; cd /workspace; for i in $(seq " + files + "); do head -c " + (mib / files)
                + "M /dev/urandom > fill.$i; done; sync; cat fill.* | sha256sum >/dev/null";
    }

    /** Many short processes of different programs: the guest code a build touches fills the TCG cache. */
    static String processBurst() {
        return "set -e; cd /workspace; for i in $(seq 40); do git --version >/dev/null; "
                + "perl -e 'my %h; $h{$_} = $_ * 2 for 1..2000; print scalar(keys %h), \"\\n\"' >/dev/null; "
                + "sort -r /etc/services | sha256sum >/dev/null; seq 1 3000 | awk '{s+=$1} END {print s}' >/dev/null; "
                + "tar -C /usr/share/perl -cf - . 2>/dev/null | gzip -1 | wc -c >/dev/null; done; "
                + "git init -q repo && cd repo && cp -r /etc/. . 2>/dev/null || true; git add -A && "
                + "git -c user.name=b -c user.email=b@b commit -qm burst && git log --oneline | wc -l";
    }

    private static void run(Pyro pyro, String id, String script) {
        WorkspaceExecResult r = pyro.execWorkspace(id, List.of("sh", "-c", script), 3600);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("guest work failed (" + r.exitCode() + "): " + r.stderr());
        }
    }

    private static long qemuPid(Path home, String id) throws Exception {
        Path pidFile = home.resolve("workspaces").resolve(id).resolve("vm").resolve("qemu.pid");
        return Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
    }

    private static ProcessMemory sample(long pid) {
        return ProcessMemory.of(pid).orElseThrow(() -> new IllegalStateException("VMM process " + pid + " is gone"));
    }

    private static void report(String when, ProcessMemory m, ProcessMemory created) {
        System.out.printf(Locale.ROOT, "%-20s pss %6.0f MiB (%.2f x create), rss %6.0f MiB%n", when, m.pssMib(),
                m.pssMib() / created.pssMib(), m.rssMib());
    }
}
