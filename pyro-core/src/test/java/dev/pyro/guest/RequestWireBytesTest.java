package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import dev.pyro.guest.protocol.FrameType;
import dev.pyro.guest.transport.UnixSocketTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The exact bytes of every JSON payload the host sends: HELLO, its connection ERROR and the
 * OPEN of each operation, as a scripted agent receives them. The expected texts were recorded
 * from the client while it still wrote them with a {@code JsonMapper}: a change of member
 * order, escaping or number form shows here, not as an agent that suddenly refuses requests.
 */
@Timeout(60)
class RequestWireBytesTest {
    /** Escaping the agent must read back exactly: quotes, backslash, controls, non-ASCII, a slash. */
    private static final String ODD = "a\"b\\c\u0001\n\t é€😀 </x>";

    @TempDir
    Path dir;
    FakeAgent fake;
    AgentConnection client;

    @BeforeEach
    void connect() throws Exception {
        fake = new FakeAgent(dir);
        CompletableFuture<AgentConnection> f = CompletableFuture.supplyAsync(() -> AgentConnection.connect(
                UnixSocketTransport.connect(fake.socket, Duration.ofSeconds(5)),
                AgentConnectionOptions.defaults().withRequestTimeout(Duration.ofSeconds(20))));
        fake.handshake("exec", "files", "manifest", "shells", "services", "secrets", "identity", "freeze",
                "byte_names", "export_paths");
        client = f.get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        fake.close();
    }

    /** Starts {@code call}, returns the text of the OPEN it sent and fails its stream with an agent ERROR. */
    private String openOf(Runnable call) throws Exception {
        CompletableFuture<Void> done = CompletableFuture.runAsync(call);
        Frame open = fake.next(FrameType.OPEN);
        fake.sendJson(FrameType.ERROR, open.streamId(), "{\"code\":\"not_found\",\"message\":\"scripted\"}");
        try {
            done.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
            // the scripted ERROR
        }
        String text = new String(open.payload(), StandardCharsets.UTF_8);
        assertThat(text.getBytes(StandardCharsets.UTF_8)).as("well-formed UTF-8").isEqualTo(open.payload());
        return text;
    }

    @Test
    void helloIsWrittenAsBefore() {
        // Only the nonce and the clock differ between runs.
        Frame hello = fake.lastHello;
        JsonNode h = Json.parseObject(hello.payload(), "hello");
        assertThat(hello.payloadText()).isEqualTo("{\"protocol\":1,\"client\":\"" + AgentConnection.CLIENT_NAME
                + "\",\"nonce\":\"" + h.get("nonce").stringValue() + "\",\"time_ms\":" + h.get("time_ms").longValue()
                + "}");
    }

    @Test
    void theConnectionErrorForAnUnknownFrameTypeIsWrittenAsBefore() throws Exception {
        byte[] odd = new byte[FrameCodec.HEADER_SIZE];
        FrameCodec.writeHeader(odd, 0x7e, 0, 5, 0);
        fake.sendRaw(odd);
        Frame error = fake.next(FrameType.ERROR);
        assertThat(error.streamId()).isZero();
        assertThat(error.payloadText())
                .isEqualTo("{\"code\":\"bad_frame\",\"message\":\"unknown frame type 0x7e on stream 5\"}");
    }

    @Test
    void everyOperationsOpenIsWrittenAsBefore() throws Exception {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("ping", client::ping);
        calls.put("shutdown", () -> client.shutdown(ShutdownAction.REBOOT));
        calls.put("stat", () -> client.files().stat(ODD));
        calls.put("stat bytes", () -> client.files().stat(BytePath.of(new byte[] {'/', 'w', '/', (byte) 0xff, '\n'})));
        calls.put("list", () -> client.files().list("/workspace/" + ODD, true));
        calls.put("manifest", () -> client.files().manifest("/workspace", false));
        calls.put("file_read", () -> client.contents().read("/w/f", 4096));
        calls.put("file_write", () -> client.contents().write(List.of(FileChange.write("/w/a", new byte[3]),
                new FileChange("/w/" + ODD, new byte[0], 0755, "0".repeat(64)), FileChange.remove("/w/gone", null))));
        calls.put("archive_import", () -> client.archives().importTar("/workspace", 2, true,
                new ByteArrayInputStream(new byte[0])));
        calls.put("archive_export", () -> client.archives().exportTar("/workspace", new ByteArrayOutputStream()));
        calls.put("archive_export paths", () -> client.archives().exportTar("/workspace",
                List.of(BytePath.of("a"), BytePath.of(ODD)), new ByteArrayOutputStream()));
        calls.put("exec", () -> client.exec().run(ExecRequest.of("sh", "-c", ODD).withEnv("K", ODD).withCwd("/w")
                .withSecretEnv(Map.of("TOKEN", "GH_TOKEN")).withTimeout(Duration.ofSeconds(3))));
        calls.put("shell_open", () -> client.shells().open(ShellOpenRequest.defaults().withCwd("/w").withSize(100, 30)
                .withEnv("TERM", "xterm").withArgv("bash", "-l").withSecretEnv(Map.of("S", "V"))));
        calls.put("shell_read", () -> client.shells().read("sh1", ShellReadRequest.from(7)
                .waitingForIdle(Duration.ofMillis(250)).withMaxWait(Duration.ofSeconds(2)).withMaxBytes(1000)));
        calls.put("shell_write", () -> client.shells().write("sh1", "echo hi\n"));
        calls.put("shell_signal", () -> client.shells().signal("sh1", ShellSignal.INT));
        calls.put("shell_resize", () -> client.shells().resize("sh1", 120, 40));
        calls.put("shell_list", () -> client.shells().list());
        calls.put("shell_close", () -> client.shells().close("sh1"));
        calls.put("shell_attach", () -> client.shells().attach("sh1", 42L, e -> { }));
        calls.put("service_start", () -> client.services().start(ServiceSpec.of("web", "python3", "-m", "http.server")
                .withCwd("/w").withEnv("PORT", "8080")
                .withReadiness(new ServiceReadiness.Http("http://127.0.0.1:8080/"), Duration.ofSeconds(9),
                        Duration.ofMillis(200))));
        calls.put("service_status", () -> client.services().status("web"));
        calls.put("service_list", () -> client.services().list());
        calls.put("service_logs", () -> client.services().logs("web", ServiceLogRequest.tail(ServiceLogStream.BOTH, 5)));
        calls.put("service_logs from", () -> client.services().logs("web",
                ServiceLogRequest.from(ServiceLogStream.STDERR, 99)));
        calls.put("service_stop", () -> client.services().stop("web", Duration.ofSeconds(4)));
        calls.put("secrets_put", () -> client.secrets().put(Map.of("TOKEN", ODD)));
        calls.put("identity_set", () -> new GuestIdentity(new byte[64], Instant.ofEpochSecond(1_700_000_000, 123),
                "pyro-ws", "0123456789abcdef0123456789abcdef", Optional.of(Duration.ofMinutes(5))).applyTo(client));
        calls.put("workspace_freeze", () -> client.freezeWorkspace(Duration.ofSeconds(10)));

        List<String> sent = new ArrayList<>();
        for (Map.Entry<String, Runnable> c : calls.entrySet()) {
            sent.add(c.getKey() + " " + openOf(c.getValue()));
        }
        assertThat(String.join("\n", sent)).isEqualTo(String.join("\n", EXPECTED));
    }

    /** Recorded from the mapper-written client; each line is the operation, a space, the OPEN's text. */
    private static final List<String> EXPECTED = List.of(
        "ping {\"op\":\"ping\"}",
        "shutdown {\"op\":\"shutdown\",\"action\":\"reboot\"}",
        "stat {\"op\":\"stat\",\"path\":\"a\\\"b\\\\c\\u0001\\n\\t \u00e9\u20ac\ud83d\ude00 </x>\"}",
        "stat bytes {\"op\":\"stat\",\"path\":\"/w/\ufffd\\n\",\"path_b64\":\"L3cv/wo=\"}",
        "list {\"op\":\"list\",\"path\":\"/workspace/a\\\"b\\\\c\\u0001\\n\\t \u00e9\u20ac\ud83d\ude00 </x>\",\"recursive\":true}",
        "manifest {\"op\":\"manifest\",\"path\":\"/workspace\",\"hash\":false}",
        "file_read {\"op\":\"file_read\",\"path\":\"/w/f\",\"max_bytes\":4096}",
        "file_write {\"op\":\"file_write\",\"files\":[{\"path\":\"/w/a\",\"size\":3},{\"path\":\"/w/a\\\"b\\\\c\\u0001\\n\\t \u00e9\u20ac\ud83d\ude00 </x>\",\"size\":0,\"mode\":493,\"expect\":\"0000000000000000000000000000000000000000000000000000000000000000\"},{\"path\":\"/w/gone\",\"remove\":true}]}",
        "archive_import {\"op\":\"archive_import\",\"dest\":\"/workspace\",\"strip_components\":2,\"atomic\":true}",
        "archive_export {\"op\":\"archive_export\",\"path\":\"/workspace\"}",
        "archive_export paths {\"op\":\"archive_export\",\"path\":\"/workspace\",\"paths\":[\"a\",\"a\\\"b\\\\c\\u0001\\n\\t \u00e9\u20ac\ud83d\ude00 </x>\"]}",
        "exec {\"op\":\"exec\",\"argv\":[\"sh\",\"-c\",\"a\\\"b\\\\c\\u0001\\n\\t \u00e9\u20ac\ud83d\ude00 </x>\"],\"env\":{\"K\":\"a\\\"b\\\\c\\u0001\\n\\t \u00e9\u20ac\ud83d\ude00 </x>\"},\"secret_env\":{\"TOKEN\":\"GH_TOKEN\"},\"cwd\":\"/w\",\"timeout_ms\":3000,\"stdin\":false,\"max_output_bytes\":1048576}",
        "shell_open {\"op\":\"shell_open\",\"cwd\":\"/w\",\"cols\":100,\"rows\":30,\"env\":{\"TERM\":\"xterm\"},\"secret_env\":{\"S\":\"V\"},\"argv\":[\"bash\",\"-l\"]}",
        "shell_read {\"op\":\"shell_read\",\"shell_id\":\"sh1\",\"cursor\":7,\"max_bytes\":1000,\"wait_for_idle_ms\":250,\"max_wait_ms\":2000}",
        "shell_write {\"op\":\"shell_write\",\"shell_id\":\"sh1\"}",
        "shell_signal {\"op\":\"shell_signal\",\"shell_id\":\"sh1\",\"signal\":\"INT\"}",
        "shell_resize {\"op\":\"shell_resize\",\"shell_id\":\"sh1\",\"cols\":120,\"rows\":40}",
        "shell_list {\"op\":\"shell_list\"}",
        "shell_close {\"op\":\"shell_close\",\"shell_id\":\"sh1\"}",
        "shell_attach {\"op\":\"shell_attach\",\"shell_id\":\"sh1\",\"cursor\":42}",
        "service_start {\"op\":\"service_start\",\"name\":\"web\",\"argv\":[\"python3\",\"-m\",\"http.server\"],\"cwd\":\"/w\",\"env\":{\"PORT\":\"8080\"},\"readiness\":{\"kind\":\"http\",\"url\":\"http://127.0.0.1:8080/\"},\"ready_timeout_ms\":9000,\"ready_interval_ms\":200}",
        "service_status {\"op\":\"service_status\",\"name\":\"web\"}",
        "service_list {\"op\":\"service_list\"}",
        "service_logs {\"op\":\"service_logs\",\"name\":\"web\",\"stream\":\"both\",\"tail_lines\":5,\"max_bytes\":262144}",
        "service_logs from {\"op\":\"service_logs\",\"name\":\"web\",\"stream\":\"stderr\",\"cursor\":99,\"max_bytes\":262144}",
        "service_stop {\"op\":\"service_stop\",\"name\":\"web\",\"timeout_ms\":4000}",
        "secrets_put {\"op\":\"secrets_put\",\"secrets\":{\"TOKEN\":\"YSJiXGMBCgkgw6nigqzwn5iAIDwveD4=\"}}",
        "identity_set {\"op\":\"identity_set\",\"entropy\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\",\"wall_ns\":1700000000000000123,\"hostname\":\"pyro-ws\",\"machine_id\":\"0123456789abcdef0123456789abcdef\",\"ttl_ms\":300000}",
        "workspace_freeze {\"op\":\"workspace_freeze\",\"timeout_ms\":10000}");
}
