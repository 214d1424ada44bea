package dev.pyro.examples;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.Shell;
import dev.pyro.ShellReadResult;
import dev.pyro.Workspace;
import dev.pyro.WorkspaceShell;

/**
 * Driving an interactive program the way a chat model does: open a shell, start a Python
 * REPL in it, type lines, read each answer once the shell is quiet (as plain text), interrupt
 * a long computation with Ctrl-C, and show that another handle (another process, in real use)
 * can read the same shell from any cursor.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:pyro-cli/target/lib/*" dev.pyro.examples.ShellExample
 * </pre>
 */
public final class ShellExample {
    /** How long the shell must be quiet before a read answers. */
    private static final int QUIET_MS = 500;

    private ShellExample() {
    }

    public static void main(String[] args) {
        try (Pyro pyro = Pyro.create();
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12"));
                // Closing the handle closes the shell; the workspace handle then deletes the workspace.
                Shell sh = ws.openShell("/workspace", 100, 30)) {
            sh.write("python3 -q");
            sh.readPlain(QUIET_MS); // the prompt
            sh.write("x = 6 * 7");
            sh.write("print(f'x is {x}')");
            System.out.print(sh.readPlain(QUIET_MS).output());

            sh.write("while True: pass");
            sh.write(""); // the REPL wants an empty line to end the block
            WorkspaceShell busy = sh.info();
            System.out.println("a command runs: " + !busy.foregroundPgid().equals(busy.pid()));
            sh.signal("INT"); // KeyboardInterrupt, the REPL survives
            sh.write("print('state kept:', x)");
            System.out.print(sh.readPlain(QUIET_MS).output());

            // Any process can read the shell from any kept cursor: here from the start, raw.
            ShellReadResult all = ws.readShell(sh.id(), 0, 200, false, 0);
            System.out.println("first 200 characters (raw, escapes included): " + all.output().length()
                    + " chars, next cursor " + all.nextCursor() + ", has more: " + all.hasMore());
        } catch (PyroException e) {
            System.err.println("pyro: " + e.getMessage() + " [" + e.code().code() + "]");
            System.exit(1);
        }
    }
}
