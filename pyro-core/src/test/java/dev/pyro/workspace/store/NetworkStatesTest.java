package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.NetworkPolicy;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network records of a workspace: the policy written once, one file per published port. */
class NetworkStatesTest {
    @TempDir
    Path home;

    private WorkspaceStore store() {
        return new WorkspaceStore(home);
    }

    @Test
    void thePolicyAndAllowListRoundTripAndOlderWorkspacesFollowTheirNetworkFlag() {
        WorkspaceStore store = store();
        WorkspaceRecord r = store.create(NewWorkspace.of("debian:12"));
        WorkspacePaths paths = store.paths(r.workspaceId());
        assertThat(NetworkStates.policy(paths, r)).isEqualTo(NetworkPolicy.OFF);
        assertThat(NetworkStates.settings(paths, r.withState(r.state(), null)).allowHosts()).isEmpty();
        NetworkStates.writeSettings(paths, NetworkSettings.of(NetworkPolicy.EGRESS_PUBLISHED_PORTS,
                List.of("pypi.org", "*.github.com")));
        assertThat(NetworkStates.policy(paths, r)).isEqualTo(NetworkPolicy.EGRESS_PUBLISHED_PORTS);
        assertThat(NetworkStates.settings(paths, r).allowHosts()).containsExactly("pypi.org", "*.github.com");
    }

    @Test
    void anUnreadableOrForeignNetworkRecordIsAnIoError() throws IOException {
        WorkspaceStore store = store();
        WorkspaceRecord r = store.create(NewWorkspace.of("debian:12"));
        WorkspacePaths paths = store.paths(r.workspaceId());
        Files.createDirectories(paths.networkDir());
        for (String bad : List.of("not json", "{\"format\": 1, \"policy\": \"everything\"}", "{\"policy\": \"off\"}",
                "{\"format\": 99, \"policy\": \"off\"}", "[]")) {
            Files.writeString(paths.networkFile(), bad);
            assertThatThrownBy(() -> NetworkStates.policy(paths, r)).as(bad).isInstanceOfSatisfying(
                    PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
        }
    }

    @Test
    void aHostPortIsClaimedOnceListedAndReleased() {
        WorkspaceStore store = store();
        WorkspacePaths paths = store.paths(store.create(NewWorkspace.of("debian:12")).workspaceId());
        assertThat(NetworkStates.published(paths)).isEmpty();
        assertThat(NetworkStates.claim(paths, PortForward.of("web", 18080, 80))).isTrue();
        assertThat(NetworkStates.claim(paths, PortForward.of("api", 18080, 81))).isFalse();
        assertThat(NetworkStates.claim(paths, PortForward.of("api", 9000, 81))).isTrue();
        assertThat(NetworkStates.published(paths)).containsExactly(PortForward.of("api", 9000, 81),
                PortForward.of("web", 18080, 80));
        NetworkStates.release(paths, 18080);
        NetworkStates.release(paths, 18080);
        assertThat(NetworkStates.published(paths)).containsExactly(PortForward.of("api", 9000, 81));
        NetworkStates.releaseAll(paths);
        assertThat(NetworkStates.published(paths)).isEmpty();
    }

    @Test
    void racingClaimsOfOnePortHaveOneWinnerAndGarbageFilesAreSkipped() throws Exception {
        WorkspaceStore store = store();
        WorkspacePaths paths = store.paths(store.create(NewWorkspace.of("debian:12")).workspaceId());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String name = "s" + i;
                claims.add(() -> NetworkStates.claim(paths, PortForward.of(name, 20000, 80)));
            }
            long winners = 0;
            for (Future<Boolean> f : pool.invokeAll(claims)) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        Files.writeString(paths.publishedPortsDir().resolve("1.json"), "{broken");
        Files.writeString(paths.publishedPortsDir().resolve("2.json"), "{\"format\": 1, \"service\": \"x\", "
                + "\"host_port\": 70000, \"guest_port\": 1}");
        assertThat(NetworkStates.published(paths)).extracting(PortForward::hostPort).containsExactly(20000);
        try (var leftovers = Files.list(paths.publishedPortsDir())) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
