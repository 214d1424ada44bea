package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ImportResult;
import dev.pyro.io.IoMessages;
import dev.pyro.progress.ProgressMeter;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

/**
 * Streams a {@link SeedSource} into the guest with an <em>atomic</em> {@code archive_import}:
 * the agent stages it outside {@code /workspace} and moves it in only when the whole
 * archive was valid, so a refused entry ({@code ../evil}) or a corrupt archive leaves
 * the workspace exactly as it was. Used by create (seed) and sync push, which count the bytes
 * sent with a meter made for the total ({@link SeedSource#size()}).
 */
final class ArchivePush {
    private ArchivePush() {
    }

    /**
     * Copies {@code source} beneath the guest directory {@code dest} (already checked to be
     * under {@code /workspace}).
     *
     * @throws PyroException {@link ErrorCode#MALFORMED_ARCHIVE}, {@link ErrorCode#UNSAFE_ARCHIVE_ENTRY},
     *                       {@link ErrorCode#INVALID_ARGUMENT} (a name or path longer than the guest's
     *                       file system takes), {@link ErrorCode#IO_ERROR}, or the agent's connection
     *                       errors; the first three change nothing in the workspace
     */
    static ImportResult push(AgentConnection agent, SeedSource source, String dest, LongFunction<ProgressMeter> meter) {
        ProgressMeter progress = meter.apply(total(source));
        try (InputStream tar = source.openTar(progress::add)) {
            ImportResult result = agent.archives().importTar(dest, 0, true, tar);
            progress.finish();
            return result;
        } catch (MalformedArchiveException e) {
            throw malformed(source, e);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot read " + source.given() + ": "
                    + IoMessages.describe(e), e);
        } catch (PyroException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof MalformedArchiveException m) {
                    throw malformed(source, m);
                }
            }
            if (e.code() == ErrorCode.MALFORMED_ARCHIVE || e.code() == ErrorCode.UNSAFE_ARCHIVE_ENTRY
                    || e.code() == ErrorCode.INVALID_ARGUMENT) {
                throw new PyroException(e.code(), source.given() + ": " + e.getMessage()
                        + " (nothing was changed in the workspace)", e);
            }
            throw e;
        }
    }

    /** The amount to send, or -1 when it cannot be told up front (the push then says why, if it fails). */
    private static long total(SeedSource source) {
        try {
            return source.size();
        } catch (IOException e) {
            return -1;
        }
    }

    private static PyroException malformed(SeedSource source, MalformedArchiveException e) {
        return new PyroException(ErrorCode.MALFORMED_ARCHIVE, "archive " + source.given() + " is malformed: "
                + e.getMessage() + " (nothing was changed in the workspace)", e);
    }
}
