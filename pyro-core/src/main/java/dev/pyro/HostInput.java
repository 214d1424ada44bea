package dev.pyro;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Content an operation takes either inline or from a host file ({@code text} or
 * {@code text_file}, {@code patch} or {@code patch_file}): exactly one of the two, and a file
 * read only up to the operation's bound, so a huge or endless file (a FIFO, {@code /dev/zero})
 * never fills the host's memory.
 */
final class HostInput {
    private HostInput() {
    }

    /** The bytes of {@code inline} (UTF-8) or of {@code file}, at most {@code max}. */
    static byte[] bytes(String inlineName, String inline, String fileName, Path file, int max) {
        one(inlineName, inline, fileName, file);
        byte[] bytes = inline != null ? inline.getBytes(StandardCharsets.UTF_8) : read(fileName, file, max);
        if (bytes.length > max) {
            throw tooLarge(inline != null ? inlineName : fileName, max);
        }
        return bytes;
    }

    /** The text of {@code inline} or of {@code file} (strict UTF-8), at most {@code max} bytes. */
    static String text(String inlineName, String inline, String fileName, Path file, int max) {
        one(inlineName, inline, fileName, file);
        if (inline != null) {
            return inline;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(read(fileName, file, max))).toString();
        } catch (CharacterCodingException e) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, fileName + " " + file + " is not UTF-8 text");
        }
    }

    private static void one(String inlineName, String inline, String fileName, Path file) {
        if ((inline == null) == (file == null)) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "give " + inlineName + " or " + fileName
                    + (inline == null ? "" : ", not both"));
        }
    }

    private static byte[] read(String fileName, Path file, int max) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw tooLarge(fileName, max);
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new PyroException(ErrorCode.NOT_FOUND, fileName + " " + file + " does not exist");
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot read " + fileName + " " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private static PyroException tooLarge(String what, int max) {
        return new PyroException(ErrorCode.INVALID_ARGUMENT, what + " is larger than " + max + " bytes");
    }
}
