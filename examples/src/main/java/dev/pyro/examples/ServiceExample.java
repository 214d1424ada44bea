package dev.pyro.examples;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.Service;
import dev.pyro.ServiceStartRequest;
import dev.pyro.ServiceStatus;
import dev.pyro.Workspace;
import dev.pyro.WorkspaceExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A service in a workspace: start a small HTTP server in the guest and wait until it answers,
 * test it with a command in the same workspace, read its log, and stop it. Then a service that
 * cannot get ready: the start fails with its reason and the end of its log.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:pyro-cli/target/lib/*" dev.pyro.examples.ServiceExample
 * </pre>
 */
public final class ServiceExample {
    /** A tiny HTTP server (debian:12 has perl, no python). */
    private static final String SERVER = """
            use IO::Socket::INET; $| = 1;
            my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1:8080", Listen => 8, ReuseAddr => 1) or die "$!";
            print "listening\\n";
            while (my $c = $s->accept) { my $l = <$c>; print "request: $l"; while (<$c>) { last if /^\\r?$/ }
              print $c "HTTP/1.0 200 OK\\r\\n\\r\\nhello\\n"; close $c }
            """;

    private ServiceExample() {
    }

    public static void main(String[] args) throws Exception {
        Path app = Files.createTempDirectory("pyro-app");
        Files.writeString(app.resolve("serve.pl"), SERVER);
        try (Pyro pyro = Pyro.create();
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(app))) {
            // Start and wait until GET / answers (the check runs inside the guest).
            ServiceStatus web = ws.startService(ServiceStartRequest.of("web", List.of("perl", "serve.pl"))
                    .withReadyHttp("http://127.0.0.1:8080/"));
            System.out.println("web is " + web.state() + " after " + web.readiness().checks() + " check(s)");

            // Commands of the workspace reach it on the guest's loopback.
            WorkspaceExecResult test = ws.exec(List.of("bash", "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET /test HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3"));
            System.out.writeBytes(test.stdout());

            Service handle = ws.service("web");
            System.out.print(handle.logs(5).output());       // the last lines of its output
            System.out.println(pyro.statusWorkspace(ws.id()).services());
            System.out.println("stopped: " + handle.stop().reason());

            // A service that exits before it is ready: the start says why.
            try {
                ws.startService(ServiceStartRequest.of("db", List.of("sh", "-c", "echo 'no data dir' >&2; exit 1"))
                        .withReadyTcp("127.0.0.1:5432").withReadyTiming(10, 200));
            } catch (PyroException e) {
                System.out.println(e.code().code() + ": " + e.getMessage());
            }
        } catch (PyroException e) {
            System.err.println("pyro: " + e.getMessage() + " [" + e.code().code() + "]");
            System.exit(1);
        }
    }
}
