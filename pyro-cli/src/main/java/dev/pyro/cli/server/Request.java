package dev.pyro.cli.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One CLI call handed to the exec server: what it must be served with, and everything of the
 * caller's process that the call's output depends on beyond the server's key.
 *
 * @param token the token of the server's endpoint the caller read ({@link Endpoint})
 * @param key the caller's {@link ServerAddress#key()}: a server serves only its own
 * @param args the command line's arguments, as given
 * @param stdinTarget where the caller's fd 0 pointed ({@code /proc} link target), empty when closed
 * @param stdoutTarget where the caller's fd 1 points ({@code ""} when unknown): help is coloured on a terminal
 * @param colorEnv the caller's variables that decide help colours ({@link #COLOR_VARIABLES})
 */
record Request(String token, String key, List<String> args, Optional<String> stdinTarget, String stdoutTarget,
        Map<String, String> colorEnv) {
    /** The variables HelpColors reads. */
    static final String[] COLOR_VARIABLES = {"NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM"};

    Request {
        args = List.copyOf(args);
        colorEnv = Map.copyOf(colorEnv);
    }

    byte[] encode() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        Wire.writeString(out, token);
        Wire.writeString(out, key);
        out.writeInt(args.size());
        for (String a : args) {
            Wire.writeString(out, a);
        }
        out.writeBoolean(stdinTarget.isPresent());
        Wire.writeString(out, stdinTarget.orElse(""));
        Wire.writeString(out, stdoutTarget);
        out.writeInt(colorEnv.size());
        for (Map.Entry<String, String> e : colorEnv.entrySet()) {
            Wire.writeString(out, e.getKey());
            Wire.writeString(out, e.getValue());
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** The request in {@code payload}; an {@link IOException} for anything malformed or left over. */
    static Request decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        String token = Wire.readString(in);
        String key = Wire.readString(in);
        int argc = Wire.readCount(in);
        List<String> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            args.add(Wire.readString(in));
        }
        boolean hasStdin = in.readBoolean();
        String stdin = Wire.readString(in);
        String stdout = Wire.readString(in);
        int vars = Wire.readCount(in);
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < vars; i++) {
            String name = Wire.readString(in);
            if (!List.of(COLOR_VARIABLES).contains(name)) {
                throw new IOException("unexpected variable " + name + " in a request");
            }
            env.put(name, Wire.readString(in));
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes after the request");
        }
        return new Request(token, key, args, hasStdin ? Optional.of(stdin) : Optional.empty(), stdout, env);
    }
}
