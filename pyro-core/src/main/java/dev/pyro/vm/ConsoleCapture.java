package dev.pyro.vm;

import dev.pyro.log.PyroLoggers;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Copies a VM's serial console from its VMM into {@code console.log} while the guest boots,
 * and never more than {@link #DEFAULT_CAP} bytes of it.
 *
 * <p>Why the starting process drains the console instead of letting the VMM write a file:
 * neither QEMU nor Firecracker can bound a console file, and a guest owns its serial port, so
 * a file would let it fill the host's disk (tens of MB a minute, for as long as the VM
 * lives). The boot console is what diagnoses a failed boot, and it is printed by trusted
 * code (the kernel and pyro's init). Once the guest agent answers, {@link #guestReady} ends
 * the capture: it appends {@link #READY_LINE} and closes its end, after which QEMU discards
 * what the guest writes (a socket chardev without a client) and Firecracker's writes fail
 * (a pipe without a reader). A VMM whose starting process is gone has lost its reader the
 * same way, so a detached workspace VM costs no host disk through its console, ever.
 */
public final class ConsoleCapture implements Closeable {
    /** The most bytes of console one VM may put on the host disk. */
    public static final long DEFAULT_CAP = 1L << 20;
    /** The last line of a capture that ended because the guest became ready. */
    public static final String READY_LINE = "[pyro] the guest is ready; later console output is not kept";

    private static final System.Logger LOG = PyroLoggers.of(ConsoleCapture.class);
    /** Written once when the cap is reached. */
    static final String CAPPED_LINE = "[pyro] console log full; the rest of the console is dropped";
    /** Room kept under the cap for pyro's own lines (capped, ready). */
    private static final long RESERVE = 256;

    private final InputStream source;
    private final OutputStream file;
    private final long limit;
    private final CountDownLatch ended = new CountDownLatch(1);
    private long written;
    private boolean done;

    private ConsoleCapture(InputStream source, OutputStream file, long cap) {
        this.source = source;
        this.file = file;
        this.limit = Math.max(0, cap - RESERVE);
    }

    /**
     * Starts copying {@code source} into {@code log} (created or appended to) on a daemon
     * thread until the source ends, {@link #guestReady} or {@link #close}.
     */
    public static ConsoleCapture start(InputStream source, Path log, long cap, String vmId) throws IOException {
        OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        ConsoleCapture capture = new ConsoleCapture(source, out, cap - Files.size(log));
        Thread.ofPlatform().daemon().name("pyro-console-" + vmId).start(capture::pump);
        return capture;
    }

    /** The guest booted: record that, stop keeping its console and close this end. */
    public void guestReady() {
        finish(READY_LINE);
    }

    /** Waits until the source ended (the VMM exited) or the capture was stopped; whether it did. */
    public boolean awaitEnd(Duration timeout) {
        try {
            return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops capturing without a ready line (the VM is being torn down). */
    @Override
    public void close() {
        finish(null);
    }

    private void pump() {
        byte[] buf = new byte[8192];
        try (source) {
            int n;
            while ((n = source.read(buf)) >= 0) {
                if (!append(buf, n)) {
                    break;
                }
            }
        } catch (IOException e) {
            // closed by guestReady or close, or the VMM went away: the capture is over either way
        } finally {
            finish(null);
            ended.countDown();
        }
    }

    /** Appends what fits under the cap; false once the capture is finished. */
    private synchronized boolean append(byte[] buf, int n) throws IOException {
        if (done) {
            return false;
        }
        int keep = (int) Math.min(n, Math.max(0, limit - written));
        if (keep > 0) {
            file.write(buf, 0, keep);
            file.flush();
            written += keep;
            if (written >= limit) {
                // Keep reading so the VMM never blocks on a full pipe, but write nothing more.
                writeLine(CAPPED_LINE);
            }
        }
        return true;
    }

    private synchronized void finish(String line) {
        if (done) {
            return;
        }
        done = true;
        try (file) {
            if (line != null) {
                writeLine(line);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "console log: " + e.getMessage());
        }
        try {
            source.close();
        } catch (IOException e) {
            // nothing left to read from
        }
    }

    private void writeLine(String line) throws IOException {
        file.write(("\n" + line + "\n").getBytes(StandardCharsets.UTF_8));
        file.flush();
    }
}
