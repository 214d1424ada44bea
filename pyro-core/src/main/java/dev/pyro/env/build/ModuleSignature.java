package dev.pyro.env.build;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Removes the appended PKCS#7 signature from a kernel module. Why: Debian signs its modules
 * but does not force signatures ({@code MODULE_SIG_FORCE} off); checking them costs about
 * 40 ms of RSA under TCG at every boot, and the only price of skipping it is a "tainted"
 * line in the guest's kernel log.
 *
 * <p>Layout at the end of a signed module: {@code ... | signature (sig_len bytes) |
 * struct module_signature (12 bytes, last 4 = big-endian sig_len) | "~Module signature appended~\n"}.
 */
public final class ModuleSignature {
    static final byte[] TRAILER = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
    static final int STRUCT_SIZE = 12;

    private ModuleSignature() {
    }

    /** Whether {@code module} ends with the signature trailer. */
    public static boolean isSigned(byte[] module) {
        int n = module.length;
        return n >= TRAILER.length + STRUCT_SIZE
                && Arrays.equals(module, n - TRAILER.length, n, TRAILER, 0, TRAILER.length);
    }

    /**
     * The module without its signature; an unsigned module is returned unchanged.
     *
     * @throws IllegalArgumentException when the trailer is present but the length is impossible
     */
    public static byte[] strip(byte[] module) {
        if (!isSigned(module)) {
            return module;
        }
        int structEnd = module.length - TRAILER.length;
        long sigLen = Integer.toUnsignedLong(ByteBuffer.wrap(module, structEnd - 4, 4).getInt());
        long keep = (long) structEnd - STRUCT_SIZE - sigLen;
        if (keep < 0) {
            throw new IllegalArgumentException("module signature length " + sigLen + " exceeds the module");
        }
        return Arrays.copyOf(module, (int) keep);
    }
}
