package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import org.junit.jupiter.api.Test;

class GuestPathTest {
    @Test
    void relativeAndAbsoluteDestinationsUnderTheWorkspace() {
        assertThat(GuestPath.underWorkspace(null)).isEqualTo("/workspace");
        assertThat(GuestPath.underWorkspace("")).isEqualTo("/workspace");
        assertThat(GuestPath.underWorkspace(".")).isEqualTo("/workspace");
        assertThat(GuestPath.underWorkspace("src/lib/")).isEqualTo("/workspace/src/lib");
        assertThat(GuestPath.underWorkspace("a/../b")).isEqualTo("/workspace/b");
        assertThat(GuestPath.underWorkspace("/workspace/x")).isEqualTo("/workspace/x");
    }

    @Test
    void aDestinationTheFileSystemCannotHoldIsInvalid() {
        for (String bad : new String[] {"n".repeat(256), "a/" + "\u00e9".repeat(128), "d/".repeat(2100)}) {
            assertThatThrownBy(() -> GuestPath.underWorkspace(bad)).as(bad.substring(0, 10))
                    .isInstanceOfSatisfying(PyroException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("the file system's limit").hasSizeLessThan(200);
                    });
        }
        assertThat(GuestPath.underWorkspace("n".repeat(255))).endsWith("n".repeat(255));
    }

    @Test
    void anythingResolvingOutsideIsRefused() {
        for (String bad : new String[] {"..", "../etc", "a/../../x", "/etc", "/workspace/../etc", "/workspacex",
                "/"}) {
            assertThatThrownBy(() -> GuestPath.underWorkspace(bad)).as(bad)
                    .isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PATH_OUTSIDE_WORKSPACE));
        }
    }
}
