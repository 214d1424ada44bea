package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.ProgressEvent;
import dev.pyro.PyroConfig;
import dev.pyro.contract.Contract;
import dev.pyro.contract.Face;
import dev.pyro.contract.Operation;
import dev.pyro.contract.HostPaths;
import dev.pyro.contract.McpProfile;
import dev.pyro.present.Handlers;
import dev.pyro.present.OperationHandler;
import dev.pyro.present.Outcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpServerRunnerTest {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\","
            + "\"version\":\"1\"}}}";

    @TempDir
    Path home;

    @Test
    void theServerDoesNotStartWhenHandlersDrift() {
        PyroConfig config = PyroConfig.fromEnvironment(Map.of("PYRO_HOME", home.toString()), home);
        try (Pyro pyro = Pyro.create(config)) {
            Handlers onlyList = Handlers.of(Map.of(Contract.ENV_LIST, (a, i) -> Outcome.of(Map.of())));
            assertThatThrownBy(() -> new McpServerRunner(pyro, McpProfile.VM_RUN, onlyList, "test",
                    HostPaths.asGiven())).hasMessageContaining("operation 'run' (MCP) has no handler");
        }
    }

    /**
     * A tool call runs on the thread that read it: the reading must go on meanwhile, so a
     * ping sent during a call that blocks is answered, and the call's own answer comes once
     * it is released; then closing stdin ends the session.
     */
    @Test
    void aCallThatBlocksDoesNotStopTheServerReading() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> callThread = new AtomicReference<>();
        OperationHandler blocking = (a, i) -> {
            callThread.set(Thread.currentThread().getName());
            i.progress().onProgress(ProgressEvent.phase("env.list", "scan", "cache"));
            entered.countDown();
            awaitRelease(release);
            return Outcome.of(Map.of("environments", List.of())).modelText("none");
        };
        try (Session s = new Session(blocking, StdioTransport.MAX_SERVING)) {
            PipedOutputStream toServer = s.toServer;
            BufferedReader answers = s.answers;
            send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"vm_list_environments\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p1\"}}}");
            assertThat(entered.await(30, TimeUnit.SECONDS)).as("the call started").isTrue();
            assertThat(callThread.get()).as("served on the thread that read it, not an SDK worker")
                    .startsWith("pyro-mcp-");
            assertThat(answers.readLine()).as("progress, sent from the call's thread")
                    .contains("\"method\":\"notifications/progress\"").contains("\"progressToken\":\"p1\"")
                    .contains("[env.list] phase=scan subject=cache");
            send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
            assertThat(answers.readLine()).as("the ping, while the call blocks")
                    .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}");
            release.countDown();
            String call = answers.readLine();
            assertThat(call).contains("\"id\":2").contains("\"isError\":false").contains("\"environments\":[]");
            assertThat(s.end()).as("the session ended with stdin").isTrue();
            assertThat(answers.readLine()).isNull();
        }
    }

    /**
     * A flood of calls that block is served at most {@code maxServing} at a time: the reading
     * waits for a free slot (backpressure) instead of starting a thread per request.
     */
    @Test
    void requestsServedAtOnceAreBounded() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        OperationHandler blocking = (a, i) -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            awaitRelease(release);
            inside.decrementAndGet();
            return Outcome.of(Map.of("environments", List.of())).modelText("none");
        };
        try (Session s = new Session(blocking, 2)) {
            PipedOutputStream toServer = s.toServer;
            BufferedReader answers = s.answers;
            for (int id = 10; id < 13; id++) {
                send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{"
                        + "\"name\":\"vm_list_environments\",\"arguments\":{}}}");
            }
            // The event: two calls inside and the reader parked for a slot, the third read but not started.
            awaitTrue(() -> inside.get() == 2 && aThreadWaitsForASlot());
            assertThat(inside.get()).isEqualTo(2);
            release.countDown();
            List<String> done = List.of(answers.readLine(), answers.readLine(), answers.readLine());
            assertThat(done).allMatch(l -> l.contains("\"isError\":false"));
            assertThat(String.join("", done)).contains("\"id\":10").contains("\"id\":11").contains("\"id\":12");
            assertThat(most.get()).isEqualTo(2);
            assertThat(s.end()).isTrue();
        }
    }

    /**
     * A client that sends its whole session at once (a script, the class-data training) gets
     * initialize, the tool list and a ping answered in that order: only tool calls leave the
     * reading thread; the session ends with stdin once all are answered.
     */
    @Test
    void aPipelinedSessionIsAnsweredInOrder() throws Exception {
        try (Session s = new Session((a, i) -> Outcome.of(Map.of("environments", List.of())).modelText("none"),
                StdioTransport.MAX_SERVING, false)) {
            send(s.toServer, INITIALIZE + "\n{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"vm_list_environments\",\"arguments\":{}}}");
            assertThat(s.answers.readLine()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,").contains("\"serverInfo\"");
            assertThat(s.answers.readLine()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":2,").contains("\"vm_run\"");
            assertThat(s.answers.readLine()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}");
            assertThat(s.answers.readLine()).contains("\"id\":4").contains("\"environments\":[]");
            assertThat(s.end()).isTrue();
            assertThat(s.answers.readLine()).isNull();
        }
    }

    /**
     * What a tool returns reaches the client as one line per answer, whatever it holds: the
     * document (carried as raw JSON) with hostile and large text escaped, a document that is
     * no object wrapped as {@code result}, and an error with its stable code; and a
     * request id of either kind echoed as it came.
     */
    @Test
    void resultsAndErrorsTravelAsOneLineEachWithTheirDocuments() throws Exception {
        String hostile = "a\nb\r\n\"}\n{\"jsonrpc\":\"2.0\",\"id\":99}\u0000\u001b[2J\u2028" + "x".repeat(200_000);
        AtomicInteger calls = new AtomicInteger();
        OperationHandler envList = (a, i) -> switch (calls.incrementAndGet()) {
            case 1 -> Outcome.of(Map.of("stdout", hostile, "exit_code", 0)).modelText(hostile);
            case 2 -> throw new PyroException(ErrorCode.ENVIRONMENT_NOT_FOUND, "no environment nope");
            default -> Outcome.of(List.of("debian:12", "alpine:3")).modelText("two");
        };
        String call = "\"method\":\"tools/call\",\"params\":{\"name\":\"vm_list_environments\",\"arguments\":{}}}";
        try (Session s = new Session(envList, StdioTransport.MAX_SERVING)) {
            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":\"first\"," + call);
            Map<String, Object> first = answer(s.answers.readLine());
            assertThat(first.get("id")).isEqualTo("first");
            assertThat(result(first).get("structuredContent")).isEqualTo(Map.of("stdout", hostile, "exit_code", 0));
            assertThat(result(first).get("isError")).isEqualTo(false);
            assertThat(result(first).get("content")).isEqualTo(List.of(Map.of("type", "text", "text", hostile)));

            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":7," + call);
            Map<String, Object> second = answer(s.answers.readLine());
            assertThat(second.get("id")).isEqualTo(7);
            assertThat(result(second).get("isError")).isEqualTo(true);
            assertThat(result(second).get("structuredContent")).isEqualTo(Map.of("error", Map.of(
                    "code", "environment_not_found", "message", "no environment nope",
                    "hint", "List the environments to see the names.")));

            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":8," + call);
            Map<String, Object> third = answer(s.answers.readLine());
            assertThat(result(third).get("structuredContent")).isEqualTo(Map.of("result", List.of("debian:12",
                    "alpine:3")));
            assertThat(s.end()).isTrue();
            assertThat(s.answers.readLine()).as("nothing else on stdout").isNull();
        }
    }

    /**
     * A plain call is served by pyro straight, not routed through the SDK: the SDK's answers
     * must stay for everything else. A call before {@code notifications/initialized} is left to
     * the SDK, which runs it once the session is initialized; an unknown tool gets the SDK's invalid-params error, and params
     * whose {@code _meta} is no object are refused as invalid params; then the session goes on.
     */
    @Test
    void callsTheTransportDoesNotServeItselfGetTheSdksAnswers() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        OperationHandler envList = (a, i) -> {
            ran.incrementAndGet();
            return Outcome.of(Map.of("environments", List.of())).modelText("none");
        };
        String call = "\"method\":\"tools/call\",\"params\":{\"name\":\"vm_list_environments\",\"arguments\":{}}}";
        try (Session s = new Session(envList, StdioTransport.MAX_SERVING, false)) {
            send(s.toServer, INITIALIZE);
            assertThat(s.answers.readLine()).contains("\"serverInfo\"");
            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":2," + call);
            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            Map<String, Object> early = answer(s.answers.readLine());
            assertThat(early.get("id")).as("the early call, left to the SDK, waited for initialized").isEqualTo(2);
            assertThat(result(early).get("isError")).isEqualTo(false);
            assertThat(ran.get()).isEqualTo(1);

            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"no_such_tool\\u001b[2J\",\"arguments\":{}}}");
            Map<String, Object> unknown = decode(s.answers.readLine());
            assertThat(unknown.get("id")).isEqualTo(3);
            assertThat(error(unknown).get("code")).isEqualTo(-32602);
            assertThat((String) error(unknown).get("message")).contains("Unknown tool");

            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"vm_list_environments\",\"arguments\":{},\"_meta\":[1]}}");
            Map<String, Object> badMeta = decode(s.answers.readLine());
            assertThat(badMeta.get("id")).isEqualTo(4);
            assertThat(error(badMeta)).isEqualTo(Map.of("code", -32602,
                    "message", "Invalid params: params._meta must be an object"));
            assertThat(ran.get()).isEqualTo(1);

            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":5," + call);
            assertThat(result(answer(s.answers.readLine())).get("content"))
                    .isEqualTo(List.of(Map.of("type", "text", "text", "none")));
            assertThat(ran.get()).isEqualTo(2);
            assertThat(s.end()).isTrue();
            assertThat(s.answers.readLine()).isNull();
        }
    }

    /**
     * Arguments of a call served straight are checked by the contract, as on the CLI: an
     * unknown or mistyped argument is the stable {@code invalid_argument} error document (the
     * handler never runs), a large argument reaches the handler whole, and progress carries
     * the client's token as it came (a number stays a number).
     */
    @Test
    void argumentsOfAPlainCallAreCheckedAndProgressKeepsItsToken() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        OperationHandler exec = (a, i) -> {
            seen.set(a.argv(dev.pyro.contract.Params.COMMAND));
            i.progress().onProgress(ProgressEvent.phase("workspace.exec", "run", "w\u001b[2J"));
            return Outcome.of(Map.of("ok", true)).modelText("ran");
        };
        String big = "z".repeat(3_000_000);
        try (Session s = new Session(Contract.WORKSPACE_EXEC, exec)) {
            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"workspace_exec\",\"arguments\":{\"workspace_id\":\"w\",\"command\":[\"true\"],"
                    + "\"nope\\n\":1}}}");
            Map<String, Object> unknown = answer(s.answers.readLine());
            assertThat(result(unknown).get("isError")).isEqualTo(true);
            assertThat(errorDocument(unknown).get("code")).isEqualTo("invalid_argument");
            assertThat((String) errorDocument(unknown).get("message")).startsWith("unknown argument 'nope\n'");

            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"workspace_exec\",\"arguments\":{\"workspace_id\":\"w\",\"command\":{\"argv\":1}}}}");
            Map<String, Object> mistyped = answer(s.answers.readLine());
            assertThat(errorDocument(mistyped).get("code")).isEqualTo("invalid_argument");
            assertThat(seen.get()).as("the handler never ran").isNull();

            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"workspace_exec\",\"arguments\":{\"workspace_id\":\"w\",\"command\":[\"echo\",\""
                    + big + "\"]},\"_meta\":{\"progressToken\":17}}}");
            Map<String, Object> progress = decode(s.answers.readLine());
            assertThat(progress.get("method")).isEqualTo("notifications/progress");
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) progress.get("params");
            assertThat(params.get("progressToken")).isEqualTo(17);
            assertThat((String) params.get("message")).isEqualTo("[workspace.exec] phase=run subject=w\\x1b[2J");
            Map<String, Object> done = answer(s.answers.readLine());
            assertThat(done.get("id")).isEqualTo(4);
            assertThat(result(done).get("structuredContent")).isEqualTo(Map.of("ok", true));
            assertThat(seen.get()).isEqualTo(List.of("echo", big));
            assertThat(s.end()).isTrue();
        }
    }

    /**
     * pyro does not stop a call on {@code notifications/cancelled} (the protocol lets a server
     * ignore it): the notification is read and dropped while the call runs, the reading goes
     * on, and the call's answer still comes, once.
     */
    @Test
    void aCancellationWhileACallRunsLeavesTheSessionWhole() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OperationHandler blocking = (a, i) -> {
            entered.countDown();
            awaitRelease(release);
            return Outcome.of(Map.of("environments", List.of())).modelText("none");
        };
        try (Session s = new Session(blocking, StdioTransport.MAX_SERVING)) {
            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"vm_list_environments\",\"arguments\":{}}}");
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{"
                    + "\"requestId\":2,\"reason\":\"user\"}}");
            send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
            assertThat(s.answers.readLine()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}");
            release.countDown();
            Map<String, Object> call = answer(s.answers.readLine());
            assertThat(call.get("id")).isEqualTo(2);
            assertThat(result(call).get("isError")).isEqualTo(false);
            assertThat(s.end()).isTrue();
            assertThat(s.answers.readLine()).as("answered once").isNull();
        }
    }

    /** One answer line decoded; fails when it is not exactly one JSON-RPC response object. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> answer(String line) {
        assertThat(line).isNotNull().startsWith("{\"jsonrpc\":\"2.0\",").endsWith("}");
        Map<String, Object> message = tools.jackson.databind.json.JsonMapper.shared().readValue(line, Map.class);
        assertThat(message).containsKeys("id", "result").doesNotContainKey("error");
        return message;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(Map<String, Object> answer) {
        return (Map<String, Object>) answer.get("result");
    }

    /** Any one message line decoded. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> decode(String line) {
        assertThat(line).isNotNull();
        return tools.jackson.databind.json.JsonMapper.shared().readValue(line, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(Map<String, Object> answer) {
        assertThat(answer).containsKey("error").doesNotContainKey("result");
        return (Map<String, Object>) answer.get("error");
    }

    /** The {@code error} object of a tool result's structured content. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> errorDocument(Map<String, Object> answer) {
        return (Map<String, Object>) ((Map<String, Object>) result(answer).get("structuredContent")).get("error");
    }

    /**
     * {@code pyro mcp serve} in this JVM over pipes, initialized, every MCP tool answering at
     * once except {@code vm_list_environments}, which runs {@code envList}.
     */
    private final class Session implements AutoCloseable {
        final PipedOutputStream toServer = new PipedOutputStream();
        final BufferedReader answers;
        private final Pyro pyro;
        private final Thread server;

        Session(OperationHandler envList, int maxServing) throws IOException {
            this(envList, maxServing, true);
        }

        /** Initialized, every MCP tool answering at once except {@code op}, which runs {@code handler}. */
        Session(Operation op, OperationHandler handler) throws IOException {
            this(op, handler, StdioTransport.MAX_SERVING, true);
        }

        Session(OperationHandler envList, int maxServing, boolean initialize) throws IOException {
            this(Contract.ENV_LIST, envList, maxServing, initialize);
        }

        Session(Operation special, OperationHandler handler, int maxServing, boolean initialize) throws IOException {
            Map<Operation, OperationHandler> byOp = new HashMap<>();
            for (Operation op : Contract.OPERATIONS) {
                if (Face.MCP.offers(op)) {
                    byOp.put(op, (a, i) -> Outcome.of(Map.of("op", op.id())).modelText(op.id()));
                }
            }
            byOp.put(special, handler);
            PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
            PipedInputStream fromServer = new PipedInputStream(1 << 16);
            PipedOutputStream serverOut = new PipedOutputStream(fromServer);
            answers = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8));
            pyro = Pyro.create(PyroConfig.fromEnvironment(Map.of("PYRO_HOME", home.toString()), home));
            McpServerRunner runner = new McpServerRunner(pyro, McpProfile.WORKSPACE_FULL, Handlers.of(byOp), "test",
                    HostPaths.asGiven());
            server = Thread.ofPlatform().start(() -> {
                try {
                    runner.serve(serverIn, serverOut, maxServing);
                    serverOut.close();
                } catch (InterruptedException | IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            if (initialize) {
                send(toServer, INITIALIZE);
                assertThat(answers.readLine()).contains("\"id\":1").contains("\"serverInfo\"");
                send(toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            }
        }

        /** Closes stdin; true when the server returned. */
        boolean end() throws IOException, InterruptedException {
            toServer.close();
            server.join(TimeUnit.SECONDS.toMillis(30));
            return !server.isAlive();
        }

        @Override
        public void close() throws IOException {
            toServer.close();
            pyro.close();
        }
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean aThreadWaitsForASlot() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("pyro-mcp-"))
                .anyMatch(e -> java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals(java.util.concurrent.Semaphore.class.getName())
                                && f.getMethodName().startsWith("acquire")));
    }

    /** Waits (bounded, failing a hung test only) for a condition: the event, not a guess of its time. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition met within 30 s").isNegative();
            Thread.sleep(5);
        }
    }

    private static void send(OutputStream to, String line) throws IOException {
        to.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        to.flush();
    }
}
