package dev.pyro.vm.firecracker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Installs {@link FakeFirecracker} as an executable named {@code firecracker} (a shell script
 * that execs a JVM on the test classpath, so the pid stays the script's), and optionally a
 * fake {@code jailer} that builds the chroot path like the real one and execs it.
 */
final class FakeHost {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Path dir;
    final Path firecracker;
    final Path record;
    final Path jailer;
    final Path jailerArgs;

    FakeHost(Path dir, Map<String, String> env) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.record = dir.resolve("calls.jsonl");
        this.firecracker = dir.resolve("firecracker");
        this.jailer = dir.resolve("jailer");
        this.jailerArgs = dir.resolve("jailer-args.txt");
        StringBuilder script = new StringBuilder("#!/bin/sh\n");
        script.append("export FAKE_FC_RECORD=").append(quote(record.toString())).append('\n');
        for (Map.Entry<String, String> e : env.entrySet()) {
            script.append("export ").append(e.getKey()).append('=').append(quote(e.getValue())).append('\n');
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        script.append("exec ").append(quote(java))
                .append(" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp ")
                .append(quote(System.getProperty("java.class.path")))
                .append(" dev.pyro.vm.firecracker.FakeFirecracker \"$@\"\n");
        writeExecutable(firecracker, script.toString());
        writeExecutable(jailer, """
                #!/bin/sh
                printf '%s\\n' "$*" > ARGS
                while [ $# -gt 0 ]; do
                  case "$1" in
                    --id) id=$2; shift 2;;
                    --exec-file) exe=$2; shift 2;;
                    --chroot-base-dir) base=$2; shift 2;;
                    --uid|--gid|--cgroup-version|--parent-cgroup) shift 2;;
                    --) shift; break;;
                    *) echo "fake-jailer: unexpected argument $1"; exit 1;;
                  esac
                done
                root="${base:-/srv/jailer}/$(basename "$exe")/$id/root"
                mkdir -p "$root" || exit 1
                FAKE_FC_CHROOT="$root" exec "$exe" --id="$id" --start-time-us=1 --start-time-cpu-us=1 "$@"
                """.replace("ARGS", quote(jailerArgs.toString())));
    }

    private static void writeExecutable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The requests the fake received, in order. */
    List<JsonNode> calls() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(record)) {
            for (String line : Files.readAllLines(record)) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** The {@code PUT} requests, without the {@code GET /} readiness probes. */
    List<JsonNode> puts() throws IOException {
        return calls().stream().filter(c -> c.path("method").asString().equals("PUT")).toList();
    }

    /** The fake's pid as it printed it into the console log. */
    static Optional<Long> pidFromConsole(Path console) throws IOException {
        Matcher m = Pattern.compile("fake-firecracker: .* pid=(\\d+)").matcher(Files.readString(console));
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }
}
