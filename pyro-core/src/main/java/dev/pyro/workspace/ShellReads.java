package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.ShellReadResult;
import dev.pyro.guest.ShellClient;
import dev.pyro.guest.ShellInfo;
import dev.pyro.guest.ShellOutput;
import dev.pyro.guest.ShellReadRequest;
import dev.pyro.guest.ShellStatus;
import dev.pyro.workspace.terminal.PlainText;
import dev.pyro.workspace.terminal.Utf8Window;
import java.time.Duration;
import java.util.Locale;

/**
 * One shell read for people and models: the guest counts bytes, callers count characters.
 * The guest is asked for up to four bytes per character wanted (at most its 256 KiB), the
 * answer is cut after {@code maxChars} code points, and {@code next_cursor} is the byte
 * position right after the last character returned, so the next read, by any process,
 * continues exactly there. With {@code plain}, the text is rendered as a person would see it
 * on a terminal of the shell's size, and an escape sequence the output ends inside is held
 * back for the next read (unless the read could never get past it).
 */
final class ShellReads {
    /** The most the guest answers in one read. */
    static final int MAX_GUEST_BYTES = 262_144;

    private ShellReads() {
    }

    static void check(long cursor, int maxChars, int waitForIdleMs) {
        if (cursor < 0) {
            throw invalid("cursor must be 0 or more (a next_cursor of an earlier read), got " + cursor);
        }
        if (maxChars < 1 || maxChars > WorkspaceShells.MAX_CHARS) {
            throw invalid("max_chars must be between 1 and " + WorkspaceShells.MAX_CHARS + ", got " + maxChars);
        }
        if (waitForIdleMs < 0 || waitForIdleMs > WorkspaceShells.MAX_WAIT_FOR_IDLE_MS) {
            throw invalid("wait_for_idle_ms must be between 0 and " + WorkspaceShells.MAX_WAIT_FOR_IDLE_MS
                    + ", got " + waitForIdleMs);
        }
    }

    static ShellReadResult read(ShellClient shells, String id, String shellId, long cursor, int maxChars,
            boolean plain, int waitForIdleMs) {
        ShellInfo info = plain ? find(shells, id, shellId) : null;
        int wantBytes = (int) Math.min(MAX_GUEST_BYTES, Math.max(4L, 4L * maxChars));
        ShellReadRequest request = ShellReadRequest.from(cursor).withMaxBytes(wantBytes);
        if (waitForIdleMs > 0) {
            request = request.waitingForIdle(Duration.ofMillis(waitForIdleMs))
                    .withMaxWait(Duration.ofMillis(waitForIdleMs + WorkspaceShells.EXTRA_WAIT_MS));
        }
        ShellOutput out;
        try {
            out = shells.read(shellId, request);
        } catch (PyroException e) {
            if (e.code() == ErrorCode.INVALID_ARGUMENT) {
                // The only read value the guest can refuse after our checks: a cursor past the end.
                throw invalid("cursor " + cursor + " is beyond the shell's output; read from a next_cursor an "
                        + "earlier read returned");
            }
            throw e;
        }
        Utf8Window window = Utf8Window.decode(out.output(), maxChars);
        boolean exited = !out.status().running();
        boolean hasMore = window.bytes() < out.output().length || out.output().length == wantBytes;
        String text = window.text();
        int bytes = window.bytes();
        if (plain) {
            PlainText.Rendered r = PlainText.render(text, info.cols(), info.rows());
            // Hold an unfinished escape sequence back for the next read, unless the shell has ended
            // (it will never be finished) or it fills this whole read (holding it would never progress).
            if (r.unfinished(text) && !exited && (r.consumed() > 0 || !hasMore)) {
                bytes = window.bytesBefore(r.consumed());
                hasMore = false;
            }
            text = r.text();
        }
        return new ShellReadResult(id, shellId, text, out.cursor(), out.cursor() + bytes, out.truncated(),
                hasMore, plain, state(out.status()), out.status().exitCode(), out.status().signal());
    }

    private static ShellInfo find(ShellClient shells, String id, String shellId) {
        return shells.list().stream().filter(s -> s.shellId().equals(shellId)).findFirst()
                .orElseThrow(() -> WorkspaceShells.explained(id, shellId,
                        new PyroException(ErrorCode.SHELL_NOT_FOUND, "no such shell")));
    }

    /** The public form of a shell state. */
    static String state(ShellStatus s) {
        return s.state().name().toLowerCase(Locale.ROOT);
    }

    private static PyroException invalid(String message) {
        return new PyroException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
