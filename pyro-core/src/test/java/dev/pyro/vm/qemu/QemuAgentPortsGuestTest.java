package dev.pyro.vm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.AgentInfo;
import dev.pyro.guest.AttachNotice;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.ExecResult;
import dev.pyro.guest.RunningExec;
import dev.pyro.guest.transport.UnixSocketTransport;
import dev.pyro.testing.GuestFixture;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.HostClock;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest tests (one real TCG VM for the class) of how the agent learns of new hosts on its
 * virtio-serial ports: many fresh connections in a row, two at once, a port reconnected at
 * once, and hosts that connect and leave without a word while another session streams.
 * Port 0 holds the established session every test checks against; the others rotate.
 * The HELLO's {@code attach} says whether the guest kernel's SIGIO woke the agent for a host:
 * without it the agent's 2 s safety-net probe still answers every host, just slowly, so only
 * that member lets a test see the wake-up break.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class QemuAgentPortsGuestTest {
    @TempDir
    static Path dir;

    private VmInstance vm;
    private AgentConnection established;
    private List<Path> fresh;

    @BeforeAll
    void boot() {
        Path agent = GuestFixture.agent();
        QemuVmm vmm = new QemuVmm(QemuInstallation.find(), Accel.TCG, HostClock.tscKhz(agent),
                new InitrdAssembler(dir.resolve("initrd")), agent);
        vm = vmm.start(new VmSpec("ports", dir.resolve("vm"), GuestFixture.debian12(), 1, 512, Optional.empty(),
                false, false, Duration.ofSeconds(90)));
        established = GuestConnector.connect(vm, Duration.ofSeconds(90)); // leases port 0
        List<Path> ports = ((AgentEndpoint.UnixSocketPool) vm.agentEndpoint()).sockets();
        assertThat(ports).hasSize(QemuLayout.AGENT_PORTS);
        fresh = ports.subList(1, ports.size());
        // A port the agent finds by its 1 s rescan with a host already on it is honestly "probe":
        // wait until it holds every port (the vport devices appear asynchronously at boot).
        ExecResult held = established.exec().run(ExecRequest.of("/bin/sh", "-c", "i=0; while [ \"$(ls -l /proc/1/fd"
                + " | grep -c /dev/vport)\" -lt " + QemuLayout.AGENT_PORTS + " ] && [ $i -lt 600 ]; do sleep 0.1;"
                + " i=$((i+1)); done; ls -l /proc/1/fd | grep -c /dev/vport"));
        assertThat(held.stdoutText().strip()).isEqualTo(String.valueOf(QemuLayout.AGENT_PORTS));
    }

    @AfterAll
    void stop() {
        if (established != null) {
            established.close();
        }
        if (vm != null) {
            vm.stop(Duration.ofSeconds(4));
            vm.cleanup();
        }
    }

    private static AgentConnection connect(Path port) {
        return AgentConnection.connect(UnixSocketTransport.connect(port, Duration.ofSeconds(10)));
    }

    /** The agent's open descriptors, seen from the established session (its exec adds the same pipes each time). */
    private String agentDescriptors() {
        ExecResult r = established.exec().run(ExecRequest.of("/bin/sh", "-c", "ls /proc/1/fd | sort -n | tr '\\n' ' '"));
        assertThat(r.exitCode()).isZero();
        return r.stdoutText();
    }

    /** A fresh connection is answered and serves: its HELLO is the guest agent's, and an exec runs on it. */
    private static void assertServes(AgentConnection c, String word) {
        AgentInfo hello = c.hello();
        assertThat(hello.protocol()).isEqualTo(AgentConnection.PROTOCOL_VERSION);
        assertThat(hello.mode()).isEqualTo("guest");
        assertThat(hello.pid()).isEqualTo(1);
        assertThat(c.exec().run(ExecRequest.of("echo", word)).stdoutText()).isEqualTo(word + "\n");
    }

    /**
     * How the agent noticed a fresh host. A host on a port whose previous host just left (no
     * other connection in between) races the agent seeing that one go: the agent may find the
     * new host by the probe it makes right after the old one left (O_ASYNC was off while a host
     * was attached, so nothing signalled: "probe"), or never see the port without a host and
     * take the new HELLO as the second on the connection ("again"). Every other host came to a
     * port the agent watched with O_ASYNC on, and must have been noticed by signal.
     */
    private static void assertNoticed(AgentConnection c, boolean portJustClosed, String what) {
        AttachNotice attach = c.hello().attach();
        if (portJustClosed) {
            assertThat(attach).as(what).isIn(AttachNotice.SIGNAL, AttachNotice.PROBE, AttachNotice.AGAIN);
        } else {
            assertThat(attach).as(what).isEqualTo(AttachNotice.SIGNAL);
        }
    }

    @Test
    void thirtyFreshConnectionsInARowAndTwoAtOnceAreEachAnsweredAndNoticedBySignal() throws Exception {
        String idle = agentDescriptors();
        Set<Path> justClosed = Set.of();
        for (int i = 0; i < 30; i++) {
            // every fifth cycle reconnects the port just closed, before the agent may have seen it go
            Path port = fresh.get(i % 5 == 4 ? (i - 1) % fresh.size() : i % fresh.size());
            try (AgentConnection c = connect(port)) {
                assertServes(c, "cycle" + i);
                assertNoticed(c, justClosed.contains(port), "cycle " + i);
            }
            justClosed = Set.of(port);
        }
        for (int pair = 0; pair < 3; pair++) {
            Path a = fresh.get(2 * pair);
            Path b = fresh.get(2 * pair + 1);
            CompletableFuture<AgentConnection> ca = CompletableFuture.supplyAsync(() -> connect(a));
            CompletableFuture<AgentConnection> cb = CompletableFuture.supplyAsync(() -> connect(b));
            try (AgentConnection x = ca.get(30, TimeUnit.SECONDS); AgentConnection y = cb.get(30, TimeUnit.SECONDS)) {
                assertServes(x, "a" + pair);
                assertServes(y, "b" + pair);
                assertNoticed(x, justClosed.contains(a), "pair " + pair + " a");
                assertNoticed(y, justClosed.contains(b), "pair " + pair + " b");
            }
            justClosed = Set.of(a, b);
        }
        assertThat(established.ping()).isPositive();
        assertThat(agentDescriptors()).isEqualTo(idle);
    }

    @Test
    void hostsThatConnectAndLeaveWithoutAWordWedgeNoOtherSession() throws Exception {
        String idle = agentDescriptors();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // streams while the silent hosts come and go: each line must arrive, in order
        RunningExec streaming = established.exec().start(ExecRequest.of("/bin/sh", "-c",
                "i=0; while [ $i -lt 60 ]; do echo line$i; i=$((i+1)); sleep 0.02; done"), out,
                OutputStream.nullOutputStream());
        // at least 60 silent hosts, and more until the stream ends (bounded)
        for (int i = 0; i < 2000 && (i < 60 || !streaming.isDone()); i++) {
            try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(fresh.get(i % fresh.size())))) {
                if (i % 3 == 2) {
                    // half a frame header, then gone
                    silent.write(ByteBuffer.wrap(new byte[] {'P', 'Y', 0, 0, 0}));
                }
            }
        }
        ExecResult r = streaming.await();
        assertThat(r.exitCode()).isZero();
        assertThat(out.toString()).isEqualTo(IntStream.range(0, 60).mapToObj(i -> "line" + i + "\n")
                .collect(Collectors.joining()));
        // every port still takes a new host
        for (Path port : fresh) {
            try (AgentConnection c = connect(port)) {
                assertServes(c, "after");
            }
        }
        assertThat(agentDescriptors()).isEqualTo(idle);
    }
}
