package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class JsonRpcLineFilterTest {
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}";
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}";
    private static final String NOTE = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String RESPONSE = "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}";

    /** Unanswered requests do not hold up the end of input in these tests. */
    private static final Duration NO_WAIT = Duration.ZERO;

    private final ByteArrayOutputStream replies = new ByteArrayOutputStream();

    @Test
    void validMessagesPassUnchanged() throws IOException {
        assertThat(filter(INIT, NOTE, PING, RESPONSE)).isEqualTo(String.join("\n", INIT, NOTE, PING, RESPONSE) + "\n");
        assertThat(replies()).isEmpty();
    }

    @Test
    void textThatIsNotJsonIsDroppedWithAParseError() throws IOException {
        assertThat(filter("hello there", INIT, "{\"jsonrpc\":", PING)).isEqualTo(INIT + "\n" + PING + "\n");
        assertThat(replies()).containsExactly(
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error: the line is not JSON\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error: the line is not JSON\"}}");
    }

    @Test
    void jsonThatIsNoMessageIsAnInvalidRequest() throws IOException {
        assertThat(filter("[1,2]", "42", "{\"id\":5}", "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":{\"x\":1}}", PING))
                .isEqualTo(PING + "\n");
        assertThat(replies()).hasSize(4).allMatch(r -> r.contains("\"code\":-32600"));
        assertThat(replies().get(2)).contains("\"id\":5");
        assertThat(replies().get(3)).contains("\"id\":6");
    }

    @Test
    void toolCallsWithoutUsableParamsAreInvalidParamsWithAPlainMessage() throws IOException {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":{\"name\":\"vm_run\","
                + "\"arguments\":{}}}";
        assertThat(filter(
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":\"garbage\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"vm_run\",\"arguments\":\"x\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":{\"arguments\":{}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/list\",\"params\":[1]}",
                call, PING)).isEqualTo(call + "\n" + PING + "\n");
        assertThat(replies()).containsExactly(
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"Invalid params: tools/call "
                        + "needs params with the tool's name and its arguments\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{\"code\":-32602,\"message\":\"Invalid params: params must "
                        + "be an object\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-32602,\"message\":\"Invalid params: "
                        + "params.arguments must be an object of the tool's arguments\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":10,\"error\":{\"code\":-32602,\"message\":\"Invalid params: tools/call "
                        + "needs the tool's name in params.name\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":12,\"error\":{\"code\":-32602,\"message\":\"Invalid params: params must "
                        + "be an object\"}}");
    }

    @Test
    void messagesComeOutDecodedAndTheEndAsNull() throws IOException {
        PendingRequests pending = new PendingRequests();
        JsonRpcLineFilter f = new JsonRpcLineFilter(input(INIT, "garbage", NOTE, PING), replies, mapper(), pending,
                JsonRpcLineFilter.MAX_LINE_BYTES, NO_WAIT);
        McpSchema.JSONRPCRequest init = (McpSchema.JSONRPCRequest) f.nextMessage();
        assertThat(init.method()).isEqualTo("initialize");
        assertThat(init.id()).isEqualTo(1);
        assertThat(((McpSchema.JSONRPCNotification) f.nextMessage()).method()).isEqualTo("notifications/initialized");
        McpSchema.JSONRPCRequest ping = (McpSchema.JSONRPCRequest) f.nextMessage();
        assertThat(ping.id()).isEqualTo("a");
        assertThat(f.nextMessage()).isNull();
        assertThat(pending.open()).as("initialize and ping wait for answers").isEqualTo(2);
        assertThat(replies()).singleElement().asString().contains("-32700");
    }

    @Test
    void requestsComeOutExactlyAsTheSdksDecoderMakesThem() throws IOException {
        List<String> lines = List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"workspace_exec\","
                        + "\"arguments\":{\"workspace_id\":\"w\",\"command\":[\"sh\",\"-c\",\"echo \\\"\\u00e9\\n\\\"\"],"
                        + "\"timeout_seconds\":1.5,\"env\":null,\"big\":12345678901234567890,\"flag\":true},"
                        + "\"_meta\":{\"progressToken\":\"t\"}}}",
                "{\"id\":\"s-1\",\"method\":\"ping\",\"jsonrpc\":\"2.0\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1099511627776,\"method\":\"tools/list\",\"params\":{\"cursor\":\"c\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"x\"},\"extra\":[1]}");
        JsonRpcLineFilter f = new JsonRpcLineFilter(input(lines.toArray(String[]::new)), replies, mapper(),
                new PendingRequests(), JsonRpcLineFilter.MAX_LINE_BYTES, NO_WAIT);
        for (String line : lines) {
            McpSchema.JSONRPCMessage expected = McpSchema.deserializeJsonRpcMessage(mapper(), line);
            McpSchema.JSONRPCMessage actual = f.nextMessage();
            assertThat(actual).isInstanceOf(McpSchema.JSONRPCRequest.class).isEqualTo(expected);
            assertThat(mapper().writeValueAsString(actual)).isEqualTo(mapper().writeValueAsString(expected));
        }
        assertThat(f.nextMessage()).isNull();
        assertThat(replies()).isEmpty();
    }

    @Test
    void requestsTheSdksRecordRefusesAreStillAnsweredAsBefore() throws IOException {
        assertThat(filter("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"\",\"id\":2,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}", PING)).isEqualTo(PING + "\n");
        assertThat(replies()).hasSize(3).allMatch(r -> r.contains("\"code\":-32600"));
        assertThat(replies().get(0)).contains("\"id\":null");
        assertThat(replies().get(1)).contains("\"id\":2");
        assertThat(replies().get(2)).contains("\"id\":null");
    }

    @Test
    void idsThatCannotBeEchoedAreAnsweredWithNull() throws IOException {
        assertThat(filter("{\"jsonrpc\":\"2.0\",\"id\":2.5,\"method\":\"tools/call\",\"params\":[]}",
                "{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"tools/call\",\"params\":[]}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"tools/call\",\"params\":[]}")).isEmpty();
        assertThat(replies()).hasSize(3);
        assertThat(replies().get(0)).contains("\"id\":null").contains("-326");
        assertThat(replies().get(1)).contains("\"id\":null").contains("-326");
        assertThat(replies().get(2)).contains("\"id\":\"s\"").contains("-32602");
    }

    @Test
    void brokenNotificationsAndResponsesAreDroppedSilently() throws IOException {
        String badNote = "{\"jsonrpc\":\"2.0\",\"method\":[1]}";
        String badResponse = "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":\"not an object\"}";
        assertThat(filter(badNote, badResponse, PING)).isEqualTo(PING + "\n");
        assertThat(replies()).isEmpty();
    }

    @Test
    void blankLinesAndCarriageReturnsAreHarmless() throws IOException {
        assertThat(filter("", "   ", PING + "\r")).isEqualTo(PING + "\r\n");
        assertThat(replies()).isEmpty();
    }

    @Test
    void oversizedLinesAreDroppedWithoutLosingTheNext() throws IOException {
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"p\":\"" + "y".repeat(500) + "\"}}";
        JsonRpcLineFilter f = new JsonRpcLineFilter(input(huge, PING), replies, mapper(), new PendingRequests(), 100, NO_WAIT);

        assertThat(new String(f.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(PING + "\n");
        assertThat(replies()).singleElement().asString().contains("-32700").contains("longer than 100 bytes");
    }

    @Test
    void aLastLineWithoutNewlineCountsAndTheEndIsReported() throws IOException {
        JsonRpcLineFilter f = new JsonRpcLineFilter(new ByteArrayInputStream(PING.getBytes(StandardCharsets.UTF_8)),
                replies, mapper(), new PendingRequests(), JsonRpcLineFilter.MAX_LINE_BYTES, NO_WAIT);
        assertThat(f.closed()).isNotDone();
        assertThat(new String(f.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(PING + "\n");
        assertThat(f.closed()).isDone();
    }

    @Test
    void theEndWaitsUntilEveryRequestIsAnswered() throws Exception {
        PendingRequests pending = new PendingRequests();
        JsonRpcLineFilter f = new JsonRpcLineFilter(input(PING), replies, mapper(), pending,
                JsonRpcLineFilter.MAX_LINE_BYTES, Duration.ofSeconds(30));
        byte[] buf = new byte[1024];
        assertThat(f.read(buf, 0, buf.length)).isEqualTo(PING.length() + 1);

        CompletableFuture<Integer> end = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                end.complete(f.read(buf, 0, buf.length));
            } catch (IOException | RuntimeException e) {
                end.completeExceptionally(e);
            }
        });
        // The answer is written only once the reader is parked at the end, waiting for it.
        awaitParked(reader);
        assertThat(end).as("the ping is not answered yet").isNotDone();
        assertThat(f.closed()).isNotDone();

        new StdioTransport(mapper(), new JsonRpcLineFilter(InputStream.nullInputStream(),
                OutputStream.nullOutputStream(), mapper(), new PendingRequests()), OutputStream.nullOutputStream(), pending)
                .write(new McpSchema.JSONRPCResponse("2.0", "a", Map.of(), null));
        assertThat(end.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(f.closed()).isDone();
    }

    /** Waits (bounded, failing a hung test only) until {@code t} parks: the event, not a guess of its time. */
    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime() - deadline).as("thread parked within 30 s").isNegative();
            assertThat(t.isAlive()).as("reader still running").isTrue();
            Thread.onSpinWait();
        }
    }

    private String filter(String... lines) throws IOException {
        // The filter's own replies are written at once: only requests passed on stay open.
        PendingRequests pending = new PendingRequests();
        JsonRpcLineFilter f = new JsonRpcLineFilter(input(lines), replies, mapper(), pending,
                JsonRpcLineFilter.MAX_LINE_BYTES, NO_WAIT);
        String passed = new String(f.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pending.open()).as("requests passed on and not answered").isEqualTo(
                passed.lines().filter(l -> l.contains("\"method\"") && l.contains("\"id\"")).count());
        return passed;
    }

    private List<String> replies() {
        String all = replies.toString(StandardCharsets.UTF_8);
        return all.isEmpty() ? List.of() : List.of(all.split("\n"));
    }

    private static ByteArrayInputStream input(String... lines) {
        return new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static JacksonMcpJsonMapper mapper() {
        return new JacksonMcpJsonMapper(JsonMapper.shared());
    }
}
