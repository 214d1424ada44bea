package dev.pyro.cli.server;

import dev.pyro.trace.StartTrace;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The CLI's side of the exec server: hands a {@code pyro workspace exec} call to the server for
 * its code and configuration, relays the caller's stdin when the call asks for it, writes what
 * the call prints to the caller's own stdout and stderr, and returns its exit status. When no
 * server answers, the caller runs the call itself and then starts one for the next calls
 * ({@link #startServer()}).
 *
 * <p>No lambdas and few classes: this is all a served exec loads of pyro.
 */
public final class ExecClient {
    /** The call was not served (no server, or one that refused it before running anything): run it in-process. */
    public static final int NOT_SERVED = -1;
    /** The server ended after it took the call and before it said how the call ended. */
    public static final int SERVER_GONE = -2;

    private final ServerAddress address;
    private final Properties properties;
    private boolean wantsServer;
    /** The server took the call: from here on, it may have run, so it is never run again in-process. */
    private boolean accepted;
    private DataOutputStream out;
    /** The caller's stdin, relayed once the server asks for it (only the pump writes to the server then). */
    private InputStream stdin;
    /** Bytes of stdin the server takes now; the lock for them too. */
    private final long[] credit = new long[1];
    private boolean stdoutOpen = true;
    private boolean stderrOpen = true;

    ExecClient(ServerAddress address, Properties properties) {
        this.address = address;
        this.properties = properties;
    }

    /**
     * A client for {@code args} when they are a {@code workspace exec} call and the server is not
     * switched off ({@link ServerAddress#SWITCH}); empty otherwise.
     */
    public static Optional<ExecClient> forCall(String[] args, Map<String, String> env, Properties properties) {
        if (args.length < 2 || !args[0].equals("workspace") || !args[1].equals("exec")) {
            return Optional.empty();
        }
        Optional<ServerAddress> address = ServerAddress.of(env, properties);
        return address.isPresent() ? Optional.of(new ExecClient(address.get(), properties)) : Optional.empty();
    }

    /**
     * Runs the call on the server: its exit status, {@link #NOT_SERVED} or {@link #SERVER_GONE}.
     *
     * @param stdinTarget where fd 0 pointed when the CLI started, empty when closed
     * @param stdoutTarget where fd 1 points ({@code ""} when unknown)
     */
    public int run(String[] args, Optional<String> stdinTarget, String stdoutTarget, Map<String, String> env) {
        return run(args, stdinTarget, stdoutTarget, env, new FileInputStream(FileDescriptor.in),
                new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
    }

    /** {@link #run(String[], Optional, String, Map)} with these streams for the process' own. */
    int run(String[] args, Optional<String> stdinTarget, String stdoutTarget, Map<String, String> env,
            InputStream stdin, OutputStream stdout, OutputStream stderr) {
        this.stdin = stdin;
        Endpoint endpoint;
        try {
            endpoint = Endpoint.read(address.endpoint());
        } catch (IOException e) {
            wantsServer = true; // none runs: start one
            return NOT_SERVED;
        }
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.port()));
            } catch (IOException e) {
                wantsServer = true; // a server that died left its file: start one
                return NOT_SERVED;
            }
            socket.setTcpNoDelay(true);
            StartTrace.mark("server: connected");
            Map<String, String> colorEnv = new LinkedHashMap<>();
            for (String name : Request.COLOR_VARIABLES) {
                String value = env.get(name);
                if (value != null) {
                    colorEnv.put(name, value);
                }
            }
            byte[] request = new Request(endpoint.token(), address.key(), Arrays.asList(args), stdinTarget,
                    stdoutTarget, colorEnv).encode();
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), Wire.MAX_DATA + 16));
            Wire.write(out, Wire.REQUEST, request, 0, request.length);
            return relay(new DataInputStream(new BufferedInputStream(socket.getInputStream(), Wire.MAX_DATA + 16)),
                    stdout, stderr);
        } catch (IOException e) {
            return accepted ? SERVER_GONE : NOT_SERVED;
        }
    }

    private int relay(DataInputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        while (true) {
            int type = Wire.type(in);
            if (type < 0) {
                // Closed before taking the call: the server exists but is exiting or full; the
                // caller runs the call itself and starts no other.
                return accepted ? SERVER_GONE : NOT_SERVED;
            }
            byte[] payload = Wire.payload(in);
            switch (type) {
                case Wire.ACCEPTED -> {
                    accepted = true;
                    StartTrace.mark("server: accepted");
                }
                case Wire.STDOUT -> stdoutOpen = write(stdout, payload, stdoutOpen);
                case Wire.STDERR -> stderrOpen = write(stderr, payload, stderrOpen);
                case Wire.STDIN_WANTED -> {
                    grant(payload);
                    Thread pump = new Thread(new StdinPump(), "pyro-stdin");
                    pump.setDaemon(true);
                    pump.start();
                }
                case Wire.CREDIT -> grant(payload);
                case Wire.EXIT -> {
                    StartTrace.mark("server: exit");
                    return payload.length == 4 ? ByteBuffer.wrap(payload).getInt() & 0xff : SERVER_GONE;
                }
                case Wire.REFUSED -> {
                    return accepted ? SERVER_GONE : NOT_SERVED;
                }
                default -> throw new IOException("unexpected frame " + type + " from the exec server");
            }
        }
    }

    /**
     * Writes what the call printed; a stream that fails (a reader that went away: {@code pyro
     * workspace exec ... | head -1}) takes no more, and the call goes on, as an in-process call's
     * {@code PrintStream} would.
     */
    private static boolean write(OutputStream stream, byte[] payload, boolean open) {
        if (!open) {
            return false;
        }
        try {
            stream.write(payload);
            stream.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** More stdin the server takes (a 4-byte count). */
    private void grant(byte[] payload) throws IOException {
        if (payload.length != 4) {
            throw new IOException("a credit of " + payload.length + " bytes from the exec server");
        }
        synchronized (credit) {
            credit[0] += ByteBuffer.wrap(payload).getInt();
            credit.notifyAll();
        }
    }

    /** Waits until the server takes more stdin: at most {@code max} bytes. */
    private int takeCredit(int max) throws InterruptedException {
        synchronized (credit) {
            while (credit[0] <= 0) {
                credit.wait();
            }
            int n = (int) Math.min(max, credit[0]);
            credit[0] -= n;
            return n;
        }
    }

    /** Relays fd 0 to the server, once it asked for it: as fast as the command reads it. */
    private final class StdinPump implements Runnable {
        @Override
        public void run() {
            byte[] buf = new byte[Wire.MAX_DATA];
            try (InputStream in = stdin) {
                while (true) {
                    int n;
                    int allowed = takeCredit(buf.length);
                    try {
                        n = in.read(buf, 0, allowed);
                    } catch (IOException e) {
                        n = -1; // stdin failed: the command reads its end rather than waiting forever
                    }
                    if (n >= 0 && n < allowed) {
                        giveBack(allowed - n);
                    }
                    if (n < 0) {
                        Wire.write(out, Wire.STDIN_END, buf, 0, 0);
                        return;
                    }
                    Wire.write(out, Wire.STDIN, buf, 0, n);
                }
            } catch (IOException e) {
                // the call ended: the connection is closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void giveBack(int n) {
        synchronized (credit) {
            credit[0] += n;
        }
    }

    /** Where this call's server listens. */
    public ServerAddress address() {
        return address;
    }

    /** The server's log. */
    public java.nio.file.Path log() {
        return address.log();
    }

    /** Whether this call found no server (no endpoint file, or a port that refuses): one should start. */
    boolean wantsServer() {
        return wantsServer;
    }

    /** Starts a server for the next calls, if this call found none. */
    public void startServer() {
        if (wantsServer) {
            ServerSpawn.start(address, properties);
        }
    }
}
