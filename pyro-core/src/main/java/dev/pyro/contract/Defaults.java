package dev.pyro.contract;

/** Defaults shared by every face (CONTRACT.md: 1 vCPU, 1024 MiB, 30 s, 600 s, network off). */
public final class Defaults {
    /** Virtual CPUs of a VM. */
    public static final int VCPU_COUNT = 1;
    /** Guest memory in MiB. */
    public static final int MEM_MIB = 1024;
    /** Time limit of one guest command, in seconds. */
    public static final int TIMEOUT_SECONDS = 30;
    /** Time to live of a VM, in seconds. */
    public static final int TTL_SECONDS = 600;
    /** Output kept of each stream of a workspace command, in bytes (1 MiB). */
    public static final int EXEC_MAX_OUTPUT_BYTES = 1 << 20;
    /** Output kept of each stream of a one-shot command, in bytes (16 MiB). */
    public static final int RUN_MAX_OUTPUT_BYTES = 16 << 20;
    /** The largest output cap a caller may ask for, in bytes (1 GiB): the host holds it in memory. */
    public static final int MAX_OUTPUT_BYTES_LIMIT = 1 << 30;
    /** Seconds a service stop waits between TERM and KILL. */
    public static final int STOP_TIMEOUT_SECONDS = 10;
    /** Seconds a service's readiness check may take to pass. */
    public static final int READY_TIMEOUT_SECONDS = 30;
    /** Milliseconds between two runs of a readiness check. */
    public static final int READY_INTERVAL_MS = 500;
    /** The environment used when none is named. */
    public static final String ENVIRONMENT = "debian:12";

    private Defaults() {
    }
}
