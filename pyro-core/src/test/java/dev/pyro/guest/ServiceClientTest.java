package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Services on the development-mode agent (real processes on this host): each readiness
 * kind passing, timing out and losing against an early exit, the states a service goes
 * through, and later deaths seen on the next status.
 */
class ServiceClientTest extends ServiceAgentFixture {
    private static final Duration FAST = Duration.ofMillis(50);

    private ServiceInfo startServer(String name, int port, int delayMs, ServiceReadiness check) {
        return services.start(ServiceSpec.of(name, "perl", "serve.pl", Integer.toString(port), Integer.toString(delayMs))
                .withReadiness(check, Duration.ofSeconds(30), FAST));
    }

    @Test
    void httpReadinessWaitsUntilTheServerAnswersThenItServes() {
        int port = ServiceDriver.freePort();
        Instant before = Instant.now();
        ServiceInfo web = startServer("web", port, 400, new ServiceReadiness.Http("http://127.0.0.1:" + port + "/health"));
        assertThat(web.state()).isEqualTo(ServiceState.READY);
        assertThat(web.readiness().kind()).isEqualTo("http");
        assertThat(web.readiness().checks()).as("it was not listening for the first 400 ms").isGreaterThan(1);
        assertThat(web.readiness().lastError()).isNull();
        assertThat(web.readyAt()).isAfterOrEqualTo(web.startedAt());
        assertThat(web.startedAt()).isAfterOrEqualTo(before.minusSeconds(5));
        assertThat(web.argv()).containsExactly("perl", "serve.pl", Integer.toString(port), "400");
        assertThat(web.cwd()).isEqualTo("/workspace");
        assertThat(ShellDriver.sessionMembers(web.pid())).contains(web.pid());

        assertThat(ServiceDriver.get(port, "/hello")).isEqualTo("200 hello from perl\n");
        String log = services.readToEnd("web", ServiceLogRequest.all(ServiceLogStream.STDOUT)).text();
        assertThat(log).contains("listening on " + port, "request: GET /health HTTP/1.0", "request: GET /hello HTTP/1.1");
    }

    @Test
    void httpReadinessNeedsASuccessStatus() {
        int port = ServiceDriver.freePort();
        ServiceInfo web = services.start(ServiceSpec.of("web", "perl", "serve.pl", Integer.toString(port), "0")
                .withReadiness(new ServiceReadiness.Http("http://127.0.0.1:" + port + "/fail"), Duration.ofMillis(600),
                        FAST));
        assertThat(web.state()).isEqualTo(ServiceState.FAILED);
        assertThat(web.reason()).startsWith("not ready within 600 ms").contains("answered HTTP status 500");
        assertThat(web.settled()).isTrue();
        assertThat(web.signal()).isEqualTo(15);
        assertThat(ShellDriver.sessionMembers(web.pid())).isEmpty();
    }

    @Test
    void tcpReadinessPassesOnceSomethingListens() {
        int port = ServiceDriver.freePort();
        ServiceInfo db = startServer("db", port, 300, new ServiceReadiness.Tcp("localhost:" + port));
        assertThat(db.state()).isEqualTo(ServiceState.READY);
        assertThat(db.readiness().target()).isEqualTo("localhost:" + port);
        assertThat(ServiceDriver.get(port, "/")).startsWith("200 ");
    }

    @Test
    void fileReadinessIsRelativeToTheServicesDirectory() throws Exception {
        Files.createDirectories(agent.root.resolve("app"));
        ServiceInfo w = services.start(ServiceSpec.of("watcher", "sh", "-c", "sleep 0.2; touch ready.flag; exec sleep 1000")
                .withCwd("app").withReadiness(new ServiceReadiness.File("ready.flag"), Duration.ofSeconds(20), FAST));
        assertThat(w.state()).isEqualTo(ServiceState.READY);
        assertThat(w.cwd()).isEqualTo("/workspace/app");
        assertThat(agent.root.resolve("app/ready.flag")).exists();
    }

    @Test
    void commandReadinessRunsInTheServicesDirectoryAndEnvironment() throws Exception {
        Files.createDirectories(agent.root.resolve("app"));
        ServiceInfo w = services.start(ServiceSpec.of("job", "sh", "-c", "sleep 0.2; echo up > state; exec sleep 1000")
                .withCwd("app").withEnv("WANT", "up")
                .withReadiness(new ServiceReadiness.Command("test \"$(cat state)\" = \"$WANT\""), Duration.ofSeconds(20),
                        FAST));
        assertThat(w.state()).isEqualTo(ServiceState.READY);
        assertThat(w.readiness().checks()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void withoutACheckAServiceRunsAtOnce() {
        ServiceInfo s = services.start(ServiceSpec.of("sleeper", "sleep", "1000"));
        assertThat(s.state()).isEqualTo(ServiceState.RUNNING);
        assertThat(s.readiness()).isNull();
        assertThat(s.readyAt()).isNull();
        assertThat(s.settled()).isFalse();
    }

    @Test
    void aReadinessTimeoutEndsTheServiceAndSaysWhy() {
        int port = ServiceDriver.freePort();
        ServiceInfo s = services.start(ServiceSpec.of("slow", "sh", "-c", "echo starting; exec sleep 1000")
                .withReadiness(new ServiceReadiness.Tcp("127.0.0.1:" + port), Duration.ofMillis(400), FAST));
        assertThat(s.state()).isEqualTo(ServiceState.FAILED);
        assertThat(s.reason()).startsWith("not ready within 400 ms (").contains("connect: Connection refused");
        assertThat(s.readiness().checks()).isGreaterThan(2);
        assertThat(s.readiness().lastError()).contains("Connection refused");
        assertThat(s.signal()).isEqualTo(15);
        assertThat(s.exitCode()).isNull();
        assertThat(s.settled()).isTrue();
        assertThat(s.endedAt()).isAfterOrEqualTo(s.startedAt());
        assertThat(ShellDriver.sessionMembers(s.pid())).isEmpty();
        assertThat(services.logs("slow", ServiceLogRequest.all(ServiceLogStream.BOTH)).text()).isEqualTo("starting\n");
    }

    @Test
    void anEarlyExitFailsTheStartWithItsCodeAndItsWholeLog() {
        ServiceInfo s = services.start(ServiceSpec.of("crash", "sh", "-c", "echo config loaded; echo 'bad port' >&2; exit 3")
                .withReadiness(new ServiceReadiness.Http("http://127.0.0.1:1/"), Duration.ofSeconds(30), FAST));
        assertThat(s.state()).isEqualTo(ServiceState.FAILED);
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.signal()).isNull();
        assertThat(s.reason()).isEqualTo("exited with code 3 before it was ready");
        assertThat(s.settled()).isTrue();
        assertThat(services.logs("crash", ServiceLogRequest.tail(ServiceLogStream.BOTH, 1)).text()).isEqualTo("bad port\n");
        assertThat(services.logs("crash", ServiceLogRequest.all(ServiceLogStream.BOTH)).text())
                .isEqualTo("config loaded\nbad port\n");
    }

    @Test
    void aServiceThatDiesLaterIsReportedEndedOnTheNextStatus() {
        ServiceInfo s = services.start(ServiceSpec.of("brief", "sh", "-c", "echo hi; sleep 0.3; exit 4"));
        assertThat(s.state()).isEqualTo(ServiceState.RUNNING);
        ServiceInfo ended = ServiceDriver.awaitSettled(services, "brief");
        assertThat(ended.state()).isEqualTo(ServiceState.FAILED);
        assertThat(ended.exitCode()).isEqualTo(4);
        assertThat(ended.reason()).isEqualTo("exited with code 4");
        assertThat(services.list()).extracting(ServiceInfo::name, ServiceInfo::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("brief", ServiceState.FAILED));

        services.start(ServiceSpec.of("done", "true"));
        assertThat(ServiceDriver.awaitSettled(services, "done").state()).isEqualTo(ServiceState.EXITED);
        assertThat(services.status("done").reason()).isEqualTo("exited with code 0");
    }

    @Test
    void anEndedNameCanBeStartedAgainAndStartsAFreshLog() {
        services.start(ServiceSpec.of("again", "sh", "-c", "echo first"));
        ServiceDriver.awaitSettled(services, "again");
        ServiceInfo second = services.start(ServiceSpec.of("again", "sh", "-c", "echo second; exec sleep 1000"));
        assertThat(second.state()).isEqualTo(ServiceState.RUNNING);
        ServiceDriver.awaitLog(services, "again", "second\n");
        ServiceInfo stopped = services.stop("again", Duration.ofSeconds(5));
        assertThat(services.logs("again", ServiceLogRequest.all(ServiceLogStream.BOTH)).text()).isEqualTo("second\n");
        assertThat(stopped.state()).isEqualTo(ServiceState.STOPPED);
        assertThat(services.list()).extracting(ServiceInfo::name).isEqualTo(List.of("again"));
    }
}
