package dev.pyro.guest.transport;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent as a child process in development mode: {@code pyro-agent --dev --root DIR
 * --stdio}, speaking the protocol on its stdin/stdout. The agent's stderr goes to a log file
 * or to this process' stderr, never to this process' stdout (which may carry JSON or MCP).
 */
public final class LocalProcessTransport implements AgentTransport {
    private final Process process;
    private final Path root;
    private final InputStream in;
    private final OutputStream out;

    private LocalProcessTransport(Process process, Path root) {
        this.process = process;
        this.root = root;
        this.in = process.getInputStream();
        this.out = process.getOutputStream();
    }

    /**
     * Starts the agent serving the workspace root {@code root}.
     *
     * @param agentBinary the {@code pyro-agent} executable (see {@code AgentBinary})
     * @param root        the directory standing in for {@code /workspace}; must exist
     * @param stderrLog   file that receives the agent's stderr (appended), or {@code null}
     *                    to inherit this process' stderr
     */
    public static LocalProcessTransport start(Path agentBinary, Path root, Path stderrLog) {
        if (!Files.isDirectory(root)) {
            throw new PyroException(ErrorCode.NOT_FOUND, "workspace root " + root + " is not a directory");
        }
        List<String> cmd = new ArrayList<>(List.of(agentBinary.toString(), "--dev", "--root", root.toString(),
                "--stdio"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(stderrLog == null ? ProcessBuilder.Redirect.INHERIT
                : ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        try {
            return new LocalProcessTransport(pb.start(), root);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.AGENT_UNAVAILABLE, "cannot start the agent " + agentBinary + ": "
                    + e.getMessage(), e);
        }
    }

    /** The agent process. */
    public Process process() {
        return process;
    }

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public String describe() {
        return "local agent pid " + process.pid() + " root " + root;
    }

    /** Says {@link ErrorCode#VM_DIED} with the exit status when the agent process is gone. */
    @Override
    public PyroException connectionLost(Throwable cause) {
        try {
            // The pipe usually closes a moment before the process is reaped.
            process.waitFor(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!process.isAlive()) {
            return new PyroException(ErrorCode.VM_DIED, "the agent process " + process.pid()
                    + " exited with status " + process.exitValue(), cause);
        }
        return AgentTransport.super.connectionLost(cause);
    }

    /** Closes the pipes, then ends the process: SIGTERM, and SIGKILL if it lingers. */
    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the process may already be gone
        }
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // as above
        }
    }
}
