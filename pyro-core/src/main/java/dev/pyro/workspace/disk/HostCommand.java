package dev.pyro.workspace.disk;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.Executables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a disk tool ({@code qemu-img}, {@code cp}) as this user, in a directory, with a time
 * limit; its output is kept (bounded) for the error message. None of these tools parses a
 * guest's file system: they copy and remap blocks.
 */
final class HostCommand {
    private static final int OUTPUT_LIMIT = 16 * 1024;

    private HostCommand() {
    }

    /** The program {@code name} from {@code PATH}, or {@link ErrorCode#MISSING_HOST_TOOL} naming its package. */
    static Path tool(String name, String debianPackage) {
        return Executables.find(name).orElseThrow(() -> new PyroException(ErrorCode.MISSING_HOST_TOOL, name
                + " is not installed (Debian/Ubuntu: apt install " + debianPackage + ")"));
    }

    /**
     * Runs {@code argv} in {@code dir}; returns its output.
     *
     * @throws PyroException {@link ErrorCode#NO_SPACE} or {@link ErrorCode#IO_ERROR} with the
     *                       output's tail on a non-zero exit, {@link ErrorCode#TIMEOUT},
     *                       {@link ErrorCode#CANCELLED} on interrupt
     */
    static String run(Path dir, Duration timeout, List<String> argv) {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(argv)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new PyroException(ErrorCode.MISSING_HOST_TOOL, "cannot run " + argv.getFirst() + ": "
                    + e.getMessage(), e);
        }
        String out;
        try (InputStream in = p.getInputStream()) {
            byte[] head = in.readNBytes(OUTPUT_LIMIT);
            in.transferTo(OutputStreamSink.INSTANCE); // keep the pipe drained; the head explains enough
            out = new String(head, StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new PyroException(ErrorCode.TIMEOUT, name(argv) + " did not finish within " + timeout.toSeconds()
                        + " s");
            }
        } catch (IOException e) {
            p.destroyForcibly();
            throw new PyroException(ErrorCode.IO_ERROR, "cannot read the output of " + name(argv) + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, "interrupted while running " + name(argv));
        }
        if (p.exitValue() != 0) {
            String why = out.strip().replaceAll("\\s*\\n\\s*", " | ");
            throw new PyroException(why.contains("No space left") ? ErrorCode.NO_SPACE : ErrorCode.IO_ERROR,
                    name(argv) + " failed (exit " + p.exitValue() + "): " + why);
        }
        return out;
    }

    private static String name(List<String> argv) {
        String tool = Path.of(argv.getFirst()).getFileName().toString();
        return argv.size() > 1 && !argv.get(1).startsWith("-") ? tool + " " + argv.get(1) : tool;
    }

    /** Discards what it is given. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
