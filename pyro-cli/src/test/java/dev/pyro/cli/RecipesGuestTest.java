package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The smoke test of {@code docs/recipes.md}: every recipe's shell block runs exactly as
 * written, in order, in one scratch directory ({@code bash -euo pipefail}), against real
 * guests, with {@code pyro} on the {@code PATH} being this build (a wrapper around the test
 * classpath) and its own {@code PYRO_HOME}. Recipes 2 and 3 share one workspace, as the
 * document says; each recipe's output is checked for what the document promises.
 */
class RecipesGuestTest extends WorkspaceCliFixture {
    private static final Pattern RECIPE = Pattern.compile("(?m)^## (\\d+)\\. (.+)$");
    private static final Pattern BLOCK = Pattern.compile("(?s)```sh\\n(.*?)```");

    record Ran(int exitCode, String stdout, String stderr) {}

    /** Recipe number to its shell block, in document order. */
    static Map<Integer, String> recipes() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "recipes.md"));
        Map<Integer, String> recipes = new LinkedHashMap<>();
        Matcher m = RECIPE.matcher(doc);
        List<int[]> starts = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {Integer.parseInt(m.group(1)), m.start()});
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[1] : doc.length();
            Matcher b = BLOCK.matcher(doc.substring(starts.get(i)[1], end));
            assertThat(b.find()).as("recipe %d has a sh block", starts.get(i)[0]).isTrue();
            recipes.put(starts.get(i)[0], b.group(1));
        }
        return recipes;
    }

    private Path wrapper() throws IOException {
        Path bin = Files.createDirectories(host.resolve("bin"));
        Path pyro = bin.resolve("pyro");
        String line = PyroProcess.command().stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        Files.writeString(pyro, "#!/bin/sh\nexec " + line + " \"$@\"\n");
        Files.setPosixFilePermissions(pyro, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private Ran run(Path bin, Path dir, String script) throws Exception {
        Path out = Files.createTempFile(host, "out", ".txt");
        Path err = Files.createTempFile(host, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File("/dev/null")));
        pb.environment().remove("PYRO_BACKEND");
        pb.environment().put("PYRO_HOME", home.toString());
        pb.environment().put("PYRO_LAUNCHER", bin.resolve("pyro").toString());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("recipe did not finish in 15 minutes:\n" + script);
        }
        return new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void everyRecipeRunsAsDocumented() throws Exception {
        Map<Integer, String> recipes = recipes();
        assertThat(recipes.keySet()).containsExactly(1, 2, 3, 4, 5);
        Path bin = wrapper();
        Path dir = Files.createDirectories(host.resolve("work"));
        Map<Integer, Ran> ran = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> r : recipes.entrySet()) {
            Ran result = run(bin, dir, r.getValue());
            assertThat(result.exitCode()).as("recipe %d exit code\nstdout:\n%s\nstderr:\n%s", r.getKey(),
                    result.stdout(), result.stderr()).isZero();
            ran.put(r.getKey(), result);
        }

        // 1. cold start: the one-shot run printed the guest's git version
        assertThat(ran.get(1).stdout()).contains("git version 2.");

        // 2. repro and fix: failed first, the file was read, the patch applied, the check passed
        Ran fix = ran.get(2);
        assertThat(fix.stderr()).contains("add 2 3: expected 5, got -1");
        assertThat(fix.stdout()).contains("reproduced: the check fails", "echo $(( $1 - $2 ))",
                "modified /workspace/add.sh: 1 hunk, +1 -1", "ok\n");
        String id = Files.readString(dir.resolve("workspace-id")).strip();
        assertThat(id).matches("ws-[0-9a-z]{12}");

        // 3. review: the diff is the fix, the export is the fixed file, the workspace is gone
        assertThat(ran.get(3).stdout()).contains("--- a/add.sh", "+++ b/add.sh", "-echo $(( $1 - $2 ))",
                "+echo $(( $1 + $2 ))");
        assertThat(Files.readString(dir.resolve("review.json"))).contains("\"changed\"", "true");
        assertThat(Files.readString(dir.resolve("add.sh.fixed"))).isEqualTo("#!/bin/sh\necho $(( $1 + $2 ))\n");

        // 4. parallel: each workspace saw only its own change
        assertThat(ran.get(4).stdout()).contains("x\na\n", "x\nb\n").doesNotContain("x\na\nb\n", "x\nb\na\n");

        // 5. untrusted: the link out was refused, loopback only, no phoning home
        Ran untrusted = ran.get(5);
        assertThat(untrusted.stdout()).contains("refused: the link leads out of /workspace", "lo\n",
                "installing...\ncould not phone home\n");
        assertThat(untrusted.stdout().lines()).as("the script's own text says it, its run must not")
                .doesNotContain("phoned home");
        assertThat(untrusted.stderr()).contains("path_outside_workspace");
        assertThat(untrusted.stdout().lines().filter(l -> l.equals("lo") || l.startsWith("eth") || l.startsWith("en"))
                .toList()).containsExactly("lo");

        // every recipe cleaned up after itself
        assertThat(json(pyro("workspace", "list", "--json")).get("workspaces")).isEmpty();
    }
}
