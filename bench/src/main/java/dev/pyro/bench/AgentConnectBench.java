package dev.pyro.bench;

import dev.pyro.PyroConfig;
import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.AgentConnectionOptions;
import dev.pyro.guest.transport.UnixSocketTransport;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.HostClock;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.qemu.Accel;
import dev.pyro.vm.qemu.QemuInstallation;
import dev.pyro.vm.qemu.QemuVmm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * What a fresh host connection costs before its first request, against its floor, in one run
 * on one running guest (QEMU, virtio-serial ports): connect→HELLO answered on a new connection
 * (what every CLI call, {@code pyro mcp serve} start and new SDK process pays), against a
 * {@code ping} round trip on an established connection. Connections rotate over the ports the
 * established one does not hold, so each port has long seen its previous host leave. Rounds
 * interleave one connect and one ping so host noise hits both series alike.
 *
 * <p>Each connect starts after a pause drawn uniformly from [0, {@code --spread-ms}) (default
 * 100, fixed seed), as CLI calls arrive at any moment: back to back ({@code --spread-ms=0})
 * every connect comes right after the previous one was answered, which locks it to the phase
 * of any periodic work in the agent (a timed probe catches each new host one full period late,
 * the worst case rather than the typical one).
 *
 * <p>Usage: {@code bench/run AgentConnect [N] [--spread-ms=MS] [--resend-ms=MS] [--kvm]}
 * (default 60 connections, QEMU TCG). {@code --resend-ms} changes the host's HELLO resend
 * interval (the SDK's is 100 ms): a connect time that moves with it waits for a resend, not
 * for the agent.
 */
public final class AgentConnectBench {
    private static final int MEM_MIB = 1024;

    private AgentConnectBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 60;
        Accel accel = List.of(args).contains("--kvm") ? Accel.KVM : Accel.TCG;
        AgentConnectionOptions options = AgentConnectionOptions.defaults();
        int spreadMs = 100;
        for (String a : args) {
            if (a.startsWith("--resend-ms=")) {
                options = options.withHelloResend(Duration.ofMillis(Long.parseLong(a.substring(12))));
            } else if (a.startsWith("--spread-ms=")) {
                spreadMs = Integer.parseInt(a.substring(12));
            }
        }
        Random pauses = new Random(17);
        BootImage image = BenchGuest.debian12(PyroConfig.fromEnvironment());
        Path agent = AgentBinary.extract();
        Path work = Files.createTempDirectory("pyro-bench-connect");
        QemuVmm vmm = new QemuVmm(QemuInstallation.find(), accel, HostClock.tscKhz(agent),
                new InitrdAssembler(work.resolve("initrd")), agent);
        VmSpec spec = new VmSpec("connect", work.resolve("vm"), image, 1, MEM_MIB, Optional.empty(), false, false,
                Duration.ofSeconds(90));
        VmInstance vm = vmm.start(spec);
        Samples connect = new Samples(n);
        Samples ping = new Samples(n);
        Samples socket = new Samples(n);
        try (AgentConnection established = GuestConnector.connect(vm, Duration.ofSeconds(90))) {
            List<Path> ports = ((AgentEndpoint.UnixSocketPool) vm.agentEndpoint()).sockets();
            // GuestConnector leased the first port; fresh connections rotate over the others
            List<Path> fresh = ports.subList(1, ports.size());
            int warmup = fresh.size();
            for (int i = -warmup; i < n; i++) {
                Path port = fresh.get(Math.floorMod(i, fresh.size()));
                if (spreadMs > 0) {
                    Thread.sleep(pauses.nextInt(spreadMs));
                }
                long t0 = System.nanoTime();
                UnixSocketTransport transport = UnixSocketTransport.connect(port, Duration.ofSeconds(10));
                long ta = System.nanoTime();
                try (AgentConnection c = AgentConnection.connect(transport, options)) {
                    long t1 = System.nanoTime();
                    if (c.hello().protocol() != AgentConnection.PROTOCOL_VERSION) {
                        throw new IllegalStateException("unexpected HELLO " + c.hello());
                    }
                    long t2 = System.nanoTime();
                    established.ping();
                    long t3 = System.nanoTime();
                    if (i >= 0) {
                        connect.add((t1 - t0) / 1e6);
                        socket.add((ta - t0) / 1e6);
                        ping.add((t3 - t2) / 1e6);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "accel=%s n=%d ports=%d spread_ms=%d hello_resend_ms=%d agent=%s%n",
                    accel.name().toLowerCase(Locale.ROOT), n, fresh.size(), spreadMs,
                    options.helloResend().toMillis(), agent);
            print("connect_hello_ms", connect);
            print("  of_which_socket_connect_ms", socket);
            print("ping_ms", ping);
            System.out.printf(Locale.ROOT, "connect_vs_ping=%.2f (median / median)%n",
                    connect.median() / ping.median());
        } finally {
            vm.stop(Duration.ofSeconds(5));
            vm.cleanup();
        }
    }

    private static void print(String name, Samples s) {
        System.out.printf(Locale.ROOT, "%s min=%.2f p10=%.2f median=%.2f p90=%.2f max=%.2f%n", name,
                s.percentile(0), s.percentile(10), s.median(), s.percentile(90), s.percentile(100));
    }
}
