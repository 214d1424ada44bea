package dev.pyro.cli.server;

import dev.pyro.cli.Output;
import dev.pyro.cli.PyroCli;
import dev.pyro.cli.PyroSource;
import dev.pyro.log.PyroLoggers;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One connection to the exec server: one CLI call, run as the caller's own process would run
 * it ({@link PyroCli#runFor}), its output relayed as frames ({@link Wire}). If the caller goes
 * away before the call ends, the call's thread is interrupted, which cancels a guest command
 * the way the end of an in-process CLI's agent connection does.
 */
final class ServedCall implements Runnable {
    private static final System.Logger LOG = PyroLoggers.of(ServedCall.class);

    private final Socket socket;
    private final Endpoint endpoint;
    private final String key;
    private final PyroSource pyros;
    private final Object writeLock = new Object();
    private DataOutputStream out;
    /** The thread running the call, while it runs it; guarded by this. */
    private Thread running;

    ServedCall(Socket socket, Endpoint endpoint, String key, PyroSource pyros) {
        this.socket = socket;
        this.endpoint = endpoint;
        this.key = key;
        this.pyros = pyros;
    }

    @Override
    public void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) ExecServer.REQUEST_WAIT.toMillis());
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), Wire.MAX_DATA + 16));
            if (Wire.type(in) != Wire.REQUEST) {
                return;
            }
            Request request = Request.decode(Wire.payload(in));
            if (!endpoint.admits(request.token())) {
                // DEBUG: any local user can connect, and must not be able to fill the log
                LOG.log(System.Logger.Level.DEBUG, "refused a connection without this server's token");
                return;
            }
            if (!request.key().equals(key)) {
                frame(Wire.REFUSED, new byte[0], 0, 0);
                return;
            }
            socket.setSoTimeout(0); // the caller's stdin may pause for as long as it likes
            frame(Wire.ACCEPTED, new byte[0], 0, 0);
            serve(request, in);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "a connection ended early", e);
        }
    }

    private void serve(Request request, DataInputStream in) throws IOException {
        StdinRelay stdin = new StdinRelay(this::grant);
        PrintStream stdout = stream(Wire.STDOUT);
        PrintStream stderr = stream(Wire.STDERR);
        int status;
        synchronized (this) {
            running = Thread.currentThread(); // before the reader can see the caller go
        }
        Thread reader = Thread.ofPlatform().daemon().name("pyro-served-stdin").start(() -> readCaller(in, stdin));
        try {
            status = PyroCli.runFor(request.args().toArray(String[]::new), new Output(stdout, stderr),
                    request.stdinTarget(), () -> {
                        byte[] credit = ByteBuffer.allocate(4).putInt(StdinRelay.INITIAL_CREDIT).array();
                        frame(Wire.STDIN_WANTED, credit, 0, credit.length);
                        return stdin;
                    }, request.colorEnv(), request.stdoutTarget(), pyros);
        } finally {
            synchronized (this) {
                running = null;
            }
            Thread.interrupted(); // an interrupt that came as the call ended is for nobody
        }
        stdout.flush();
        stderr.flush();
        byte[] exit = ByteBuffer.allocate(4).putInt(status).array();
        frame(Wire.EXIT, exit, 0, exit.length);
    }

    /** Tells the caller it may send {@code bytes} more of its stdin (the command read them). */
    private void grant(int bytes) {
        byte[] n = ByteBuffer.allocate(4).putInt(bytes).array();
        try {
            frame(Wire.CREDIT, n, 0, n.length);
        } catch (IOException e) {
            // the caller is gone: its reader sees that and ends the call
        }
    }

    /**
     * Reads the caller's stdin frames until the connection ends, never waiting on the command
     * (stdin comes under credit): the end of the connection while the call runs means the
     * caller is gone. A caller that breaks the protocol is treated as gone.
     */
    private void readCaller(DataInputStream in, StdinRelay stdin) {
        try {
            while (true) {
                int type = Wire.type(in);
                if (type == Wire.STDIN) {
                    stdin.put(Wire.payload(in));
                } else if (type == Wire.STDIN_END) {
                    Wire.payload(in);
                    stdin.finish();
                } else {
                    break; // the end, or a frame a caller never sends
                }
            }
        } catch (IOException e) {
            // the caller is gone, or broke the protocol
        }
        stdin.abandon();
        synchronized (this) {
            if (running != null) {
                running.interrupt();
            }
        }
    }

    private PrintStream stream(byte type) {
        OutputStream frames = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, Wire.MAX_DATA);
                    frame(type, b, off, n);
                    off += n;
                    len -= n;
                }
            }
        };
        return new PrintStream(new BufferedOutputStream(frames, Wire.MAX_DATA), false, StandardCharsets.UTF_8);
    }

    private void frame(byte type, byte[] payload, int off, int len) throws IOException {
        synchronized (writeLock) {
            Wire.write(out, type, payload, off, len);
        }
    }
}
