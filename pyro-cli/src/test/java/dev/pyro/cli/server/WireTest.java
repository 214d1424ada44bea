package dev.pyro.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec server's frames, requests and endpoint files, and what they refuse. */
class WireTest {
    private static final String TOKEN = "ab".repeat(32);

    @TempDir
    Path dir;

    @Test
    void aRequestComesBackAsItWasSent() throws IOException {
        Request sent = new Request(TOKEN, "key\nwith lines", List.of("workspace", "exec", "ws-1", "--", "sh", "-c",
                "printf '\\033]0;x\\007'", "ünïcödé", ""), Optional.of("pipe:[42]"), "/dev/pts/1",
                Map.of("NO_COLOR", "1", "TERM", "xterm"));
        assertThat(Request.decode(sent.encode())).isEqualTo(sent);
        Request closed = new Request(TOKEN, "k", List.of(), Optional.empty(), "", Map.of());
        assertThat(Request.decode(closed.encode())).isEqualTo(closed);
        Request empty = new Request(TOKEN, "k", List.of(), Optional.of(""), "", Map.of());
        assertThat(Request.decode(empty.encode()).stdinTarget()).contains("");
    }

    @Test
    void aMalformedRequestIsRefusedWithoutAllocatingWhatItClaims() throws IOException {
        byte[] good = new Request(TOKEN, "k", List.of("a", "b"), Optional.empty(), "", Map.of()).encode();
        for (int cut = 0; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> Request.decode(truncated)).as("cut at %d", cut).isInstanceOf(IOException.class);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> Request.decode(trailing)).isInstanceOf(IOException.class).hasMessageContaining("after");

        // A string or a count that claims more than the request holds.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> Request.decode(bytes.toByteArray())).isInstanceOf(IOException.class);
        bytes.reset();
        Wire.writeString(out, TOKEN);
        Wire.writeString(out, "k");
        out.writeInt(Integer.MAX_VALUE); // arguments
        assertThatThrownBy(() -> Request.decode(bytes.toByteArray())).isInstanceOf(IOException.class);
        bytes.reset();
        Wire.writeString(out, TOKEN);
        Wire.writeString(out, "k");
        out.writeInt(-1);
        assertThatThrownBy(() -> Request.decode(bytes.toByteArray())).isInstanceOf(IOException.class);

        // Only the colour variables travel: nothing else of the caller's environment can be slipped in.
        bytes.reset();
        Wire.writeString(out, TOKEN);
        Wire.writeString(out, "k");
        out.writeInt(0);
        out.writeBoolean(false);
        Wire.writeString(out, "");
        Wire.writeString(out, "");
        out.writeInt(1);
        Wire.writeString(out, "PYRO_HOME");
        Wire.writeString(out, "/tmp/elsewhere");
        assertThatThrownBy(() -> Request.decode(bytes.toByteArray())).isInstanceOf(IOException.class)
                .hasMessageContaining("PYRO_HOME");
    }

    @Test
    void aFrameLongerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
        byte[] huge = ByteBuffer.allocate(5).put(Wire.REQUEST).putInt(Integer.MAX_VALUE).array();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(huge));
        assertThat(Wire.type(in)).isEqualTo(Wire.REQUEST);
        assertThatThrownBy(() -> Wire.payload(in)).isInstanceOf(IOException.class).hasMessageContaining("at most");
        byte[] negative = ByteBuffer.allocate(5).put(Wire.STDIN).putInt(-7).array();
        DataInputStream in2 = new DataInputStream(new ByteArrayInputStream(negative));
        Wire.type(in2);
        assertThatThrownBy(() -> Wire.payload(in2)).isInstanceOf(IOException.class);
        assertThat(Wire.type(new DataInputStream(new ByteArrayInputStream(new byte[0])))).isEqualTo(-1);
    }

    @Test
    void anEndpointFileIsTheOwnersAloneAndReadBack() throws IOException {
        Endpoint e = Endpoint.fresh(4242);
        assertThat(e.token()).matches("[0-9a-f]{64}");
        assertThat(Endpoint.fresh(4242).token()).isNotEqualTo(e.token());
        Path file = dir.resolve("cli-x.endpoint");
        e.write(file);
        assertThat(Endpoint.read(file)).isEqualTo(e);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file); // no temp file left
        }
        assertThat(e.admits(e.token())).isTrue();
        assertThat(e.admits(TOKEN)).isFalse();
        assertThat(e.admits("")).isFalse();
        assertThat(e.admits(e.token() + "0")).isFalse();
    }

    @Test
    void aDamagedEndpointFileIsNoEndpoint() throws IOException {
        Path file = dir.resolve("e");
        for (String text : new String[] {"", "garbage", "0 " + TOKEN, "70000 " + TOKEN, "-1 " + TOKEN,
            "4242 short", "4242", " " + TOKEN, "4242 " + TOKEN + "x"}) {
            Files.writeString(file, text);
            assertThatThrownBy(() -> Endpoint.read(file)).as(text).isInstanceOf(IOException.class);
        }
        Files.write(file, ("4242 " + TOKEN + " ".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Endpoint.read(file)).isInstanceOf(IOException.class).hasMessageContaining("too long");
        assertThatThrownBy(() -> Endpoint.read(dir.resolve("missing"))).isInstanceOf(IOException.class);
    }
}
