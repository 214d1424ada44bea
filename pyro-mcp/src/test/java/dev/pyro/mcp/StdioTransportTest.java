package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StdioTransportTest {
    private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.shared());

    private final PendingRequests pending = new PendingRequests();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @Test
    void aResponseCountsAsAnsweredOnlyOnceItIsFlushedOut() throws IOException {
        // The CLI's stdout is buffered: counting before the flush let the session end (and the
        // process exit) with the last answer still in the buffer.
        pending.received();
        transport(new BufferedOutputStream(stdout, 1 << 16)).write(response(2, Map.of("tools", List.of())));
        assertThat(pending.open()).isZero();
        assertThat(lines()).containsExactly("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[]}}");
    }

    @Test
    void onlyResponsesCountAsAnswers() throws IOException {
        pending.received();
        pending.received();
        StdioTransport t = transport(stdout);
        t.write(new McpSchema.JSONRPCNotification("2.0", "notifications/progress", Map.of("progress", 1)));
        t.write(new McpSchema.JSONRPCRequest("2.0", "ping", 7, null));
        assertThat(pending.open()).isEqualTo(2);
        t.write(new McpSchema.JSONRPCResponse("2.0", 1, null,
                new McpSchema.JSONRPCResponse.JSONRPCError(-32603, "boom", null)));
        assertThat(pending.open()).isEqualTo(1);
        assertThat(lines()).hasSize(3);
    }

    @Test
    void newlinesAndControlCharactersInContentStayInsideOneLine() throws IOException {
        String hostile = "line one\nline two\r\nthree\r\u0000\u001b[31m\u2028end";
        transport(stdout).write(response(5, Map.of("text", hostile)));
        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        McpSchema.JSONRPCResponse back = (McpSchema.JSONRPCResponse) McpSchema.deserializeJsonRpcMessage(MAPPER,
                lines.get(0));
        assertThat(back.result()).isEqualTo(Map.of("text", hostile));
    }

    @Test
    void aHugeResultIsOneCompleteLine() throws IOException {
        String big = "x".repeat(8 * 1024 * 1024);
        pending.received();
        transport(stdout).write(response(9, Map.of("stdout", big)));
        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).hasSize(big.length() + "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"stdout\":\"\"}}"
                .length());
        assertThat(pending.open()).isZero();
    }

    @Test
    void messagesFromManyThreadsNeverInterleave() throws Exception {
        StdioTransport t = transport(stdout);
        int threads = 8;
        int each = 200;
        for (int i = 0; i < threads * each; i++) {
            pending.received();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                int thread = k;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        t.write(response(thread * each + i, Map.of("pad", "y".repeat(3000 + i))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = lines();
        assertThat(lines).hasSize(threads * each);
        List<Object> ids = new ArrayList<>();
        for (String line : lines) {
            ids.add(((McpSchema.JSONRPCResponse) McpSchema.deserializeJsonRpcMessage(MAPPER, line)).id());
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(threads * each);
        assertThat(pending.open()).isZero();
    }

    @Test
    void nothingIsWrittenOnceTheSessionIsClosed() throws IOException {
        StdioTransport t = transport(stdout);
        t.setSessionFactory(transport -> {
            transport.close();
            return null;
        });
        t.write(response(1, Map.of()));
        assertThat(stdout.size()).isZero();
    }

    @Test
    void timingsReportEachAnsweredRequestOnceWithSafeText() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AnswerTimings timings = new AnswerTimings(new PrintStream(err, true, StandardCharsets.UTF_8));
        timings.received(3, "tools/call", System.nanoTime());
        timings.received("x\u001b[2J\nfake", "evil\nmethod", System.nanoTime());
        timings.answered(3);
        timings.answered(3); // a second answer to the same id is not timed again
        timings.answered(99); // never received
        timings.answered("x\u001b[2J\nfake");
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("pyro: mcp timing: id=3 method=tools/call in_to_flushed_ms=\\d+\\.\\d{3} "
                + "stages_ms=decoded:\\d+\\.\\d{3},flushed:\\d+\\.\\d{3}");
        assertThat(lines.get(1)).matches("pyro: mcp timing: id=\"x\\?\\?2J\\?fake\" method=\\? "
                + "in_to_flushed_ms=\\d+\\.\\d{3} stages_ms=decoded:\\d+\\.\\d{3},flushed:\\d+\\.\\d{3}");
        AnswerTimings.leave();
    }

    @Test
    void timingsListTheStagesARequestPassedInOrderAndOnlyOnTheServingThread() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AnswerTimings timings = new AnswerTimings(new PrintStream(err, true, StandardCharsets.UTF_8));
        timings.received(5, "tools/call", System.nanoTime());
        AnswerTimings.mark(AnswerTimings.Stage.DISPATCHED);
        AnswerTimings.mark(AnswerTimings.Stage.HANDLER_IN);
        AnswerTimings.mark(AnswerTimings.Stage.EXECUTED);
        AnswerTimings.leave();
        AnswerTimings.mark(AnswerTimings.Stage.RESULT_BUILT); // no longer this thread's request: not marked
        timings.mark(5, AnswerTimings.Stage.SERIALISED);
        timings.mark(6, AnswerTimings.Stage.SERIALISED); // never received: ignored
        timings.answered(5);
        String line = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(line).matches("pyro: mcp timing: id=5 method=tools/call in_to_flushed_ms=\\d+\\.\\d{3} stages_ms="
                + "decoded:\\d+\\.\\d{3},dispatched:\\d+\\.\\d{3},handler_in:\\d+\\.\\d{3},"
                + "executed:\\d+\\.\\d{3},serialised:\\d+\\.\\d{3},flushed:\\d+\\.\\d{3}");
        double total = Double.parseDouble(line.replaceAll(".*in_to_flushed_ms=(\\S+) .*", "$1"));
        double sum = java.util.Arrays.stream(line.replaceAll(".*stages_ms=", "").split(","))
                .mapToDouble(part -> Double.parseDouble(part.substring(part.indexOf(':') + 1))).sum();
        // The stages add up to the whole (each printed rounded to a microsecond).
        assertThat(sum).isCloseTo(total, org.assertj.core.data.Offset.offset(0.007));
    }

    private StdioTransport transport(java.io.OutputStream out) {
        JsonRpcLineFilter noInput = new JsonRpcLineFilter(InputStream.nullInputStream(),
                OutputStream.nullOutputStream(), MAPPER, new PendingRequests());
        return new StdioTransport(MAPPER, noInput, out, pending);
    }

    private static McpSchema.JSONRPCResponse response(Object id, Object result) {
        return new McpSchema.JSONRPCResponse("2.0", id, result, null);
    }

    private List<String> lines() {
        String all = stdout.toString(StandardCharsets.UTF_8);
        assertThat(all).endsWith("\n");
        return List.of(all.split("\n"));
    }
}
