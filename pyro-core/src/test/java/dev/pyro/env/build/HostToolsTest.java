package dev.pyro.env.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostToolsTest {
    @TempDir
    Path bin;

    @Test
    void missingToolNamesThePackage() {
        HostTools tools = new HostTools(List.of(bin));
        assertThatThrownBy(() -> tools.require(HostTool.MMDEBSTRAP))
                .isInstanceOf(PyroException.class)
                .hasMessage("mmdebstrap not found: apt-get install mmdebstrap")
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.MISSING_HOST_TOOL);
    }

    @Test
    void requireAllListsEveryMissingPackageOnce() throws Exception {
        Path mke2fs = Files.createFile(bin.resolve("mke2fs"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        HostTools tools = new HostTools(List.of(bin));
        assertThat(tools.require(HostTool.MKE2FS)).isEqualTo(mke2fs);
        assertThatThrownBy(() -> tools.requireAll(List.of(HostTool.MKE2FS, HostTool.E2FSCK, HostTool.NEWUIDMAP, HostTool.DEBUGFS)))
                .hasMessage("e2fsck, newuidmap, debugfs not found: apt-get install e2fsprogs uidmap");
    }

    @Test
    void nonExecutableFileDoesNotCount() throws Exception {
        Files.createFile(bin.resolve("dpkg-deb"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        assertThatThrownBy(() -> new HostTools(List.of(bin)).require(HostTool.DPKG_DEB)).hasMessageContaining("apt-get install dpkg");
    }

    @Test
    void classifiesToolOutput() {
        assertThat(IoErrors.classifyText("tar: ./usr/lib/x: Cannot write: No space left on device", ErrorCode.INTERNAL))
                .isEqualTo(ErrorCode.NO_SPACE);
        assertThat(IoErrors.classifyText("Err:1 http://deb.debian.org/debian bookworm InRelease\n  Temporary failure resolving 'deb.debian.org'",
                ErrorCode.INTERNAL)).isEqualTo(ErrorCode.NETWORK_UNAVAILABLE);
        assertThat(IoErrors.classifyText("E: Unable to locate package nosuch", ErrorCode.ENVIRONMENT_BUILD_FAILED))
                .isEqualTo(ErrorCode.ENVIRONMENT_BUILD_FAILED);
        assertThat(IoErrors.classify("writing x", new java.io.IOException("No space left on device")).code()).isEqualTo(ErrorCode.NO_SPACE);
    }

    @Test
    void parsesAptRecordsAndDpkgStatus() {
        var rec = AptSandbox.parseRecord("Package: linux-image-cloud-amd64\nVersion: 6.1.192-2\nDepends: linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)\nDescription: x\n more\n\nPackage: other\n");
        assertThat(rec).containsEntry("Depends", "linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)").containsEntry("Description", "x\nmore");
        assertThat(RootfsTarScan.installedPackages("Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2\n\n"
                + "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\nPackage: bash\nStatus: install ok installed\nVersion: 5.2\n"))
                .containsExactly("bash=5.2", "zlib1g=1:1.2");
    }
}
