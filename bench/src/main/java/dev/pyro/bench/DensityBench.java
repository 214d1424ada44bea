package dev.pyro.bench;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.contract.Defaults;
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
 * ≤ 300 MiB). Also where the VMM's memory is (guest RAM, translation cache, heap…) and, after the
 * idle period, the guest's own view ({@code /proc/meminfo}). Usage: {@code bench/run Density
 * [IDLE_SECONDS] [FILE_MIB] [booted|restored]} (defaults 60, 600, booted: templates off; restored:
 * the workspace restored from its template, whose balloon reports no free pages).
 */
public final class DensityBench {
    private DensityBench() {
    }

    public static void main(String[] args) throws Exception {
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int fileMib = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        boolean restored = args.length > 2 && args[2].equals("restored");
        Path home = Files.createTempDirectory("pyro-bench-density");
        PyroConfig config = PyroConfig.fromEnvironment(Map.of("PYRO_HOME", home.toString()),
                Path.of(System.getProperty("user.home"))).withTemplates(restored);
        try (Pyro pyro = Pyro.create(config)) {
            if (restored) {
                pyro.pullEnvironment("debian:12"); // builds the workspace template unless present
            }
            String id = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12").withTtlSeconds(3600))
                    .workspaceId();
            long pid = qemuPid(home, id);
            ProcessMemory created = sample(pid);
            report("after create", created, created);
            SmapsBreakdown.print(pid, Defaults.MEM_MIB);

            double cpu0 = cpuSeconds(pid);
            long t0 = System.nanoTime();
            run(pyro, id, fillAndRead(fileMib));
            long t1 = System.nanoTime();
            double cpu1 = cpuSeconds(pid);
            run(pyro, id, processBurst());
            double cpu2 = cpuSeconds(pid);
            ProcessMemory worked = sample(pid);
            // The burst shows what a capped translation cache costs (code translated again after
            // each flush); QEMU's CPU time says it with less of the host's load than wall time.
            System.out.printf(Locale.ROOT, "work took %.0f s (files %.0f s, process burst %.0f s); QEMU CPU: boot "
                    + "%.1f s, files %.1f s, burst %.1f s%n", (System.nanoTime() - t0) / 1e9, (t1 - t0) / 1e9,
                    (System.nanoTime() - t1) / 1e9, cpu0, cpu1 - cpu0, cpu2 - cpu1);
            report("after work", worked, created);
            SmapsBreakdown.print(pid, Defaults.MEM_MIB);

            ProcessMemory idle = worked;
            long start = System.nanoTime();
            for (int s = 0; s < idleSeconds; s += 5) {
                Thread.sleep(5000); // a bench samples on a clock; the memory has no event to wait for
                idle = sample(pid);
                System.out.printf(Locale.ROOT, "  idle %3d s: pss %6.0f MiB, rss %6.0f MiB%n",
                        (System.nanoTime() - start) / 1_000_000_000L, idle.pssMib(), idle.rssMib());
            }
            report("after " + idleSeconds + " s idle", idle, created);
            SmapsBreakdown.print(pid, Defaults.MEM_MIB);
            System.out.println("  guest /proc/meminfo after the idle period:");
            WorkspaceExecResult meminfo = pyro.execWorkspace(id, List.of("sh", "-c", MEMINFO), 60);
            new String(meminfo.stdout(), StandardCharsets.UTF_8).lines().forEach(l -> System.out.println("    " + l));
            System.out.printf(Locale.ROOT, "ratios (pss): work / create = %.2f, idle / create = %.2f, "
                    + "idle / work = %.2f%n", worked.pssMib() / created.pssMib(),
                    idle.pssMib() / created.pssMib(), idle.pssMib() / worked.pssMib());
            System.out.printf(Locale.ROOT, "ratios (rss): work / create = %.2f, idle / create = %.2f, "
                    + "idle / work = %.2f%n", worked.rssMib() / created.rssMib(),
                    idle.rssMib() / created.rssMib(), idle.rssMib() / worked.rssMib());
            pyro.deleteWorkspace(id);
        }
    }

    /** The guest's memory by kind, in MiB. */
    private static final String MEMINFO = "awk '/^(MemTotal|MemFree|Cached|Buffers|AnonPages|Slab|SReclaimable|"
            + "SUnreclaim|PageTables|KernelStack|Percpu|Shmem):/ {printf \"%-13s %6.1f MiB\\n\", $1, $2/1024}' "
            + "/proc/meminfo";

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

    static void run(Pyro pyro, String id, String script) {
        WorkspaceExecResult r = pyro.execWorkspace(id, List.of("sh", "-c", script), 3600);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("guest work failed (" + r.exitCode() + "): " + r.stderr());
        }
    }

    static long qemuPid(Path home, String id) throws Exception {
        Path pidFile = home.resolve("workspaces").resolve(id).resolve("vm").resolve("qemu.pid");
        return Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
    }

    /** User + system CPU time of process {@code pid} ({@code /proc/PID/stat}, 100 ticks a second). */
    static double cpuSeconds(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime: fields 14 and 15
    }

    static ProcessMemory sample(long pid) {
        return ProcessMemory.of(pid).orElseThrow(() -> new IllegalStateException("VMM process " + pid + " is gone"));
    }

    private static void report(String when, ProcessMemory m, ProcessMemory created) {
        System.out.printf(Locale.ROOT, "%-20s pss %6.0f MiB (%.2f x create), rss %6.0f MiB%n", when, m.pssMib(),
                m.pssMib() / created.pssMib(), m.rssMib());
    }
}
