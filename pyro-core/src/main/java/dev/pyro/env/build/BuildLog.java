package dev.pyro.env.build;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The full output of every tool a build runs, in one file next to the install, so a failed
 * build can be diagnosed after the fact. Progress goes to the listener and stderr; this
 * file holds the detail.
 */
public final class BuildLog implements Closeable {
    private final Path file;
    private final BufferedWriter out;

    /** Appends to {@code file}, creating it. */
    public BuildLog(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Where the log is. */
    public Path file() {
        return file;
    }

    /** A note from pyro itself, time-stamped. */
    public synchronized void note(String line) {
        write("[" + Instant.now() + "] " + line);
    }

    /** A line of tool output. */
    public synchronized void write(String line) {
        try {
            out.write(line);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            // The log is diagnostics only; a build must not fail because its log could not be written.
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
