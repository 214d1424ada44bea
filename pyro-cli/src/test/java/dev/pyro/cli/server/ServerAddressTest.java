package dev.pyro.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which server a CLI call finds: one per code and configuration, never another's. */
class ServerAddressTest {
    @TempDir
    Path dir;

    private Properties props(Path jar) {
        Properties p = new Properties();
        p.setProperty("java.home", "/opt/jdk");
        p.setProperty("user.home", dir.toString());
        p.setProperty("java.class.path", jar.toString());
        return p;
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PYRO_HOME", dir.resolve("home").toString());
        env.put("PATH", "/usr/bin:/bin");
        env.put("PWD", "/somewhere");
        env.put("TERM", "xterm");
        return env;
    }

    private Path jar() throws IOException {
        Path jar = dir.resolve("pyro.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, new byte[] {1, 2, 3});
        }
        return jar;
    }

    private ServerAddress address(Map<String, String> env, Properties props) {
        return ServerAddress.of(env, props).orElseThrow();
    }

    @Test
    void theEndpointLivesInPyroHomesRunDirectoryNamedByTheKeysHash() throws IOException {
        ServerAddress a = address(env(), props(jar()));
        assertThat(a.endpoint().getParent()).isEqualTo(dir.resolve("home/run"));
        assertThat(a.endpoint().getFileName().toString()).matches("cli-[0-9a-f]{16}\\.endpoint")
                .isEqualTo("cli-" + ServerAddress.hash(a.key()) + ".endpoint");
        assertThat(a.lock().getFileName().toString()).isEqualTo(a.endpoint().getFileName().toString()
                .replace(".endpoint", ".lock"));
        assertThat(a.log().getFileName().toString()).endsWith(".log");
        Map<String, String> noHome = env();
        noHome.remove("PYRO_HOME");
        assertThat(address(noHome, props(jar())).endpoint().getParent())
                .isEqualTo(dir.resolve(".local/share/pyro/run"));
    }

    @Test
    void whatPyroReadsChangesTheKeyAndNothingElseDoes() throws IOException {
        Path jar = jar();
        String base = address(env(), props(jar)).key();
        assertThat(address(env(), props(jar)).key()).isEqualTo(base);

        Map<String, String> unrelated = env();
        unrelated.put("PWD", "/elsewhere");
        unrelated.put("TERM", "dumb");
        unrelated.put("SHLVL", "3");
        assertThat(address(unrelated, props(jar)).key()).isEqualTo(base);

        for (String[] change : new String[][] {{"PYRO_BACKEND", "qemu"}, {"PYRO_FAILPOINT", "x"},
            {"PATH", "/usr/local/bin:/usr/bin"}, {"HOME", "/root2"}, {"XDG_STATE_HOME", "/s"},
            {"JAVA_TOOL_OPTIONS", "-Dpyro.x=1"}}) {
            Map<String, String> e = env();
            e.put(change[0], change[1]);
            assertThat(address(e, props(jar)).key()).as(change[0]).isNotEqualTo(base);
        }
        Properties traced = props(jar);
        traced.setProperty("pyro.trace.start", "true");
        assertThat(address(env(), traced).key()).isNotEqualTo(base);
        Properties logging = props(jar);
        logging.setProperty("java.util.logging.config.file", "/l.properties");
        assertThat(address(env(), logging).key()).isNotEqualTo(base);
        Properties otherJdk = props(jar);
        otherJdk.setProperty("java.home", "/opt/jdk2");
        assertThat(address(env(), otherJdk).key()).isNotEqualTo(base);
        assertThat(ServerAddress.passedOnProperties(traced)).containsExactly("-Dpyro.trace.start=true");
    }

    @Test
    void aRebuiltJarIsAnotherServer() throws IOException {
        Path jar = jar();
        String before = address(env(), props(jar)).key();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
        assertThat(address(env(), props(jar)).key()).isNotEqualTo(before);
        String touched = address(env(), props(jar)).key();
        Files.write(jar, new byte[] {1, 2, 3, 4});
        assertThat(address(env(), props(jar)).key()).isNotEqualTo(touched);
    }

    @Test
    void aValueCannotPoseAsAnotherEntry() throws IOException {
        Map<String, String> one = env();
        one.put("PYRO_A", "x\nenv PYRO_B 1 y");
        Map<String, String> two = env();
        two.put("PYRO_A", "x");
        two.put("PYRO_B", "y");
        assertThat(address(one, props(jar())).key()).isNotEqualTo(address(two, props(jar())).key());
    }

    @Test
    void theSwitchTurnsItOff() throws IOException {
        for (String off : new String[] {"0", "off", "false", "no", " OFF "}) {
            Map<String, String> e = env();
            e.put(ServerAddress.SWITCH, off);
            assertThat(ServerAddress.of(e, props(jar()))).as(off).isEmpty();
        }
        Map<String, String> on = env();
        on.put(ServerAddress.SWITCH, "1");
        assertThat(ServerAddress.of(on, props(jar()))).isPresent();
    }

    @Test
    void theIdleTimeIsReadLeniently() {
        assertThat(ExecServer.idle(null)).isEqualTo(ExecServer.DEFAULT_IDLE);
        assertThat(ExecServer.idle("30")).hasSeconds(30);
        assertThat(ExecServer.idle("-5")).isEqualTo(ExecServer.DEFAULT_IDLE);
        assertThat(ExecServer.idle("soon")).isEqualTo(ExecServer.DEFAULT_IDLE);
        assertThat(ExecServer.idle("99999999999999999999")).isEqualTo(ExecServer.DEFAULT_IDLE);
    }
}
