package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A service's log: stdout and stderr in arrival order (as far as the agent can tell two
 * pipes apart in time) or apart, tails, paging by cursor
 * without loss or overlap, UTF-8 never split, and the bound with its truncation flag.
 */
class ServiceLogsTest extends ServiceAgentFixture {
    private void run(String name, String script) {
        services.start(ServiceSpec.of(name, "sh", "-c", script));
        ServiceDriver.awaitSettled(services, name);
    }

    @Test
    void streamsApartOrTogetherInArrivalOrder() {
        run("mix", "echo out1; sleep 0.05; echo err1 >&2; sleep 0.05; echo out2; sleep 0.05; printf err2 >&2");
        assertThat(services.logs("mix", ServiceLogRequest.all(ServiceLogStream.BOTH)).text())
                .isEqualTo("out1\nerr1\nout2\nerr2");
        assertThat(services.logs("mix", ServiceLogRequest.all(ServiceLogStream.STDOUT)).text()).isEqualTo("out1\nout2\n");
        assertThat(services.logs("mix", ServiceLogRequest.all(ServiceLogStream.STDERR)).text()).isEqualTo("err1\nerr2");
        ServiceInfo info = services.status("mix");
        assertThat(info.stdoutBytes()).isEqualTo(10);
        assertThat(info.stderrBytes()).isEqualTo(9);
    }

    @Test
    void tailsCountLinesOfTheChosenStreams() {
        // the agent reads two pipes: only output apart in time keeps its order across streams
        run("lines", "for i in 1 2 3 4 5; do echo line$i; done; sleep 0.1; for i in 1 2 3 4 5; do echo warn$i >&2; "
                + "done; sleep 0.1; printf last");
        assertThat(services.logs("lines", ServiceLogRequest.tail(ServiceLogStream.STDOUT, 2)).text())
                .isEqualTo("line5\nlast");
        assertThat(services.logs("lines", ServiceLogRequest.tail(ServiceLogStream.STDERR, 2)).text())
                .isEqualTo("warn4\nwarn5\n");
        assertThat(services.logs("lines", ServiceLogRequest.tail(ServiceLogStream.BOTH, 3)).text())
                .isEqualTo("warn4\nwarn5\nlast");
        ServiceLogChunk none = services.logs("lines", ServiceLogRequest.tail(ServiceLogStream.BOTH, 0));
        assertThat(none.output()).isEmpty();
        assertThat(none.complete()).isTrue();
        ServiceLogChunk all = services.logs("lines", ServiceLogRequest.tail(ServiceLogStream.STDERR, 1000));
        assertThat(all.text()).startsWith("warn1\n");
        assertThat(all.truncated()).isFalse();
        assertThat(all.settled()).isTrue();
        assertThat(all.state()).isEqualTo(ServiceState.EXITED);
    }

    @Test
    void pagingByCursorLosesNothingAndRepeatsNothingAndNeverSplitsACharacter() {
        // 3000 lines of three-byte characters and line numbers, on both streams
        run("paged", "i=0; while [ $i -lt 3000 ]; do echo \"€€ $i\"; [ $((i % 7)) = 0 ] && echo \"ß $i\" >&2; "
                + "i=$((i+1)); done");
        ServiceLogChunk whole = services.readToEnd("paged", ServiceLogRequest.all(ServiceLogStream.BOTH));
        ByteArrayOutputStream pages = new ByteArrayOutputStream();
        ServiceLogChunk page = services.logs("paged", new ServiceLogRequest(ServiceLogStream.BOTH, null, null, 1001));
        int n = 1;
        while (true) {
            pages.writeBytes(page.output());
            String text = page.text();
            assertThat(text).doesNotContain("\uFFFD");
            if (page.complete()) {
                break;
            }
            page = services.logs("paged", new ServiceLogRequest(ServiceLogStream.BOTH, page.nextCursor(), null, 1001));
            n++;
        }
        assertThat(n).isGreaterThan(30);
        assertThat(pages.toByteArray()).isEqualTo(whole.output());
        String text = pages.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("€€ 0\n").contains("€€ 2999\n", "ß 2996\n");
        assertThat(text.lines().filter(l -> l.startsWith("€€")).count()).isEqualTo(3000);
        assertThat(text.lines().filter(l -> l.startsWith("ß")).count()).isEqualTo(429);
    }

    @Test
    void aLogOverItsBoundKeepsTheNewestAndSaysSo() {
        run("big", "i=0; while [ $i -lt 40000 ]; do echo \"line $i of a rather long log, padded to about 64 bytes\"; "
                + "i=$((i+1)); done");
        ServiceInfo info = services.status("big");
        assertThat(info.stdoutBytes()).isGreaterThan(2L << 20);
        assertThat(info.oldestCursor()).isGreaterThan(0);
        ServiceLogChunk first = services.logs("big", ServiceLogRequest.from(ServiceLogStream.BOTH, 0));
        assertThat(first.truncated()).isTrue();
        assertThat(first.cursor()).isEqualTo(info.oldestCursor());
        ServiceLogChunk all = services.readToEnd("big", ServiceLogRequest.all(ServiceLogStream.STDOUT));
        assertThat(all.truncated()).isTrue();
        // whole records go: at most one record (16 KiB) less than the bound, minus record headers
        assertThat(all.output().length).isBetween((2 << 20) - 20_000, 2 << 20);
        assertThat(all.text()).endsWith("line 39999 of a rather long log, padded to about 64 bytes\n");
        ServiceLogChunk tail = services.logs("big", ServiceLogRequest.tail(ServiceLogStream.STDOUT, 2));
        assertThat(tail.truncated()).as("the last lines are all there").isFalse();
        assertThat(tail.text()).startsWith("line 39998 ");
    }

    @Test
    void aLogIsReadableWhileTheServiceRuns() {
        services.start(ServiceSpec.of("live", "sh", "-c", "echo first; read x < /dev/null; sleep 0.3; echo second; "
                + "exec sleep 1000"));
        ServiceDriver.awaitLog(services, "live", "first\nsecond\n");
        ServiceLogChunk now = services.logs("live", ServiceLogRequest.tail(ServiceLogStream.BOTH, 1));
        assertThat(now.text()).isEqualTo("second\n");
        assertThat(now.settled()).isFalse();
        assertThat(now.state()).isEqualTo(ServiceState.RUNNING);
    }
}
