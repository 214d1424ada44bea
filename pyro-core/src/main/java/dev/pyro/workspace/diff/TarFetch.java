package dev.pyro.workspace.diff;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

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
        void accept(String path, TarArchiveEntry entry, InputStream content) throws IOException;
    }

    private TarFetch() {
    }

    /** Fetches {@code paths} (any number; batched) and returns those the source reported missing. */
    static List<String> fetch(ContentSource source, List<String> paths, EntryHandler handler) {
        List<String> missing = new ArrayList<>();
        for (List<String> batch : PathBatches.split(paths)) {
            missing.addAll(fetchBatch(source, batch, handler));
        }
        return missing;
    }

    private static List<String> fetchBatch(ContentSource source, List<String> batch, EntryHandler handler) {
        ChunkPipe pipe = new ChunkPipe(PIPE_CHUNKS);
        CompletableFuture<List<String>> producer = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("pyro-diff-fetch").start(() -> {
            OutputStream out = pipe.sink();
            try {
                List<String> missing = source.export(batch, out);
                out.close();
                producer.complete(missing);
            } catch (Throwable e) {
                producer.completeExceptionally(e);
                pipe.fail(new IOException("the export failed", e));
            }
        });
        PyroException readFailure = null;
        try (InputStream in = pipe.source(); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                try {
                    handler.accept(entryPath(e.getName()), e, tar);
                } catch (IOException x) { // the host side failed, not the archive
                    throw new PyroException(ErrorCode.IO_ERROR, "storing " + e.getName() + " failed: "
                            + x.getMessage(), x);
                }
            }
            in.transferTo(OutputStream.nullOutputStream()); // the padding after the end marker
        } catch (IOException e) {
            readFailure = new PyroException(ErrorCode.MALFORMED_ARCHIVE, "reading exported files failed: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            join(thread);
            throw e; // closing the pipe made the export fail; the handler's error is the story
        }
        join(thread);
        try {
            List<String> missing = producer.join();
            if (readFailure != null) {
                throw readFailure;
            }
            return missing;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // the agent's own error (NOT_FOUND, PATH_OUTSIDE_WORKSPACE, …) says more
            }
            throw new PyroException(ErrorCode.INTERNAL, "export failed: " + e.getCause(), e.getCause());
        }
    }

    /** {@code ./a/b/} → {@code a/b}: export names are relative to the workspace root. */
    static String entryPath(String name) {
        String p = name.startsWith("./") ? name.substring(2) : name;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
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
