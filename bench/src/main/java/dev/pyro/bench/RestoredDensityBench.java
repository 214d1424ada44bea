package dev.pyro.bench;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.contract.Defaults;
import dev.pyro.vm.ProcessMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Host memory of many idle workspaces restored from one template (issue 17: ten idle restored
 * workspaces ≤ 2 GiB of host RSS in total). Templates on: the default workspace template is
 * built first if missing ({@code env pull}); then COUNT workspaces are created (each restored
 * from it), each runs one light command (a few programs, a file written), and all idle. Prints
 * the total RSS and PSS of their QEMU processes after the commands and every 10 s of idling
 * (PSS splits the template pages and libraries they share), the parts of one VM, and total RSS
 * / 2 GiB. Usage: {@code bench/run RestoredDensity [COUNT] [IDLE_SECONDS]} (defaults 10, 60).
 */
public final class RestoredDensityBench {
    private static final double GOAL_MIB = 2048;

    private RestoredDensityBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path home = Files.createTempDirectory("pyro-bench-restored-density");
        PyroConfig config = PyroConfig.fromEnvironment(Map.of("PYRO_HOME", home.toString()),
                Path.of(System.getProperty("user.home"))).withTemplates(true);
        List<String> ids = new ArrayList<>();
        try (Pyro pyro = Pyro.create(config)) {
            pyro.pullEnvironment("debian:12"); // builds the workspace template unless present
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12").withTtlSeconds(3600))
                        .workspaceId();
                ids.add(id);
                pids.add(DensityBench.qemuPid(home, id));
                DensityBench.run(pyro, id, lightUse());
            }
            long restored = pids.stream().filter(RestoredDensityBench::restored).count();
            System.out.printf(Locale.ROOT, "%d workspaces, %d with their RAM mapped from the template%n", count,
                    restored);
            ProcessMemory total = total(pids);
            report("after create + one command", total, count);
            long start = System.nanoTime();
            for (int s = 0; s < idleSeconds; s += 10) {
                Thread.sleep(10_000); // a bench samples on a clock; the memory has no event to wait for
                total = total(pids);
                System.out.printf(Locale.ROOT, "  idle %3d s: total pss %6.0f MiB, rss %6.0f MiB%n",
                        (System.nanoTime() - start) / 1_000_000_000L, total.pssMib(), total.rssMib());
            }
            report("after " + idleSeconds + " s idle", total, count);
            System.out.println("  one of them:");
            SmapsBreakdown.print(pids.get(0), Defaults.MEM_MIB);
            System.out.printf(Locale.ROOT, "ratio: total rss / 2 GiB = %.2f (goal <= 1.0), total pss / 2 GiB = %.2f%n",
                    total.rssMib() / GOAL_MIB, total.pssMib() / GOAL_MIB);
        } finally {
            try (Pyro pyro = Pyro.create(config)) {
                ids.forEach(pyro::deleteWorkspace);
            }
        }
    }

    /** What an agent's first command in a fresh workspace does: a few programs, a file written. */
    static String lightUse() {
        return "set -e; cd /workspace; git init -q repo; cd repo; ls -l /usr/bin > list.txt; "
                + "git add list.txt; git -c user.name=b -c user.email=b@b commit -qm first; "
                + "perl -e 'print 1' >/dev/null; sort list.txt | sha256sum >/dev/null; sync";
    }

    private static boolean restored(long pid) {
        try {
            return SmapsBreakdown.of(pid, Defaults.MEM_MIB).containsKey(SmapsBreakdown.GUEST_RAM_FILE);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static ProcessMemory total(List<Long> pids) {
        long rss = 0;
        long pss = 0;
        for (long pid : pids) {
            ProcessMemory m = DensityBench.sample(pid);
            rss += m.rssKib();
            pss += m.pssKib();
        }
        return new ProcessMemory(rss, pss);
    }

    private static void report(String when, ProcessMemory total, int count) {
        System.out.printf(Locale.ROOT, "%-28s total pss %6.0f MiB, rss %6.0f MiB (per workspace: pss %5.0f, "
                + "rss %5.0f MiB)%n", when, total.pssMib(), total.rssMib(), total.pssMib() / count,
                total.rssMib() / count);
    }
}
