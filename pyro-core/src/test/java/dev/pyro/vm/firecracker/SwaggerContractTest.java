package dev.pyro.vm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every request the backend sends, checked against Firecracker v1.16.1's swagger. */
class SwaggerContractTest {
    private final SwaggerContract contract = SwaggerContract.load();

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        for (boolean workspace : new boolean[] {false, true}) {
            for (boolean network : new boolean[] {false, true}) {
                for (boolean log : new boolean[] {false, true}) {
                    for (boolean jailed : new boolean[] {false, true}) {
                        out.add(Arguments.of(workspace, network, log, jailed));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "workspace={0} network={1} logger={2} jailed={3}")
    @MethodSource("shapes")
    void everyBootCallMatchesTheSwagger(boolean workspace, boolean network, boolean log, boolean jailed) {
        String dir = jailed ? "/" : "/var/lib/pyro/vms/vm-1/";
        var paths = new FirecrackerConfigPlan.GuestPaths(dir + "vmlinux", dir + "initrd.cpio", dir + "rootfs.ext4",
                dir + "overlay.ext4", workspace ? Optional.of(dir + "workspace.ext4") : Optional.empty(),
                dir + "vsock.sock", log ? Optional.of(dir + "firecracker.log") : Optional.empty());
        var machine = new FirecrackerConfigPlan.Machine("ws-0123456789abcdef", 2, 1024, network, "Warning");
        List<ApiCall> calls = FirecrackerConfigPlan.boot(machine, paths);

        assertThat(calls).isNotEmpty();
        for (ApiCall call : calls) {
            assertThat(contract.violations(call)).as("%s %s %s", call.method(), call.path(), json(call)).isEmpty();
        }
        assertThat(calls.stream().map(ApiCall::path).filter(p -> p.startsWith("/drives/")))
                .hasSize(workspace ? 3 : 2);
        assertThat(calls.stream().anyMatch(c -> c.path().startsWith("/network-interfaces/"))).isEqualTo(network);
        assertThat(calls.stream().anyMatch(c -> c.path().equals("/logger"))).isEqualTo(log);
        // Every guest reports its free pages, before InstanceStart (the balloon is pre-boot only).
        assertThat(calls.stream().filter(c -> c.path().equals("/balloon")).map(SwaggerContractTest::json))
                .containsExactly("{\"amount_mib\":0,\"deflate_on_oom\":true,\"free_page_reporting\":true}");
        assertThat(calls.stream().map(ApiCall::path).toList().indexOf("/balloon")).isLessThan(calls.size() - 1);
    }

    @Test
    void balloonBodiesTheSwaggerRejects() {
        assertThat(contract.violations("PUT", "/balloon", bytes("{\"free_page_reporting\":true}")))
                .anySatisfy(v -> assertThat(v).contains("amount_mib"));
        assertThat(contract.violations("PUT", "/balloon",
                bytes("{\"amount_mib\":0,\"deflate_on_oom\":\"yes\",\"free_page_reporting\":true}"))).isNotEmpty();
        assertThat(contract.violations("PUT", "/balloon",
                bytes("{\"amount_mib\":0,\"deflate_on_oom\":true,\"free_page_reporting\":true,\"inflate\":1}")))
                .isNotEmpty();
        assertThatThrownBy(() -> new Balloon(-1, true, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runtimeCallsMatchTheSwagger() {
        List<ApiCall> calls = List.of(
                ApiCall.action(InstanceActionInfo.sendCtrlAltDel()),
                ApiCall.action(InstanceActionInfo.instanceStart()),
                ApiCall.action(new InstanceActionInfo(InstanceActionInfo.ActionType.FlushMetrics)),
                ApiCall.describeInstance(),
                ApiCall.metrics(new Metrics("/tmp/m.json")),
                ApiCall.logger(new LoggerConfig("/tmp/l", Optional.empty(), Optional.empty(), Optional.empty())));
        for (ApiCall call : calls) {
            assertThat(contract.violations(call)).as("%s %s", call.method(), call.path()).isEmpty();
        }
    }

    @Test
    void snapshotCallsMatchTheSwagger() {
        List<ApiCall> calls = List.of(
                ApiCall.vmState(VmState.paused()),
                ApiCall.vmState(VmState.resumed()),
                ApiCall.snapshotCreate(SnapshotCreateParams.full("/t/state.bin", "/t/memory.bin")),
                ApiCall.snapshotLoad(new SnapshotLoadParams("/t/state.bin",
                        SnapshotLoadParams.MemoryBackend.file("/t/memory.bin"), true, null)),
                ApiCall.snapshotLoad(new SnapshotLoadParams("/t/state.bin",
                        SnapshotLoadParams.MemoryBackend.file("/t/memory.bin"), false,
                        new SnapshotLoadParams.VsockOverride("/vms/ws-1/v.sock"))));
        for (ApiCall call : calls) {
            assertThat(contract.violations(call)).as("%s %s %s", call.method(), call.path(), json(call)).isEmpty();
        }
        // what is sent, exactly: no deprecated mem_file_path, no null override
        assertThat(json(calls.get(3))).isEqualTo("{\"snapshot_path\":\"/t/state.bin\",\"mem_backend\":"
                + "{\"backend_type\":\"File\",\"backend_path\":\"/t/memory.bin\"},\"resume_vm\":true}");
        assertThat(json(calls.get(0))).isEqualTo("{\"state\":\"Paused\"}");
        assertThat(calls.get(0).method()).isEqualTo("PATCH");
    }

    @ParameterizedTest(name = "logger={0} jailed={1}")
    @MethodSource("templatePlans")
    void everyTemplateCallMatchesTheSwagger(boolean log, boolean jailed) {
        String dir = jailed ? "/" : "/var/lib/pyro/vms/ws-1/";
        var paths = new FirecrackerConfigPlan.GuestPaths(dir + "vmlinux", dir + "initrd.cpio", dir + "rootfs.ext4",
                dir + "overlay.ext4", Optional.of(dir + "workspace.ext4"), dir + "vsock.sock",
                log ? Optional.of(dir + "firecracker.log") : Optional.empty());
        List<ApiCall> save = FirecrackerSnapshotPlan.save(dir + "state.bin", dir + "memory.bin");
        List<ApiCall> restore = FirecrackerSnapshotPlan.restore(paths, "Info", dir + "snapshot.state",
                dir + "snapshot.memory");
        for (ApiCall call : java.util.stream.Stream.concat(save.stream(), restore.stream()).toList()) {
            assertThat(contract.violations(call)).as("%s %s %s", call.method(), call.path(), json(call)).isEmpty();
        }
        assertThat(save.stream().map(c -> c.method() + " " + c.path() + " " + json(c))).containsExactly(
                "PATCH /vm {\"state\":\"Paused\"}",
                "PUT /snapshot/create {\"snapshot_path\":\"" + dir + "state.bin\",\"mem_file_path\":\"" + dir
                        + "memory.bin\",\"snapshot_type\":\"Full\"}");
        // Only the logger may come before a load; the load names this VM's own vsock socket.
        List<String> expected = new ArrayList<>();
        if (log) {
            expected.add("PUT /logger");
        }
        expected.addAll(List.of("PUT /snapshot/load", "PATCH /vm"));
        assertThat(restore.stream().map(c -> c.method() + " " + c.path()).toList()).isEqualTo(expected);
        assertThat(json(restore.get(log ? 1 : 0))).isEqualTo("{\"snapshot_path\":\"" + dir + "snapshot.state\","
                + "\"mem_backend\":{\"backend_type\":\"File\",\"backend_path\":\"" + dir + "snapshot.memory\"},"
                + "\"resume_vm\":false,\"vsock_override\":{\"uds_path\":\"" + dir + "vsock.sock\"}}");
        assertThat(json(restore.getLast())).isEqualTo("{\"state\":\"Resumed\"}");
    }

    static Stream<Arguments> templatePlans() {
        return Stream.of(Arguments.of(false, false), Arguments.of(true, false), Arguments.of(false, true),
                Arguments.of(true, true));
    }

    @Test
    void snapshotBodiesTheSwaggerRefusesAreRefused() {
        // the checker itself catches what the records would never make
        assertThat(contract.violations("PUT", "/snapshot/create", "{\"snapshot_path\":\"/s\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))).isNotEmpty();
        assertThat(contract.violations("PATCH", "/vm", "{\"state\":\"Stopped\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))).isNotEmpty();
        assertThat(contract.violations("PUT", "/vm", "{\"state\":\"Paused\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))).isNotEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SnapshotCreateParams("/s", "/m", "Diff"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SnapshotLoadParams.MemoryBackend("Uffd", "/u"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyLogLevelTheSwaggerListsIsAccepted() {
        // YAML 1.1 would read "Off" as false; the contract must keep it the string Firecracker wants.
        for (String level : List.of("Error", "Warning", "Info", "Debug", "Trace", "Off")) {
            assertThat(contract.violations(ApiCall.logger(LoggerConfig.toFile("/l", level)))).isEmpty();
        }
        assertThat(contract.violations(ApiCall.logger(LoggerConfig.toFile("/l", "Loud")))).isNotEmpty();
    }

    @Test
    void bodiesUseTheSwaggersSnakeCaseNamesAndOmitAbsentOptionals() {
        String boot = json(ApiCall.bootSource(new BootSource("/k", Optional.of("console=ttyS0"), Optional.empty())));
        assertThat(boot).isEqualTo("{\"kernel_image_path\":\"/k\",\"boot_args\":\"console=ttyS0\"}");
        assertThat(json(ApiCall.machineConfig(new MachineConfiguration(2, 512, false))))
                .isEqualTo("{\"vcpu_count\":2,\"mem_size_mib\":512,\"smt\":false}");
        assertThat(json(ApiCall.drive(Drive.data("rootfs", "/r", true))))
                .isEqualTo("{\"drive_id\":\"rootfs\",\"path_on_host\":\"/r\",\"is_root_device\":false,\"is_read_only\":true}");
        assertThat(json(ApiCall.vsock(new Vsock(3, "/v.sock")))).isEqualTo("{\"guest_cid\":3,\"uds_path\":\"/v.sock\"}");
        assertThat(json(ApiCall.action(InstanceActionInfo.instanceStart()))).isEqualTo("{\"action_type\":\"InstanceStart\"}");
        assertThat(json(ApiCall.networkInterface(new NetworkInterface("eth0", "tap0", Optional.of("06:00:00:00:00:01")))))
                .isEqualTo("{\"iface_id\":\"eth0\",\"host_dev_name\":\"tap0\",\"guest_mac\":\"06:00:00:00:00:01\"}");
    }

    // ---- the validator must be able to say no ----

    @Test
    void rejectsAMissingRequiredField() {
        assertThat(contract.violations("PUT", "/boot-source", bytes("{\"boot_args\":\"quiet\"}")))
                .anySatisfy(v -> assertThat(v).contains("kernel_image_path"));
        assertThat(contract.violations("PUT", "/drives/rootfs", bytes("{\"drive_id\":\"rootfs\",\"path_on_host\":\"/r\"}")))
                .anySatisfy(v -> assertThat(v).contains("is_root_device"));
        assertThat(contract.violations("PUT", "/vsock", bytes("{\"uds_path\":\"/v\"}")))
                .anySatisfy(v -> assertThat(v).contains("guest_cid"));
    }

    @Test
    void rejectsAWrongType() {
        assertThat(contract.violations("PUT", "/machine-config", bytes("{\"vcpu_count\":\"two\",\"mem_size_mib\":512}")))
                .anySatisfy(v -> assertThat(v).contains("vcpu_count"));
        assertThat(contract.violations("PUT", "/drives/rootfs",
                bytes("{\"drive_id\":\"rootfs\",\"path_on_host\":\"/r\",\"is_root_device\":\"no\",\"is_read_only\":true}")))
                .anySatisfy(v -> assertThat(v).contains("is_root_device"));
    }

    @Test
    void rejectsAnUnknownActionType() {
        assertThat(contract.violations("PUT", "/actions", bytes("{\"action_type\":\"Reboot\"}")))
                .anySatisfy(v -> assertThat(v).contains("action_type"));
    }

    @Test
    void rejectsOutOfRangeNumbers() {
        assertThat(contract.violations("PUT", "/machine-config", bytes("{\"vcpu_count\":33,\"mem_size_mib\":512}"))).isNotEmpty();
        assertThat(contract.violations("PUT", "/vsock", bytes("{\"guest_cid\":2,\"uds_path\":\"/v\"}"))).isNotEmpty();
    }

    @Test
    void rejectsUnknownPropertiesLikeFirecrackersDenyUnknownFields() {
        assertThat(contract.violations("PUT", "/drives/rootfs",
                bytes("{\"drive_id\":\"rootfs\",\"path_on_host\":\"/r\",\"is_root_device\":false,\"is_read_only\":true,\"root\":1}")))
                .anySatisfy(v -> assertThat(v).contains("root"));
    }

    @Test
    void rejectsBadPathsMethodsAndBodies() {
        assertThat(contract.violations("PUT", "/drive/rootfs", bytes("{}"))).anySatisfy(v -> assertThat(v).contains("no path"));
        assertThat(contract.violations("DELETE", "/drives/rootfs", null)).anySatisfy(v -> assertThat(v).contains("DELETE"));
        assertThat(contract.violations("PUT", "/actions", null)).anySatisfy(v -> assertThat(v).contains("requires a body"));
        assertThat(contract.violations("GET", "/", bytes("{}"))).anySatisfy(v -> assertThat(v).contains("takes no body"));
        assertThat(contract.violations("PUT", "/vsock", bytes("{not json"))).anySatisfy(v -> assertThat(v).contains("not JSON"));
        assertThat(contract.violations("PUT", "/drives/", bytes("{}"))).isNotEmpty();
        assertThat(contract.violations("PUT", "/drives/other",
                bytes("{\"drive_id\":\"rootfs\",\"path_on_host\":\"/r\",\"is_root_device\":false,\"is_read_only\":true}")))
                .anySatisfy(v -> assertThat(v).contains("differs"));
    }

    @Test
    void instanceInfoAnswersAreCheckedToo() {
        assertThat(contract.responseViolations("GET", "/", 200,
                "{\"app_name\":\"Firecracker\",\"id\":\"x\",\"state\":\"Running\",\"vmm_version\":\"1.16.1\"}")).isEmpty();
        assertThat(contract.responseViolations("GET", "/", 200, "{\"id\":\"x\",\"state\":\"Booting\"}")).isNotEmpty();
    }

    @Test
    void theSwaggerIsFirecracker1161() {
        assertThat(contract.version()).isEqualTo("1.16.1");
    }

    /** SHA-256 of Firecracker v1.16.1's swagger, as vendored: a changed copy must be a deliberate change here too. */
    static final String VENDORED_SHA256 = "a514abec7b29700c5ca8bdaebbb960e4ffb46fe1fd4869094c6c63630a6fa41c";

    @Test
    void theVendoredSwaggerIsThePinnedOne() throws Exception {
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(vendored())))
                .isEqualTo(VENDORED_SHA256);
    }

    @Test
    void theVendoredSwaggerIsIdenticalToSharedReference() throws IOException {
        // The CI checkout has shared/ beside the repository; a developer worktree may have it one level up.
        Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Optional<Path> shared = Stream.of(repo.resolveSibling("shared"), repo.getParent().resolveSibling("shared"))
                .map(d -> d.resolve("reference/firecracker-swagger.yaml")).filter(Files::isRegularFile).findFirst();
        if (shared.isEmpty()) {
            // CI promises shared/ beside its clone: there a missing reference is a failure, not a skip.
            assertThat(System.getenv("PYRO_CI")).as("PYRO_CI (set by .ci/run) while shared/reference/"
                    + "firecracker-swagger.yaml is missing beside %s", repo).isNull();
            Assumptions.abort("no shared/reference beside the repository (a developer checkout)");
        }
        assertThat(vendored()).as("test copy vs %s", shared.get()).isEqualTo(Files.readAllBytes(shared.get()));
    }

    private byte[] vendored() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(SwaggerContract.RESOURCE)) {
            assertThat(in).as("test resource %s", SwaggerContract.RESOURCE).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String json(ApiCall call) {
        return call.body().map(b -> new String(FirecrackerApiClient.toJson(b), StandardCharsets.UTF_8)).orElse("");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
