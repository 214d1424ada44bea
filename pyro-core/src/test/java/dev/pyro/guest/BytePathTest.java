package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Guest names as bytes: display and git forms, the wire form, host paths with exact bytes. */
class BytePathTest {
    static BytePath latin1(String s) {
        return BytePath.of(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void displayIsTheNameUnlessItIsNotUtf8OrHasControlCharacters() {
        assertThat(BytePath.of("src/ünï côde.txt").display()).isEqualTo("src/ünï côde.txt");
        assertThat(BytePath.of("quote\"back\\slash").display()).isEqualTo("quote\"back\\slash");
        assertThat(latin1("bad\u00ff.txt").display()).isEqualTo("\"bad\\377.txt\"");
        assertThat(latin1("caf\u00c3\u00a9-\u00e9").display()).as("valid sequences kept, invalid bytes escaped")
                .isEqualTo("\"café-\\351\"");
        assertThat(BytePath.of("tab\there\u001b[31m").display()).isEqualTo("\"tab\\there\\033[31m\"");
        assertThat(BytePath.of("c1\u0085").display()).isEqualTo("\"c1\\302\\205\"");
        assertThat(latin1("a\"\u00ff").display()).isEqualTo("\"a\\\"\\377\"");
        assertThat(BytePath.of("ok").displaysExactly()).isTrue();
        assertThat(latin1("x\u00ff").displaysExactly()).isFalse();
        assertThat(latin1("x\u00ff")).hasToString("\"x\\377\"");
    }

    @Test
    void gitQuotingEscapesEveryByteOutsidePrintableAscii() {
        assertThat(BytePath.of("a/b c.txt").gitQuoted()).isEqualTo("a/b c.txt");
        assertThat(BytePath.of("ü").gitQuoted()).isEqualTo("\"\\303\\274\"");
        assertThat(latin1("bad\u00ff").gitQuoted()).isEqualTo("\"bad\\377\"");
        assertThat(BytePath.of("q\"\\\n").gitQuoted()).isEqualTo("\"q\\\"\\\\\\n\"");
    }

    @Test
    void theWireFormCarriesTheBytesOnlyWhenNeeded() {
        ObjectNode o = JsonMapper.builder().build().createObjectNode();
        BytePath.of("plain").putTo(o, "path");
        assertThat(o.toString()).isEqualTo("{\"path\":\"plain\"}");
        ObjectNode b = JsonMapper.builder().build().createObjectNode();
        latin1("bad\u00ff").putTo(b, "path");
        assertThat(b.toString()).isEqualTo("{\"path\":\"bad\uFFFD\",\"path_b64\":\"YmFk/w==\"}");
        assertThat(BytePath.fromWire(b.get("path").asString(), b.get("path_b64").asString()))
                .isEqualTo(latin1("bad\u00ff"));
        assertThat(BytePath.fromWire("x", null)).isEqualTo(BytePath.of("x"));
        ArrayNode a = JsonMapper.builder().build().createArrayNode();
        BytePath.of("a").addTo(a);
        latin1("\u00fe").addTo(a);
        assertThat(a.toString()).isEqualTo("[\"a\",{\"b64\":\"/g==\"}]");
        assertThatThrownBy(() -> BytePath.fromWire(null, "!!")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orderAndEqualityAreByBytes() {
        assertThat(latin1("a\u00ff")).isEqualTo(latin1("a\u00ff")).hasSameHashCodeAs(latin1("a\u00ff"))
                .isNotEqualTo(latin1("a\u00fe"));
        assertThat(latin1("a\u00fe").compareTo(latin1("a\u00ff"))).isNegative();
        assertThat(BytePath.of("a/b").compareTo(BytePath.of("a0"))).isNegative();
        assertThat(BytePath.of("./x").withoutPrefix("./")).isEqualTo(BytePath.of("x"));
        assertThat(BytePath.of("x").prefixed("a/")).isEqualTo(BytePath.of("a/x"));
        assertThat(latin1("d\u00fe/f").split()).containsExactly(latin1("d\u00fe"), BytePath.of("f"));
    }

    @Test
    void hostPathsKeepExactBytes(@TempDir Path dir) throws Exception {
        BytePath name = latin1("sub\u00fe/f\u00ff.txt");
        Files.createDirectories(name.split()[0].resolveUnder(dir));
        Path file = name.resolveUnder(dir);
        Files.writeString(file, "x");
        assertThat(BytePath.ofHostPath(dir.relativize(file))).isEqualTo(name);
        assertThat(BytePath.ofHostPath(file).text()).endsWith("/sub\uFFFD/f\uFFFD.txt");
        try (var s = Files.list(name.split()[0].resolveUnder(dir))) {
            assertThat(s.map(p -> BytePath.ofHostPath(p.getFileName()))).containsExactly(latin1("f\u00ff.txt"));
        }
        Path rel = latin1("../up\u00ff/x").toHostPath();
        assertThat(rel.isAbsolute()).isFalse();
        assertThat(BytePath.ofHostPath(rel)).isEqualTo(latin1("../up\u00ff/x"));
        Path abs = latin1("/abs\u00ff").toHostPath();
        assertThat(abs.isAbsolute()).isTrue();
        assertThat(BytePath.ofHostPath(abs)).isEqualTo(latin1("/abs\u00ff"));
        Files.createSymbolicLink(dir.resolve("ln"), rel);
        assertThat(BytePath.ofHostPath(Files.readSymbolicLink(dir.resolve("ln")))).isEqualTo(latin1("../up\u00ff/x"));
    }
}
