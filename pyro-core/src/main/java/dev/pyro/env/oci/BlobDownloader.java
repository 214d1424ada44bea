package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one blob to {@code <target>.part}, hashing while it streams, and renames it to
 * {@code target} only once size and sha256 match. An existing {@code .part} is resumed with a
 * {@code Range} request; if the server ignores the range, or the resumed result does not
 * verify (a corrupt prefix), the download starts over once from zero.
 */
final class BlobDownloader {
    private static final System.Logger LOG = PyroLoggers.of(BlobDownloader.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int BUFFER = 256 * 1024;

    private final RegistryTransport transport;
    private final BlobProgress progress;

    BlobDownloader(RegistryTransport transport, BlobProgress progress) {
        this.transport = transport;
        this.progress = progress;
    }

    /** Where a partial download of {@code target} is kept. */
    static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Puts the blob at {@code target}.
     *
     * @return bytes transferred over the network (0 if {@code target} was already correct)
     */
    long download(Descriptor blob, Path target, String subject) {
        BlobProgress.Blob progress = this.progress.next(subject, blob.size());
        Path part = partOf(target);
        try {
            if (alreadyInPlace(blob, target)) {
                LOG.log(System.Logger.Level.DEBUG, "{0} already in place and verified", subject);
                Files.deleteIfExists(part);
                progress.report(blob.size());
                return 0;
            }
            boolean resumed = Files.exists(part) && Files.size(part) > 0;
            Fetched fetched = fetch(blob, part, subject, progress);
            long transferred = fetched.received();
            if (!fetched.matches(blob) && resumed) {
                // The kept prefix was bad (or the blob changed); the only safe fix is a clean start.
                LOG.log(System.Logger.Level.INFO, "resumed download of {0} did not verify ({1}); starting over",
                        subject, fetched.digest());
                Files.deleteIfExists(part);
                fetched = fetch(blob, part, subject, progress);
                transferred += fetched.received();
            }
            if (!fetched.matches(blob)) {
                Files.deleteIfExists(part);
                throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "blob for " + subject + " from "
                        + transport.reference().authority() + " is corrupt: expected " + blob.digest() + " ("
                        + blob.size() + " bytes), got " + fetched.digest() + " (" + fetched.size()
                        + " bytes); the partial file was deleted");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return transferred;
        } catch (IOException e) {
            throw RegistryErrors.local("cannot write " + target, e);
        }
    }

    /** What a fetch left in the part file: its size and sha256, and how much came over the network. */
    private record Fetched(long received, long size, String digest) {
        boolean matches(Descriptor blob) {
            return size == blob.size() && digest.equals(blob.digest());
        }
    }

    private static boolean alreadyInPlace(Descriptor blob, Path target) throws IOException {
        return Files.isRegularFile(target) && Files.size(target) == blob.size()
                && Sha256.of(target, n -> { }).equals(blob.digest());
    }

    /**
     * Completes {@code part} from the registry, hashing the kept prefix and then the bytes as
     * they arrive, so the file is read only once.
     */
    private Fetched fetch(Descriptor blob, Path part, String subject, BlobProgress.Blob progress) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > blob.size()) {
            Files.delete(part);
            have = 0;
        }
        MessageDigest md = Sha256.newDigest();
        if (have > 0) {
            Sha256.update(md, part, have, n -> { });
        }
        if (have == blob.size()) {
            if (have == 0) {
                Files.write(part, new byte[0]);
            }
            progress.report(have);
            return new Fetched(0, have, Sha256.format(md));
        }
        HttpRequest.Builder get = transport.request(transport.url("blobs/" + blob.digest())).GET();
        if (have > 0) {
            get.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = transport.send(get, "blob " + blob.digest() + " (" + subject + ")",
                BodyHandlers.ofInputStream(), Set.of(416), true);
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            boolean cannotContinue = status == 416 || (status == 206 && rangeStart(response) != have);
            if (cannotContinue && have == 0) {
                throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "registry "
                        + transport.reference().authority() + " answered a plain download of " + subject
                        + " with HTTP " + status + " and a wrong range");
            }
            if (cannotContinue) {
                // Our prefix is not what the registry can continue: start clean.
                LOG.log(System.Logger.Level.INFO, "registry cannot continue {0} at byte {1}; restarting", subject, have);
                body.close();
                Files.deleteIfExists(part);
                return fetch(blob, part, subject, progress);
            }
            long offset = have;
            if (status != 206) {
                if (have > 0) {
                    LOG.log(System.Logger.Level.INFO, "registry ignored the Range request for {0}; downloading it whole",
                            subject);
                }
                offset = 0;
                md.reset();
            }
            return copy(body, part, offset, md, blob.size(), subject, progress);
        }
    }

    private static long rangeStart(HttpResponse<?> response) {
        String header = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(header.strip());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Writes the body into {@code part} from {@code offset} (dropping what follows), hashing as it goes. */
    private Fetched copy(InputStream body, Path part, long offset, MessageDigest md, long size, String subject,
            BlobProgress.Blob progress) throws IOException {
        long received = 0;
        long position = offset;
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.truncate(offset);
            out.position(offset);
            byte[] buf = new byte[BUFFER];
            progress.report(position);
            while (true) {
                int n;
                try {
                    n = body.read(buf);
                } catch (IOException e) {
                    out.force(false); // keep what we have, so the next pull resumes from here
                    throw RegistryErrors.network("registry " + transport.reference().authority()
                            + " while downloading " + subject, e);
                }
                if (n < 0) {
                    break;
                }
                if (position + n > size) {
                    // Longer than the manifest says: cannot be the blob. Drop it entirely.
                    out.truncate(0);
                    return new Fetched(received + n, position + n, "more than " + size + " bytes");
                }
                out.write(ByteBuffer.wrap(buf, 0, n));
                md.update(buf, 0, n);
                position += n;
                received += n;
                progress.report(position);
            }
            out.force(false);
        }
        return new Fetched(received, position, Sha256.format(md));
    }
}
