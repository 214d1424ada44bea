package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile and wrong input to the service operations: names, duplicates, a full table,
 * missing and huge commands, readiness checks that conflict or do not parse, bad cursors
 * and sizes, escapes through cwd. Each is a clear error and changes nothing.
 */
class ServiceHostileTest extends ServiceAgentFixture {
    private PyroException raw(String json, ErrorCode code) {
        return expectCode(() -> c.rawRequest(json.getBytes(StandardCharsets.UTF_8)), code);
    }

    @Test
    void badNamesAreRefused() {
        String tooLong = "x".repeat(65);
        for (String name : List.of("", "a b", "-web", ".hidden", "_x", "a/b", "caf\u00e9", "x\n", "x\u0000y", tooLong,
                "web;rm -rf /", "$(id)")) {
            PyroException e = expectCode(() -> services.start(ServiceSpec.of(name, "true")), ErrorCode.INVALID_ARGUMENT,
                    ErrorCode.AGENT_PROTOCOL_ERROR);
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\u0000");
        }
        assertThat(services.start(ServiceSpec.of("x".repeat(64), "true")).name()).hasSize(64);
        assertThat(services.list()).extracting(ServiceInfo::name).containsExactly("x".repeat(64));
        expectCode(() -> services.status("a b"), ErrorCode.SERVICE_NOT_FOUND);
    }

    @Test
    void aSecondStartOfALiveNameIsRefusedAndLeavesTheFirstAlone() {
        ServiceInfo first = services.start(ServiceSpec.of("web", "sleep", "1000"));
        PyroException e = expectCode(() -> services.start(ServiceSpec.of("web", "sleep", "2000")),
                ErrorCode.SERVICE_ALREADY_RUNNING);
        assertThat(e.getMessage()).contains("service web is already running; stop it first");
        ServiceInfo now = services.status("web");
        assertThat(now.pid()).isEqualTo(first.pid());
        assertThat(now.argv()).containsExactly("sleep", "1000");
    }

    @Test
    void aFullTableRefusesUntilAServiceEndsThenTheOldestEndedMakesWay() {
        for (int i = 0; i < 15; i++) {
            services.start(ServiceSpec.of("s" + i, "sleep", "1000"));
        }
        services.start(ServiceSpec.of("brief", "true"));
        ServiceDriver.awaitSettled(services, "brief");
        services.start(ServiceSpec.of("s15", "sleep", "1000")); // the ended one made way
        assertThat(services.list()).hasSize(16).extracting(ServiceInfo::name).doesNotContain("brief");
        PyroException e = expectCode(() -> services.start(ServiceSpec.of("s16", "sleep", "1000")),
                ErrorCode.TOO_MANY_SERVICES);
        assertThat(e.getMessage()).contains("16 services are running");
        services.stop("s3", Duration.ZERO);
        assertThat(services.start(ServiceSpec.of("s16", "sleep", "1000")).state()).isEqualTo(ServiceState.RUNNING);
        assertThat(services.list()).extracting(ServiceInfo::name).doesNotContain("s3").contains("s16");
    }

    @Test
    void commandsThatAreMissingEmptyHugeOrNotThere() {
        raw("{\"op\":\"service_start\",\"name\":\"w\"}", ErrorCode.AGENT_PROTOCOL_ERROR);
        raw("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[]}", ErrorCode.AGENT_PROTOCOL_ERROR);
        raw("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"\"]}", ErrorCode.AGENT_PROTOCOL_ERROR);
        PyroException e = expectCode(() -> services.start(ServiceSpec.of("w", "/no/such/program", "x")),
                ErrorCode.EXEC_FAILED);
        assertThat(e.getMessage()).contains("/no/such/program: No such file or directory");
        // a huge command line (3000 arguments) runs; its listing is bounded
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $#; exec sleep 1000", "sh"));
        argv.addAll(Collections.nCopies(3000, "argument"));
        ServiceInfo big = services.start(new ServiceSpec("big", argv, null, java.util.Map.of(), null,
                ServiceSpec.DEFAULT_READY_TIMEOUT, ServiceSpec.DEFAULT_READY_INTERVAL));
        assertThat(big.argv()).containsExactly("sh");
        ServiceDriver.awaitLog(services, "big", "3000\n");
        // beyond the request limit: refused whole
        List<String> huge = new ArrayList<>(List.of("true"));
        huge.addAll(Collections.nCopies(20000, "argument"));
        expectCode(() -> services.start(new ServiceSpec("huge", huge, null, java.util.Map.of(), null,
                ServiceSpec.DEFAULT_READY_TIMEOUT, ServiceSpec.DEFAULT_READY_INTERVAL)), ErrorCode.AGENT_PROTOCOL_ERROR);
        assertThat(services.list()).extracting(ServiceInfo::name).containsExactly("big");
    }

    @Test
    void readinessChecksThatConflictOrDoNotParse() {
        PyroException e = raw("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":"
                + "{\"kind\":\"http\",\"url\":\"http://127.0.0.1:1/\",\"path\":\"ready\"}}", ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("one target");
        raw("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":{\"kind\":\"smoke\"}}",
                ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":{\"kind\":\"file\"}}",
                ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":\"http\"}",
                ErrorCode.AGENT_PROTOCOL_ERROR);
        for (ServiceReadiness bad : List.of(new ServiceReadiness.Http("https://127.0.0.1/"),
                new ServiceReadiness.Http("http://example.com/"), new ServiceReadiness.Http("http://127.0.0.1/a b"),
                new ServiceReadiness.Http("http://127.0.0.1/\r\nX-Evil: 1"), new ServiceReadiness.Tcp("127.0.0.1"),
                new ServiceReadiness.Tcp("127.0.0.1:99999"), new ServiceReadiness.Tcp("db.internal:5432"),
                new ServiceReadiness.File(""), new ServiceReadiness.Command(""))) {
            expectCode(() -> services.start(ServiceSpec.of("w", "sleep", "1000")
                    .withReadiness(bad, Duration.ofSeconds(1), Duration.ofMillis(100))), ErrorCode.INVALID_ARGUMENT);
        }
        for (Duration[] times : new Duration[][] {{Duration.ZERO, Duration.ofMillis(100)},
                {Duration.ofHours(2), Duration.ofMillis(100)}, {Duration.ofSeconds(1), Duration.ofMillis(5)},
                {Duration.ofSeconds(1), Duration.ofMinutes(2)}}) {
            expectCode(() -> services.start(ServiceSpec.of("w", "sleep", "1000")
                    .withReadiness(new ServiceReadiness.File("x"), times[0], times[1])), ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(services.list()).as("nothing was started").isEmpty();
    }

    @Test
    void aCwdOutsideTheWorkspaceOrMissingIsRefused() throws Exception {
        Files.createSymbolicLink(agent.root.resolve("out"), Path.of("/tmp"));
        expectCode(() -> services.start(ServiceSpec.of("w", "true").withCwd("/etc")), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> services.start(ServiceSpec.of("w", "true").withCwd("../..")), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> services.start(ServiceSpec.of("w", "true").withCwd("out")), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> services.start(ServiceSpec.of("w", "true").withCwd("missing")), ErrorCode.NOT_FOUND);
        assertThat(services.list()).isEmpty();
    }

    @Test
    void unknownServicesAndBadLogReads() {
        expectCode(() -> services.status("ghost"), ErrorCode.SERVICE_NOT_FOUND);
        expectCode(() -> services.stop("ghost", Duration.ofSeconds(1)), ErrorCode.SERVICE_NOT_FOUND);
        expectCode(() -> services.logs("ghost", ServiceLogRequest.all(ServiceLogStream.BOTH)),
                ErrorCode.SERVICE_NOT_FOUND);
        services.start(ServiceSpec.of("w", "sh", "-c", "echo hi; exec sleep 1000"));
        ServiceDriver.awaitLog(services, "w", "hi\n");
        expectCode(() -> services.logs("w", ServiceLogRequest.from(ServiceLogStream.BOTH, 1_000_000)),
                ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> services.logs("w", new ServiceLogRequest(ServiceLogStream.BOTH, null, null, 2)),
                ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> services.logs("w", new ServiceLogRequest(ServiceLogStream.BOTH, null, -1, 100)),
                ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"service_logs\",\"name\":\"w\",\"cursor\":0,\"tail_lines\":1}", ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"service_logs\",\"name\":\"w\",\"stream\":\"stdin\"}", ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"service_stop\",\"name\":\"w\",\"timeout_ms\":-1}", ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"service_stop\",\"name\":\"w\",\"timeout_ms\":600001}", ErrorCode.INVALID_ARGUMENT);
        assertThat(services.status("w").state()).isEqualTo(ServiceState.RUNNING);
    }
}
