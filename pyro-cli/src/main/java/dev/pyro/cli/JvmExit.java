package dev.pyro.cli;

/** How a finished CLI process may end (see {@link Main#main}). */
final class JvmExit {
    private JvmExit() {
    }

    /**
     * Whether every live platform thread but the caller is a daemon, so that the JVM ends as
     * soon as the caller's {@code main} returns. When more threads exist than a snapshot holds
     * (they are being started), the answer is no.
     */
    static boolean onlyDaemonThreadsLeft() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        if (n == threads.length) {
            return false;
        }
        Thread self = Thread.currentThread();
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t != self && t.isAlive() && !t.isDaemon()) {
                return false;
            }
        }
        return true;
    }
}
