package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Uploads blobs following the distribution spec: HEAD to skip what the registry has, then a
 * POST to open an upload session and either one PUT (small blobs) or PATCHes of
 * {@link OciClientOptions#chunkSize()} bytes and a closing PUT (large blobs). Bodies are
 * streamed from the file; nothing is held in memory.
 */
final class BlobUploader {
    private static final System.Logger LOG = PyroLoggers.of(BlobUploader.class);
    private static final String OCTET_STREAM = "application/octet-stream";
    /** How the progress note marks a blob the registry had already. */
    static final String ALREADY_THERE = "(already in the registry)";

    private final RegistryTransport transport;
    private final OciClientOptions options;
    private final BlobProgress progress;

    BlobUploader(RegistryTransport transport, OciClientOptions options, BlobProgress progress) {
        this.transport = transport;
        this.options = options;
        this.progress = progress;
    }

    /** Whether the registry already has the blob. */
    boolean exists(String digest) {
        HttpResponse<Void> head = transport.send(transport.request(transport.url("blobs/" + digest))
                .method("HEAD", BodyPublishers.noBody()), "blob " + digest, BodyHandlers.discarding(), Set.of(404), true);
        return head.statusCode() == 200;
    }

    /**
     * Makes sure the registry holds {@code file} under {@code digest}.
     *
     * @return true if it was uploaded, false if the registry already had it
     */
    boolean upload(Path file, String digest, long size, String subject) {
        boolean present = exists(digest);
        BlobProgress.Blob progress = this.progress.next(present ? subject + " " + ALREADY_THERE : subject, size);
        if (present) {
            LOG.log(System.Logger.Level.DEBUG, "blob {0} ({1}) already in registry", digest, subject);
            progress.report(size); // nothing to send: it counts as done
            return false;
        }
        URI location = startSession(digest);
        if (size <= options.monolithicUploadLimit()) {
            HttpRequest.Builder put = transport.request(withDigest(location, digest))
                    .header("Content-Type", OCTET_STREAM)
                    .PUT(slice(file, 0, size, progress));
            finish(transport.send(put, "upload of " + subject, BodyHandlers.discarding(), Set.of(), false), digest, subject);
            return true;
        }
        for (long offset = 0; offset < size; offset += options.chunkSize()) {
            long length = Math.min(options.chunkSize(), size - offset);
            HttpRequest.Builder patch = transport.request(location)
                    .header("Content-Type", OCTET_STREAM)
                    .header("Content-Range", offset + "-" + (offset + length - 1))
                    .method("PATCH", slice(file, offset, length, progress));
            HttpResponse<Void> response = transport.send(patch, "upload of " + subject, BodyHandlers.discarding(),
                    Set.of(), false);
            if (response.statusCode() != 202) {
                throw unexpected(response.statusCode(), "PATCH", subject);
            }
            location = nextLocation(location, response, subject);
        }
        HttpRequest.Builder close = transport.request(withDigest(location, digest)).PUT(BodyPublishers.noBody());
        finish(transport.send(close, "upload of " + subject, BodyHandlers.discarding(), Set.of(), false), digest, subject);
        return true;
    }

    /** Uploads a manifest and returns the digest the registry stored it under. */
    String putManifest(String tag, byte[] json, String expectedDigest) {
        HttpRequest.Builder put = transport.request(transport.url("manifests/" + tag))
                .header("Content-Type", OciMediaTypes.IMAGE_MANIFEST)
                .PUT(BodyPublishers.ofByteArray(json));
        HttpResponse<Void> response = transport.send(put, "manifest " + tag, BodyHandlers.discarding(), Set.of(), false);
        if (response.statusCode() != 201) {
            throw unexpected(response.statusCode(), "PUT manifest", tag);
        }
        String stored = response.headers().firstValue("Docker-Content-Digest").orElse(expectedDigest);
        if (!stored.equals(expectedDigest)) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "registry stored manifest " + tag + " as "
                    + stored + " but its content hashes to " + expectedDigest);
        }
        return stored;
    }

    private URI startSession(String digest) {
        HttpRequest.Builder post = transport.request(transport.url("blobs/uploads/")).POST(BodyPublishers.noBody());
        HttpResponse<Void> response = transport.send(post, "upload of " + digest, BodyHandlers.discarding(), Set.of(), false);
        if (response.statusCode() != 202) {
            throw unexpected(response.statusCode(), "POST", digest);
        }
        return nextLocation(post.build().uri(), response, digest);
    }

    private static URI nextLocation(URI current, HttpResponse<?> response, String subject) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new PyroException(
                ErrorCode.ENVIRONMENT_BUILD_FAILED, "registry gave no upload Location for " + subject));
        return current.resolve(location);
    }

    private static URI withDigest(URI location, String digest) {
        String s = location.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
    }

    private static void finish(HttpResponse<Void> response, String digest, String subject) {
        if (response.statusCode() != 201) {
            throw unexpected(response.statusCode(), "PUT", subject);
        }
        String stored = response.headers().firstValue("Docker-Content-Digest").orElse(digest);
        if (!stored.equals(digest)) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "registry stored " + subject + " as " + stored
                    + ", expected " + digest + " (was the file changed during the push?)");
        }
    }

    private static PyroException unexpected(int status, String step, String subject) {
        return new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "registry answered HTTP " + status + " to " + step
                + " of " + subject);
    }

    /**
     * {@code length} bytes of {@code file} from {@code offset}. Re-readable: each subscription
     * (a retry after an auth challenge) opens the file again.
     */
    private static BodyPublisher slice(Path file, long offset, long length, BlobProgress.Blob progress) {
        if (length == 0) {
            return BodyPublishers.noBody();
        }
        return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> {
            try {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                channel.position(offset);
                return new SliceStream(Channels.newInputStream(channel), offset, length, progress);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), length);
    }

    /** Reads at most {@code remaining} bytes and reports the absolute position as progress. */
    private static final class SliceStream extends FilterInputStream {
        private final long start;
        private final BlobProgress.Blob progress;
        private long remaining;
        private long read;

        SliceStream(InputStream in, long start, long length, BlobProgress.Blob progress) {
            super(in);
            this.start = start;
            this.remaining = length;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
                read += n;
                progress.report(start + read);
            }
            return n;
        }
    }
}
