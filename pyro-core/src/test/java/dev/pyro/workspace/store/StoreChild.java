package dev.pyro.workspace.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A second pyro process for the cross-process tests: prints {@code ready}, waits for a
 * {@code go} line on stdin (so both children start together), then does its work.
 *
 * <pre>
 *   count   HOME ID N   increment the "counter" label N times
 *   journal HOME ID N   allocate and complete N commands, printing each sequence,
 *                       then allocate one more and exit without completing it
 *   hold    HOME ID MODE  take the workspace lock, print "locked", release on the next line
 *   killed  HOME ID     complete one command, allocate a second, print "allocated SEQ" and
 *                       wait (its command "running") until the test kills the process
 *   exits   HOME ID     allocate and complete three commands whose journal writes (one batch)
 *                       wait for the JVM's exit to begin, print "completed SEQ" for each and
 *                       System.exit
 *   batched HOME ID N   allocate and complete N commands whose journal writes (one batch) wait,
 *                       print "completed N", write them on the next line, print "written",
 *                       and wait until the test kills the process (with
 *                       PYRO_FAILPOINT=journal:entries-renamed it stops before the record)
 *   unwritten HOME ID   allocate and complete one command whose journal write never runs,
 *                       print "completed SEQ" and wait until the test kills the process
 *   torn    HOME ID     allocate one command: run with PYRO_FAILPOINT=journal:entry-created,
 *                       it stops with the entry created and not written, until the test kills it
 * </pre>
 */
public final class StoreChild {
    private StoreChild() {
    }

    /** Increments the {@code counter} label with one read-modify-write. */
    static void increment(WorkspaceStore store, String id) {
        store.update(id, r -> {
            Map<String, String> labels = new HashMap<>(r.labels());
            labels.merge("counter", "1", (a, b) -> Long.toString(Long.parseLong(a) + 1));
            return r.withLabels(labels);
        });
    }

    /** Returns once the JVM runs its exit hooks (a hook can no longer be added then). */
    private static void awaitExitStarted() {
        while (true) {
            Thread probe = new Thread(() -> { });
            try {
                Runtime.getRuntime().addShutdownHook(probe);
                Runtime.getRuntime().removeShutdownHook(probe);
            } catch (IllegalStateException exiting) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String mode = args[0];
        WorkspaceStore store = new WorkspaceStore(Path.of(args[1]), java.time.Clock.systemUTC(),
                Duration.ofSeconds(60));
        String id = args[2];
        out.println("ready");
        if (!"go".equals(in.readLine())) {
            System.exit(3);
        }
        switch (mode) {
            case "count" -> {
                int n = Integer.parseInt(args[3]);
                for (int i = 0; i < n; i++) {
                    increment(store, id);
                }
                out.println("done");
            }
            case "journal" -> {
                int n = Integer.parseInt(args[3]);
                CommandJournal journal = new CommandJournal(store);
                CommandRequest req = new CommandRequest(List.of("echo", "child"), "/workspace", "test");
                for (int i = 0; i < n; i++) {
                    long seq = journal.allocate(id, req);
                    journal.complete(id, seq, new CommandResult(0, null, false, 1, null,
                            BoundedOutput.of(("out " + seq).getBytes(StandardCharsets.UTF_8), 1024),
                            BoundedOutput.empty()));
                    out.println(seq);
                }
                journal.close(); // what Pyro.close does: the completed entries written, the spare removed
                out.println("abandoned " + journal.allocate(id, req));
                out.println("done");
            }
            case "killed" -> {
                CommandJournal journal = new CommandJournal(store);
                CommandRequest req = new CommandRequest(List.of("sleep", "600"), "/workspace", "test");
                long done = journal.allocate(id, req);
                journal.complete(id, done, new CommandResult(0, null, false, 1, null,
                        BoundedOutput.of("first".getBytes(StandardCharsets.UTF_8), 1024), BoundedOutput.empty()));
                journal.settle(id);
                out.println("allocated " + journal.allocate(id, req));
                in.readLine(); // the test kills us here, in the middle of the command
                System.exit(4);
            }
            case "torn" -> {
                new CommandJournal(store).allocate(id, new CommandRequest(List.of("echo", "never"), "/workspace",
                        "test")); // stops at the failpoint
                System.exit(4);
            }
            case "unwritten" -> {
                // Writes behind a completion never run here: as if the process died right after
                // the exec returned, before its journal write had its turn.
                CommandJournal journal = new CommandJournal(store, task -> { });
                long seq = journal.allocate(id, new CommandRequest(List.of("echo", "late"), "/workspace", "test"));
                journal.complete(id, seq, new CommandResult(0, null, false, 1, null,
                        BoundedOutput.of("late".getBytes(StandardCharsets.UTF_8), 1024), BoundedOutput.empty()));
                out.println("completed " + seq);
                in.readLine(); // the test kills us here
                System.exit(4);
            }
            case "exits" -> {
                // The write behind the completion is held until the JVM has begun to exit (as if
                // the exit came first); only the exit hook's wait gets it written.
                CommandJournal journal = new CommandJournal(store, task -> Thread.ofVirtual().start(() -> {
                    awaitExitStarted();
                    task.run();
                }));
                for (int i = 0; i < 3; i++) {
                    long seq = journal.allocate(id, new CommandRequest(List.of("echo", "last"), "/workspace",
                            "test"));
                    journal.complete(id, seq, new CommandResult(0, null, false, 1, null,
                            BoundedOutput.of(("last " + seq).getBytes(StandardCharsets.UTF_8), 1024),
                            BoundedOutput.empty()));
                    out.println("completed " + seq);
                }
                System.exit(0); // what SIGTERM does too: hooks run, Pyro is never closed
            }
            case "batched" -> {
                java.util.concurrent.CountDownLatch write = new java.util.concurrent.CountDownLatch(1);
                CommandJournal journal = new CommandJournal(store, task -> Thread.ofVirtual().start(() -> {
                    try {
                        write.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    task.run();
                }));
                int n = Integer.parseInt(args[3]);
                for (int i = 0; i < n; i++) {
                    long seq = journal.allocate(id, new CommandRequest(List.of("echo", "batched"), "/workspace",
                            "test"));
                    journal.complete(id, seq, new CommandResult(0, null, false, 1, null,
                            BoundedOutput.of(("out " + seq).getBytes(StandardCharsets.UTF_8), 1024),
                            BoundedOutput.empty()));
                }
                out.println("completed " + n);
                in.readLine();
                write.countDown();
                journal.settleAll();
                out.println("written");
                in.readLine(); // the test kills us here
            }
            case "hold" -> {
                try (WorkspaceLock l = store.lock(id, LockMode.valueOf(args[3]))) {
                    out.println("locked");
                    in.readLine();
                }
                out.println("done");
            }
            default -> System.exit(2);
        }
        // halt: the abandoned entry must stay abandoned, no shutdown work of any kind.
        out.flush();
        Runtime.getRuntime().halt(0);
    }
}
