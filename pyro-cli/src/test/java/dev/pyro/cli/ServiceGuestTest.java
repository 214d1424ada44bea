package dev.pyro.cli;

import static dev.pyro.testing.GuestHttp.FETCH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestHttp;
import dev.pyro.testing.GuestProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Services (2.7.0) through the real CLI, one process per command, against one microVM: a
 * service started by one process is seen, read and stopped by others; an HTTP server with
 * HTTP readiness is checked from the workspace; failures and bad input have stable codes;
 * {@code workspace status} counts services; {@code delete} leaves nothing running.
 */
class ServiceGuestTest extends WorkspaceCliFixture {
    /** A GET from inside the workspace with the perl every debian:12 has (no curl there). */
    private static final String FETCH = "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(\"127.0.0.1:\" . "
            + "shift) or die \"connect: $!\\n\"; print $s \"GET \" . shift . \" HTTP/1.0\\r\\n\\r\\n\"; print while <$s>'";

    private String createWithServer() throws Exception {
        Path seed = GuestHttp.installServer(Files.createDirectories(host.resolve("seed")));
        CliProcess.Result r = pyro("workspace", "create", "debian:12", "--seed-path", seed.toString(), "--id-only");
        assertThat(r.exitCode()).as("create: %s", r.stderr()).isZero();
        return r.stdout().strip();
    }

    private static String errorCode(CliProcess.Result r) {
        assertThat(r.exitCode()).as("%s", r.stderr()).isEqualTo(1);
        return json(r).get("error").get("code").asString();
    }

    @Test
    void servicesAcrossProcessesWithReadinessLogsFailuresAndDelete() throws Exception {
        String id = createWithServer();

        // started by this process, which then exits
        CliProcess.Result start = pyro("workspace", "service", "start", id, "web", "--ready-http",
                "http://127.0.0.1:8080/health", "--ready-interval-ms", "100", "--", "perl", "serve.pl", "8080", "300");
        assertThat(start.exitCode()).as(start.stderr()).isZero();
        assertThat(start.stdout()).contains("Service: web (workspace " + id + ")", "State: ready",
                "Command: perl serve.pl 8080 300", "Readiness: http http://127.0.0.1:8080/health (every 100 ms");
        assertThat(start.stderr()).containsPattern("\\[service-start\\] workspace_id=" + id
                + " name=web state=ready pid=\\d+ ready_ms=\\d+");

        // a curl-style check from the workspace, in another process
        CliProcess.Result fetch = pyro("workspace", "exec", id, "--", "sh", "-c", FETCH + " 8080 /from-exec");
        assertThat(fetch.exitCode()).as(fetch.stderr()).isZero();
        assertThat(fetch.stdout()).startsWith("HTTP/1.0 200 OK").endsWith("hello from perl\n");

        JsonNode status = json(pyro("workspace", "service", "status", id, "web", "--json"));
        assertThat(status.get("state").asString()).isEqualTo("ready");
        assertThat(status.get("readiness").get("kind").asString()).isEqualTo("http");
        assertThat(status.get("ready_at").isNull()).isFalse();
        assertThat(status.get("command").get(0).asString()).isEqualTo("perl");

        CliProcess.Result logs = pyro("workspace", "service", "logs", id, "web");
        assertThat(logs.exitCode()).as(logs.stderr()).isZero();
        assertThat(logs.stdout()).isEqualTo("listening on 8080\nrequest: GET /health HTTP/1.0\n"
                + "request: GET /from-exec HTTP/1.0\n");
        assertThat(pyro("workspace", "service", "logs", id, "web", "--tail-lines", "1").stdout())
                .isEqualTo("request: GET /from-exec HTTP/1.0\n");
        assertThat(pyro("workspace", "service", "logs", id, "web", "--stream", "stderr").stdout()).isEmpty();

        // an immediate exit: failed, with the exit code and the log tail
        CliProcess.Result crash = pyro("workspace", "service", "start", id, "crash", "--ready-tcp", "127.0.0.1:9999",
                "--json", "--", "sh", "-c", "echo 'crash: missing DATABASE_URL' >&2; exit 7");
        assertThat(errorCode(crash)).isEqualTo("service_failed");
        assertThat(json(crash).get("error").get("message").asString()).isEqualTo("service crash in " + id
                + " did not start: exited with code 7 before it was ready; last output:\ncrash: missing DATABASE_URL");
        CliProcess.Result crashHuman = pyro("workspace", "service", "start", id, "crash", "--ready-file", "x", "--",
                "false");
        assertThat(crashHuman.exitCode()).isEqualTo(1);
        assertThat(crashHuman.stderr()).contains("pyro: error: service crash in " + id + " did not start: exited "
                + "with code 1 before it was ready; it wrote nothing [service_failed]");

        // a readiness timeout: said clearly, and the service is ended
        CliProcess.Result slow = pyro("workspace", "service", "start", id, "slow", "--ready-command", "test -e /nope",
                "--ready-timeout-seconds", "2", "--json", "--", "sleep", "600");
        assertThat(errorCode(slow)).isEqualTo("service_failed");
        assertThat(json(slow).get("error").get("message").asString()).startsWith("service slow in " + id
                + " did not start: not ready within 2000 ms (").contains("the check command exited with code 1");

        // bad input: stable codes, before anything runs
        assertThat(errorCode(pyro("workspace", "service", "start", id, "bad name", "--json", "--", "true")))
                .isEqualTo("invalid_argument");
        CliProcess.Result conflict = pyro("workspace", "service", "start", id, "two", "--ready-file", "f",
                "--ready-tcp", "127.0.0.1:1", "--json", "--", "true");
        assertThat(errorCode(conflict)).isEqualTo("invalid_argument");
        assertThat(json(conflict).get("error").get("message").asString())
                .isEqualTo("give at most one readiness check, not ready_file and ready_tcp");
        CliProcess.Result noCommand = pyro("workspace", "service", "start", id, "none", "--ready-file", "f");
        assertThat(noCommand.exitCode()).isNotZero();
        assertThat(noCommand.stderr()).contains("CMD");
        assertThat(errorCode(pyro("workspace", "service", "start", id, "web", "--json", "--", "true")))
                .isEqualTo("service_already_running");
        assertThat(errorCode(pyro("workspace", "service", "status", id, "ghost", "--json")))
                .isEqualTo("service_not_found");
        CliProcess.Result badStream = pyro("workspace", "service", "logs", id, "web", "--stream", "stdin");
        assertThat(badStream.exitCode()).as("a usage error").isEqualTo(2);
        assertThat(badStream.stderr()).contains("unknown stream 'stdin'; choose one of [stdout, stderr, both] "
                + "[invalid_argument]");
        assertThat(errorCode(pyro("workspace", "service", "list", "ws-000000000000", "--json")))
                .isEqualTo("workspace_not_found");

        CliProcess.Result list = pyro("workspace", "service", "list", id);
        assertThat(list.stdout()).containsPattern("web +ready +\\d+ ").containsPattern("crash +failed ")
                .containsPattern("slow +failed ");
        JsonNode ws = json(pyro("workspace", "status", id, "--json"));
        assertThat(ws.get("services").get("ready").asInt()).isEqualTo(1);
        assertThat(ws.get("services").get("failed").asInt()).isEqualTo(2);
        assertThat(pyro("workspace", "status", id).stdout())
                .contains("Services: 3 (0 starting, 1 ready, 0 running, 0 exited, 2 failed, 0 stopped)");

        // stopped by yet another process
        CliProcess.Result stop = pyro("workspace", "service", "stop", id, "web", "--timeout-seconds", "5");
        assertThat(stop.exitCode()).as(stop.stderr()).isZero();
        assertThat(stop.stdout()).isEmpty();
        assertThat(stop.stderr()).contains("[service-stop] workspace_id=" + id + " name=web state=stopped signal 15");
        assertThat(pyro("workspace", "exec", id, "--", "sh", "-c", FETCH + " 8080 /").exitCode()).isNotZero();

        // a service left running ends with the workspace
        assertThat(pyro("workspace", "service", "start", id, "left", "--", "sleep", "900").exitCode()).isZero();
        CliProcess.Result delete = pyro("workspace", "delete", id);
        assertThat(delete.exitCode()).as(delete.stderr()).isZero();
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
        assertThat(errorCode(pyro("workspace", "service", "list", id, "--json"))).isEqualTo("workspace_not_found");
    }
}
