package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether the host can hold one more guest. Guest memory is allocated lazily, so a VM costs
 * little at first and up to its whole size later; admitting VMs whose sizes add up to more
 * than the host has only postpones the failure to the moment a guest touches its memory,
 * when the kernel's out-of-memory killer ends a VMM (or something else). So a new VM is
 * admitted only when
 *
 * <ul>
 *   <li>the memory promised to the running pyro VMs (from their records) plus the new one
 *       fits in RAM plus swap, less a reserve for the host, and</li>
 *   <li>the new one fits in what is available right now (other programs, other users'
 *       VMs), less the same reserve.</li>
 * </ul>
 *
 * @param host        the host's memory
 * @param promisedMib memory promised to the running pyro VMs
 * @param runningVms  how many of them run
 */
public record MemoryBudget(HostMemory host, long promisedMib, int runningVms) {
    /** The reserve kept for the host: a tenth of RAM, at least 512 MiB. */
    public long reserveMib() {
        return Math.max(512, host.totalMib() / 10);
    }

    /** What all guests together may be promised: RAM plus swap less the reserve. */
    public long capacityMib() {
        return host.totalMib() + host.swapTotalMib() - reserveMib();
    }

    /** The budget now, from the records in {@code vmStateDirs} whose VMM still runs. */
    public static MemoryBudget of(HostMemory host, List<Path> vmStateDirs) {
        long promised = 0;
        int running = 0;
        for (Path dir : vmStateDirs) {
            try {
                VmRecord r = VmRecord.read(dir);
                if (r.process().isAlive()) {
                    promised += r.memMib();
                    running++;
                }
            } catch (PyroException e) {
                // no VM there, or an unreadable record: nothing it holds is known
            }
        }
        return new MemoryBudget(host, promised, running);
    }

    /**
     * Admits a guest of {@code memMib}.
     *
     * @throws PyroException {@link ErrorCode#INSUFFICIENT_MEMORY} when it does not fit
     */
    public void admit(int memMib) {
        long reserve = reserveMib();
        if (promisedMib + memMib > capacityMib()) {
            throw refuse(memMib, "the " + runningVms + " running pyro VMs were promised " + promisedMib
                    + " MiB, and together they may use at most " + capacityMib() + " MiB (RAM " + host.totalMib()
                    + " MiB + swap " + host.swapTotalMib() + " MiB, less " + reserve + " MiB kept for the host)");
        }
        long free = host.availableMib() + host.swapFreeMib() - reserve;
        if (memMib > free) {
            throw refuse(memMib, "the host has " + host.availableMib() + " MiB of memory and " + host.swapFreeMib()
                    + " MiB of swap available, and keeps " + reserve + " MiB for itself");
        }
    }

    private static PyroException refuse(int memMib, String why) {
        return new PyroException(ErrorCode.INSUFFICIENT_MEMORY, "not enough host memory for a guest of " + memMib
                + " MiB: " + why + "; ask for less memory, stop other VMs, or allow overcommitting host memory "
                + "(PYRO_MEMORY_OVERCOMMIT=1)");
    }
}
