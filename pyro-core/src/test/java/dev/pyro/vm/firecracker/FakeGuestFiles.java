package dev.pyro.vm.firecracker;

import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BootImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The files and the vsock client the tests against {@link FakeFirecracker} share. */
final class FakeGuestFiles {
    private FakeGuestFiles() {
    }

    /** A fake environment in {@code tmp/env}: a kernel, one initramfs part ("modul"), a sparse root image. */
    static BootImage image(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("env"));
        Path kernel = dir.resolve("vmlinux");
        Path modules = dir.resolve("modules.cpio");
        if (!Files.exists(kernel)) {
            Files.writeString(kernel, "\u007fELF fake kernel");
            Files.writeString(modules, "modul");
            sparseFile(dir.resolve("rootfs.ext4"), 1 << 20);
        }
        return new BootImage(kernel, List.of(modules), dir.resolve("rootfs.ext4"), "6.1.0-fake");
    }

    /** The agent's initramfs part ("AGENT!") beside {@link #image}. */
    static Path agentPart(Path tmp) throws IOException {
        Path p = Files.createDirectories(tmp.resolve("env")).resolve("agent.cpio");
        if (!Files.exists(p)) {
            Files.writeString(p, "AGENT!");
        }
        return p;
    }

    /** A sparse file of {@code size} bytes. */
    static Path sparseFile(Path p, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    /**
     * Connects like the host side of pyro's agent transport: CONNECT, the OK line, then
     * {@code payload} and as many bytes back; empty when the connection is dropped.
     */
    static String vsockRoundTrip(AgentEndpoint endpoint, String payload) throws IOException {
        AgentEndpoint.VsockUds v = (AgentEndpoint.VsockUds) endpoint;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(v.path()));
            OutputStream out = Channels.newOutputStream(ch);
            InputStream in = Channels.newInputStream(ch);
            out.write(("CONNECT " + v.port() + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String ok = FakeFirecracker.line(in);
            if (ok == null) {
                return "";
            }
            out.write(payload.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return ok + "\n" + new String(in.readNBytes(payload.length()), StandardCharsets.UTF_8);
        }
    }
}
