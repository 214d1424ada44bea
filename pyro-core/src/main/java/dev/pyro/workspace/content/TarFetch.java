package dev.pyro.workspace.content;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.BytePath;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Fetches selected workspace paths through a {@link ContentSource} in batches and hands
 * each tar entry to a handler while the export is still streaming: the host never holds
 * an archive, only what the handler keeps.
 */
final class TarFetch {
    /** Chunks in flight between the agent and the tar parser (each up to one frame). */
    private static final int PIPE_CHUNKS = 32;

    /** Receives one exported entry; {@code content} is valid only during the call. */
    interface EntryHandler {
        void accept(BytePath path, TarArchiveEntry entry, InputStream content) throws IOException;
    }

    private TarFetch() {
    }

    /** Fetches {@code paths} (any number; batched) and returns those the source reported missing. */
    static List<BytePath> fetch(ContentSource source, List<BytePath> paths, EntryHandler handler) {
        List<BytePath> missing = new ArrayList<>();
        for (List<BytePath> batch : PathBatches.split(paths)) {
            missing.addAll(fetchBatch(source, batch, handler));
        }
        return missing;
    }

    private static List<BytePath> fetchBatch(ContentSource source, List<BytePath> batch, EntryHandler handler) {
        return pipe(out -> source.export(batch, out), in -> {
            try (TarArchiveInputStream tar = TarNames.reader(in)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    BytePath path = entryPath(TarNames.name(e));
                    try {
                        handler.accept(path, e, tar);
                    } catch (IOException x) { // the host side failed, not the archive
                        throw new PyroException(ErrorCode.IO_ERROR, "storing " + path + " failed: "
                                + IoMessages.describe(x), x);
                    }
                }
                in.transferTo(OutputStream.nullOutputStream()); // the padding after the end marker
            }
        });
    }

    /** Reads a stream being written, e.g. a tar while the agent exports it. */
    interface StreamReader {
        void read(InputStream in) throws IOException;
    }

    /**
     * Runs {@code producer} (which writes into the stream it is given) on a virtual thread
     * while {@code reader} consumes the same bytes on this one, at most a few chunks apart.
     * Returns what the producer returned. Whoever failed first is the story: a producer
     * failure (the agent's NOT_FOUND) beats the truncated archive the reader then sees; a
     * reader that gives up (an unsafe entry) closes its end, which fails the producer and
     * cancels the export in the guest, and its own error is thrown.
     */
    static <T> T pipe(Function<OutputStream, T> producer, StreamReader reader) {
        ChunkPipe pipe = new ChunkPipe(PIPE_CHUNKS);
        CompletableFuture<T> produced = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("pyro-export-pipe").start(() -> {
            OutputStream out = pipe.sink();
            try {
                T result = producer.apply(out);
                out.close();
                produced.complete(result);
            } catch (Throwable e) {
                produced.completeExceptionally(e);
                pipe.fail(new IOException("the export failed", e));
            }
        });
        RuntimeException readFailure = null;
        try (InputStream in = pipe.source()) {
            reader.read(in);
        } catch (IOException e) {
            readFailure = new PyroException(ErrorCode.MALFORMED_ARCHIVE, "reading the exported archive failed: "
                    + IoMessages.describe(e), e);
        } catch (RuntimeException e) {
            readFailure = e;
        }
        join(thread);
        if (readFailure != null && !pipe.writerFailedFirst()) {
            throw readFailure; // the reader gave up first; the export failed because of that
        }
        try {
            T result = produced.join();
            if (readFailure != null) {
                throw readFailure;
            }
            return result;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PyroException(ErrorCode.INTERNAL, "export failed: " + IoMessages.describe(e.getCause()),
                    e.getCause());
        }
    }

    /**
     * A regular file by its type flag: commons-compress' {@code isFile()} also says yes for
     * symlinks, FIFOs and devices.
     */
    static boolean isRegularFile(TarArchiveEntry e) {
        byte f = e.getLinkFlag();
        return f == TarConstants.LF_NORMAL || f == TarConstants.LF_OLDNORM || f == TarConstants.LF_CONTIG;
    }

    /** {@code ./a/b/} → {@code a/b}: export names are relative to the workspace root. */
    static BytePath entryPath(BytePath name) {
        String p = name.withoutPrefix("./").latin1();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return BytePath.fromLatin1(p);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, "interrupted while fetching files");
        }
    }
}
