package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The VM record is read and written without a mapper: the bytes a mapper's default pretty printer
 * writes of the same tree, and every broken or hostile file an {@code IO_ERROR} naming the file.
 */
class VmRecordCodecTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void theFileIsWhatTheMappersPrettyPrinterWritesOfItsTree() throws IOException {
        ProcessIdentity me = ProcessIdentity.current();
        VmRecord fcAll = new VmRecord("vm-\"odd\"\u00e9\ud83d\ude00", me, java.time.Instant.parse("2026-01-01T00:00:00.000000001Z"),
                dir.resolve("console \\ log"), Integer.MAX_VALUE, 1, new VmRecord.Firecracker("fc", dir.resolve("a"),
                        dir.resolve("v"), 0, List.of(), Optional.of(dir.resolve("r")), Optional.of(dir.resolve("j")),
                        Optional.of(dir.resolve("c"))));
        for (VmRecord r : List.of(VmRecordTest.qemu("vm-q", me, dir), VmRecordTest.firecracker("vm-f", me, dir), fcAll)) {
            VmRecordCodec.write(dir.resolve(VmRecord.FILE), r);
            byte[] written = Files.readAllBytes(dir.resolve(VmRecord.FILE));
            assertThat(new String(written, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(new String(
                    MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(MAPPER.readTree(written)),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(VmRecordCodec.read(dir.resolve(VmRecord.FILE))).isEqualTo(r);
        }
    }

    @Test
    void hostileFilesAreUnreadableRecordsNeverCrashes() throws IOException {
        Path file = dir.resolve(VmRecord.FILE);
        for (String hostile : List.of("", " ", "null", "[]", "[{\"format\": 2}]", "\"qemu\"", "7", "{}",
                "{\"format\": 2}", "{\"format\": 2, \"backend\": 7}", "{\"format\": 2, \"backend\": \"\"}",
                "{\"format\": 2, \"backend\": \"qemu\", \"vm_id\": \"x\", \"process\": [], \"created_at\": \"x\"}",
                "{\"format\": 2, \"backend\": \"qemu\", \"vm_id\": \"x\", \"process\": {\"pid\": \"1\"}}",
                "{\"format\": 2, \"backend\": \"qemu\", \"vm_id\": \"x\", \"process\": {\"pid\": 1, \"start_ticks\": 2},"
                        + " \"created_at\": \"never\", \"console_log\": \"c\", \"qemu\": {\"accel\": \"tcg\"}}",
                "{\"format\": 2, \"backend\": \"firecracker\", \"vm_id\": \"x\", \"process\": {\"pid\": 1,"
                        + " \"start_ticks\": 2}, \"created_at\": \"2026-01-01T00:00:00Z\", \"console_log\": \"c\","
                        + " \"firecracker\": {\"instance_id\": \"i\", \"api_socket\": \"a\", \"vsock_socket\": \"v\","
                        + " \"vsock_port\": 1, \"owned_files\": [{}, []]}}",
                "{\"format\": 1, \"backend\": \"qemu\"}", "{\"backend\": \"firecracker\"}",
                "{\"format\": 99999999999999999999999}", "{\"format\": 2, \"backend\": \"qemu\", \"x\": "
                        + "[".repeat(50_000) + "]".repeat(50_000) + "}", "{\"format\": 2,", "{\"a\":1}}")) {
            Files.writeString(file, hostile);
            assertThatThrownBy(() -> VmRecordCodec.read(file)).as(hostile)
                    .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                    .hasMessageStartingWith("unreadable VM record " + file + ": ");
        }
    }
}
