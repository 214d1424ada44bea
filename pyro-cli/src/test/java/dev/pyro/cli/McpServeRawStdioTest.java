package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code pyro mcp serve} driven with hand-written JSON-RPC lines: malformed input must not
 * end the session, stdout must carry nothing but protocol messages, and closing stdin ends
 * the server.
 */
class McpServeRawStdioTest {
    private static final JsonMapper JSON = JsonMapper.shared();

    @Test
    void malformedLinesAreAnsweredAndTheSessionGoesOn() throws IOException, InterruptedException {
        Process p = PyroProcess.builder(PyroProcess.freshHome(), "mcp", "serve", "--profile", "vm-run")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        OutputStream in = p.getOutputStream(); // closed mid-test: that is what ends the session
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            JsonNode init = read(out).path("result");
            assertThat(init.path("serverInfo").path("name").asString()).isEqualTo("pyro");
            // The revision the client asked for, not the SDK stdio provider's lone 2024-11-05.
            assertThat(init.path("protocolVersion").asString()).isEqualTo("2025-06-18");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

            send(in, "this is not json");
            JsonNode parseError = read(out);
            assertThat(parseError.path("error").path("code").asInt()).isEqualTo(-32700);
            assertThat(parseError.get("id").isNull()).isTrue();

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":{\"not\":\"a string\"}}");
            JsonNode invalid = read(out);
            assertThat(invalid.path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(invalid.path("id").asInt()).isEqualTo(7);

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":\"garbage\"}");
            JsonNode badParams = read(out);
            assertThat(badParams.path("id").asInt()).isEqualTo(8);
            assertThat(badParams.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(badParams.path("error").path("message").asString())
                    .isEqualTo("Invalid params: params must be an object");

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\"}");
            JsonNode noParams = read(out);
            assertThat(noParams.path("id").asInt()).isEqualTo(9);
            assertThat(noParams.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(noParams.path("error").path("message").asString()).doesNotContain("Exception", "null");

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":{\"name\":\"vm_run\","
                    + "\"arguments\":\"x\"}}");
            JsonNode stringArguments = read(out);
            assertThat(stringArguments.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(stringArguments.path("error").path("message").asString()).doesNotContain("jackson", "Exception");

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            JsonNode list = read(out);
            assertThat(list.path("id").asInt()).as("the session still answers").isEqualTo(2);
            List<String> names = new ArrayList<>();
            list.path("result").path("tools").forEach(t -> names.add(t.path("name").asString()));
            assertThat(names).as("the vm-run profile is vm_run alone, as in the original").containsExactly("vm_run");

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"vm_run\","
                    + "\"arguments\":{\"environment\":\"debian:12\",\"command\":[\"true\"],\"vcpu_count\":\"two\"}}}");
            JsonNode call = read(out);
            assertThat(call.path("id").asInt()).isEqualTo(3);
            assertThat(call.path("result").path("isError").asBoolean()).isTrue();
            assertThat(call.path("result").path("structuredContent").path("error").path("code").asString())
                    .isEqualTo("invalid_argument");

            // A real run with a progress token, and stdin closed right after it (as a shell
            // pipe does): notifications come first, in increasing order, then the result,
            // then the server ends; nothing else appears on stdout.
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"vm_run\","
                    + "\"arguments\":{\"environment\":\"debian:12\",\"command\":[\"sh\",\"-c\",\"echo out; echo err >&2\"]},"
                    + "\"_meta\":{\"progressToken\":42}}}");
            in.close();
            List<Double> progress = new ArrayList<>();
            JsonNode message = read(out);
            while (message.has("method") && message.get("method").asString().equals("notifications/progress")) {
                assertThat(message.path("params").path("progressToken").asInt()).isEqualTo(42);
                progress.add(message.path("params").path("progress").asDouble());
                message = read(out);
            }
            assertThat(progress).as("progress on the wire").isNotEmpty().isSorted().doesNotHaveDuplicates();
            assertThat(message.path("id").asInt()).isEqualTo(4);
            JsonNode result = message.path("result");
            assertThat(result.path("isError").asBoolean()).isFalse();
            assertThat(result.path("structuredContent").path("stdout").asString()).isEqualTo("out\n");
            assertThat(result.path("structuredContent").path("stderr").asString()).isEqualTo("err\n");
            assertThat(result.path("structuredContent").path("exit_code").asInt()).isZero();

            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the server ends when stdin closes").isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(out.readLine()).as("nothing but answers on stdout").isNull();
        } finally {
            in.close();
            p.destroyForcibly();
        }
    }

    private static void send(OutputStream in, String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The next stdout line, which must be one JSON-RPC message. */
    private static JsonNode read(BufferedReader out) throws IOException {
        String line = out.readLine();
        assertThat(line).as("a reply from the server").isNotNull();
        JsonNode node = JSON.readTree(line);
        assertThat(node.path("jsonrpc").asString()).as(line).isEqualTo("2.0");
        return node;
    }
}
