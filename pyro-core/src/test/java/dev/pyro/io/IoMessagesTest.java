package dev.pyro.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: no exception class name ever reaches an I/O error message. */
class IoMessagesTest {

    @Test
    void fileSystemFailuresAreWordsAndTheFilesInvolved() {
        assertThat(IoMessages.describe(new NoSuchFileException("/x/y"))).isEqualTo("no such file or directory: /x/y");
        assertThat(IoMessages.describe(new FileAlreadyExistsException("/x"))).isEqualTo("already exists: /x");
        assertThat(IoMessages.describe(new AccessDeniedException("/root/f"))).isEqualTo("permission denied: /root/f");
        assertThat(IoMessages.describe(new DirectoryNotEmptyException("/d"))).isEqualTo("directory not empty: /d");
        assertThat(IoMessages.describe(new AtomicMoveNotSupportedException("/a", "/b", "x")))
                .isEqualTo("cannot be moved atomically (another file system?): /a -> /b");
        assertThat(IoMessages.describe(new FileSystemException("/f", null, "No space left on device")))
                .isEqualTo("no space left on device: /f");
        assertThat(IoMessages.describe(new FileSystemException("/f"))).isEqualTo("input/output error: /f");
    }

    @Test
    void wrappedAndBareExceptionsNeverShowTheirClass() {
        IOException wrapped = new IOException(new NoSuchFileException("/gone"));
        assertThat(wrapped.getMessage()).startsWith("java.nio.file.NoSuchFileException");
        assertThat(IoMessages.describe(wrapped)).isEqualTo("no such file or directory: /gone");
        assertThat(IoMessages.describe(new UncheckedIOException(new AccessDeniedException("/p"))))
                .isEqualTo("permission denied: /p");
        assertThat(IoMessages.describe(new IOException())).isEqualTo("input/output error");
        assertThat(IoMessages.describe(new IOException("Broken pipe"))).isEqualTo("Broken pipe");
    }

    @Test
    void realFailuresReadWell(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        try {
            Files.createDirectory(dir.resolve("f"));
        } catch (IOException e) {
            assertThat(IoMessages.describe(e)).isEqualTo("already exists: " + dir.resolve("f"))
                    .doesNotContain("java.");
        }
        try {
            Files.newDirectoryStream(dir.resolve("f")).close();
        } catch (IOException e) {
            assertThat(IoMessages.describe(e)).isEqualTo("not a directory: " + dir.resolve("f"));
        }
    }
}
