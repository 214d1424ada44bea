package dev.pyro.cli;

import dev.pyro.PyroException;
import dev.pyro.ShellAttachResult;
import dev.pyro.ShellAttachment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingInputStream;

/**
 * A person's terminal joined to an attached shell: raw mode (every key, Ctrl-C included, goes
 * to the shell; the shell's output is shown as it comes), the window size followed (SIGWINCH →
 * resize), and the detach sequence <b>Ctrl-] then d</b> (Ctrl-] twice sends one Ctrl-]). The
 * terminal's settings are restored on every way out: detach, the shell's exit, a lost VM, an
 * error, and SIGINT/SIGTERM to pyro (a shutdown hook; SIGINT detaches first).
 */
final class AttachSession {
    /** Ctrl-]: the first key of the detach sequence. */
    static final int ESCAPE = 0x1d;
    /** The key after {@link #ESCAPE} that detaches. */
    static final int DETACH = 'd';
    private static final long POLL_MS = 100;
    private static final long DRAIN_MS = 2000;

    private final Terminal terminal;
    private final ShellAttachment attachment;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean detaching = new AtomicBoolean();
    private final AtomicBoolean restored = new AtomicBoolean();

    AttachSession(Terminal terminal, ShellAttachment attachment) {
        this.terminal = terminal;
        this.attachment = attachment;
    }

    /** Runs until the shell ends or the person detaches; the terminal is as it was afterwards. */
    ShellAttachResult run() {
        Attributes saved = terminal.getAttributes();
        Thread hook = new Thread(() -> restore(saved), "pyro-attach-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        Terminal.SignalHandler winch = null;
        Terminal.SignalHandler interrupt = null;
        Thread output = null;
        Thread input = null;
        try {
            terminal.setAttributes(raw(saved));
            winch = terminal.handle(Terminal.Signal.WINCH, s -> followSize());
            interrupt = terminal.handle(Terminal.Signal.INT, s -> detach());
            followSize();
            output = Thread.ofPlatform().daemon().name("pyro-attach-output").start(this::pumpOutput);
            input = Thread.ofPlatform().daemon().name("pyro-attach-input").start(this::pumpInput);
            ShellAttachResult end = attachment.await();
            stop.set(true);
            output.join(DRAIN_MS); // the shell's last words before the terminal is restored
            return end;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return attachment.detach();
        } finally {
            stop.set(true);
            if (input != null) {
                try {
                    input.join(POLL_MS * 3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (winch != null) {
                terminal.handle(Terminal.Signal.WINCH, winch);
            }
            if (interrupt != null) {
                terminal.handle(Terminal.Signal.INT, interrupt);
            }
            restore(saved);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook runs (and finds the terminal restored).
            }
        }
    }

    /** cfmakeraw(3): no echo, no line editing, no signals from keys, no output processing. */
    static Attributes raw(Attributes original) {
        Attributes raw = new Attributes(original);
        raw.setLocalFlags(EnumSet.of(LocalFlag.ECHO, LocalFlag.ECHONL, LocalFlag.ICANON, LocalFlag.ISIG,
                LocalFlag.IEXTEN), false);
        raw.setInputFlags(EnumSet.of(InputFlag.IGNBRK, InputFlag.BRKINT, InputFlag.PARMRK, InputFlag.ISTRIP,
                InputFlag.INLCR, InputFlag.IGNCR, InputFlag.ICRNL, InputFlag.IXON), false);
        raw.setOutputFlag(OutputFlag.OPOST, false);
        raw.setControlChar(ControlChar.VMIN, 1);
        raw.setControlChar(ControlChar.VTIME, 0);
        return raw;
    }

    private void restore(Attributes saved) {
        if (restored.compareAndSet(false, true)) {
            terminal.setAttributes(saved);
            terminal.flush();
        }
    }

    private void followSize() {
        Size size = terminal.getSize();
        if (size.getColumns() < 1 || size.getRows() < 1) {
            return;
        }
        try {
            attachment.resize(Math.min(1000, size.getColumns()), Math.min(1000, size.getRows()));
        } catch (PyroException e) {
            // The shell exited or the view is ending: the end is reported by await().
        }
    }

    private void detach() {
        if (detaching.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("pyro-attach-detach").start(() -> {
                try {
                    attachment.detach();
                } catch (PyroException e) {
                    // The view failed meanwhile: await() reports it.
                }
            });
        }
    }

    private void pumpOutput() {
        byte[] buf = new byte[16 * 1024];
        OutputStream screen = terminal.output();
        try (InputStream from = attachment.output()) {
            int n;
            while ((n = from.read(buf)) > 0) {
                screen.write(buf, 0, n);
                screen.flush();
            }
        } catch (IOException e) {
            // The view ended (detach, exit, lost VM): await() says how.
        }
    }

    private void pumpInput() {
        InputStream keys = terminal.input();
        OutputStream shell = attachment.input();
        byte[] buf = new byte[4096];
        byte[] out = new byte[buf.length + 1];
        boolean escaped = false;
        try {
            while (!stop.get()) {
                int n = keys instanceof NonBlockingInputStream nb ? nb.readBuffered(buf, POLL_MS) : keys.read(buf);
                if (n == NonBlockingInputStream.READ_EXPIRED || n == 0) {
                    continue;
                }
                if (n < 0) {
                    return;
                }
                int len = 0;
                for (int i = 0; i < n; i++) {
                    int b = buf[i] & 0xff;
                    if (escaped) {
                        escaped = false;
                        if (b == DETACH) {
                            send(shell, out, len);
                            detach();
                            return;
                        }
                        out[len++] = (byte) ESCAPE;
                        if (b == ESCAPE) {
                            continue; // Ctrl-] twice: one Ctrl-] for the shell
                        }
                    } else if (b == ESCAPE) {
                        escaped = true;
                        continue;
                    }
                    out[len++] = (byte) b;
                }
                send(shell, out, len);
            }
        } catch (IOException e) {
            // The view ended: await() reports why.
        }
    }

    private static void send(OutputStream shell, byte[] bytes, int len) throws IOException {
        if (len > 0) {
            shell.write(bytes, 0, len);
            shell.flush();
        }
    }
}
