package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.run.OwnedVms;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No class of the agent protocol (nor {@link OwnedVms}, which one-shot CLI processes load)
 * refers to Jackson's data binding mappers: a {@code JsonMapper} costs every CLI exec its
 * set-up (docs/performance.md, "CLI start-up"), and trees need only {@code JsonTrees}. Read
 * from the compiled classes' constant pools, so a mapper reached through any expression shows.
 */
class NoMapperInTheProtocolTest {
    private static final List<String> MAPPERS = List.of("tools/jackson/databind/ObjectMapper",
            "tools/jackson/databind/json/JsonMapper", "tools/jackson/databind/ObjectReader",
            "tools/jackson/databind/ObjectWriter", "dev/pyro/json/PyroJson");

    private static Path classDir(Class<?> c) throws URISyntaxException {
        return Path.of(c.getResource(c.getSimpleName() + ".class").toURI()).getParent();
    }

    private static List<String> offenders(Path dir, boolean recursive) throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String pool = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                MAPPERS.stream().filter(pool::contains).forEach(m -> found.add(dir.relativize(f) + " -> " + m));
            }
        }
        return found;
    }

    @Test
    void theProtocolsClassesReferToNoMapper() throws Exception {
        Path guest = classDir(Json.class);
        try (Stream<Path> files = Files.list(guest)) {
            assertThat(files.filter(p -> p.toString().endsWith(".class")).count())
                    .as("the compiled package is where it is looked for").isGreaterThan(50);
        }
        assertThat(offenders(guest, true)).isEmpty();
    }

    @Test
    void theOwnerFilesOfOneShotVmsReferToNoMapper() throws Exception {
        Path run = classDir(OwnedVms.class);
        List<String> found = offenders(run, false);
        assertThat(found).noneMatch(s -> s.startsWith("OwnedVms"));
    }

    @Test
    void theCheckSeesAMapperWhereThereIsOne() throws Exception {
        // The test's own oracle uses a mapper: the scan must find it there.
        Path tests = classDir(JsonPayloadTest.class);
        assertThat(offenders(tests, false)).anyMatch(s -> s.startsWith("JsonPayloadTest.class"));
    }
}
