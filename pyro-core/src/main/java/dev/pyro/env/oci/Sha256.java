package dev.pyro.env.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** sha256 digests in the registry's {@code sha256:<hex>} form, computed by streaming. */
final class Sha256 {
    static final String PREFIX = "sha256:";
    private static final int BUFFER = 256 * 1024;

    private Sha256() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String format(MessageDigest md) {
        return PREFIX + HexFormat.of().formatHex(md.digest());
    }

    static String of(byte[] bytes) {
        MessageDigest md = newDigest();
        md.update(bytes);
        return format(md);
    }

    static String of(Path file, LongConsumer progress) throws IOException {
        MessageDigest md = newDigest();
        update(md, file, Long.MAX_VALUE, progress);
        return format(md);
    }

    /** Feeds the first {@code limit} bytes of {@code file} into {@code md}; returns how many were read. */
    static long update(MessageDigest md, Path file, long limit, LongConsumer progress) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (total < limit) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                total += n;
                progress.accept(total);
            }
        }
        return total;
    }
}
