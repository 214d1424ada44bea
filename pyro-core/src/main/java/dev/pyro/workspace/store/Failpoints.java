package dev.pyro.workspace.store;

import java.io.PrintStream;

/**
 * A testing aid for crash safety: with {@code PYRO_FAILPOINT=<operation>:<phase>} in its
 * environment, a pyro process that reaches that phase of a lifecycle operation writes
 * {@code pyro-failpoint: <operation>:<phase>} on stderr and stops there for good, so a test
 * can kill it at exactly that point (instead of sleeping and hoping). Without the variable
 * it does nothing. (In the store package because the journal has failpoints too, and the
 * lifecycle above it reaches this one.)
 */
public final class Failpoints {
    private static final String ARMED = System.getenv("PYRO_FAILPOINT");

    private Failpoints() {
    }

    /** Marks that {@code operation} reached {@code phase}; blocks forever if that point is armed. */
    public static void reached(String operation, String phase) {
        if (ARMED == null || !ARMED.equals(operation + ":" + phase)) {
            return;
        }
        PrintStream err = System.err;
        err.println("pyro-failpoint: " + ARMED);
        err.flush();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // stay: only a kill ends a process parked here
            }
        }
    }
}
