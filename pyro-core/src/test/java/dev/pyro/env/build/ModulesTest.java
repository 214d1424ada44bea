package dev.pyro.env.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.PyroException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;

/** Module metadata, signature stripping, dependency order and the cpio, on synthetic modules. */
class ModulesTest {
    static byte[] signed(byte[] body, int sigLen) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(body);
        out.writeBytes(new byte[sigLen]); // the PKCS#7 blob
        byte[] struct = new byte[12];
        ByteBuffer.wrap(struct).putInt(8, sigLen); // big-endian sig_len in the last 4 bytes
        struct[2] = 2; // id_type PKEY_ID_PKCS7
        out.writeBytes(struct);
        out.writeBytes("~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void stripsAppendedSignature() {
        byte[] body = TestElf.module("virtio", List.of("virtio_ring"));
        byte[] withSig = signed(body, 700);
        assertThat(ModuleSignature.isSigned(withSig)).isTrue();
        assertThat(ModuleSignature.strip(withSig)).isEqualTo(body);
        assertThat(ModuleSignature.strip(body)).isSameAs(body);
    }

    @Test
    void rejectsImpossibleSignatureLength() {
        byte[] bad = signed(new byte[10], 0);
        ByteBuffer.wrap(bad).putInt(bad.length - 28 - 4, 1_000_000);
        assertThatThrownBy(() -> ModuleSignature.strip(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsNameAndDependsFromModinfo() {
        KernelModule m = KernelModule.read(Path.of("virtio-net.ko"),
                signed(TestElf.module("virtio_net", List.of("virtio_ring", "virtio", "net_failover")), 500));
        assertThat(m.name()).isEqualTo("virtio_net");
        assertThat(m.depends()).containsExactly("virtio_ring", "virtio", "net_failover");
        KernelModule none = KernelModule.read(Path.of("vsock.ko"), TestElf.module("depends=", "license=GPL"));
        assertThat(none.name()).isEqualTo("vsock");
        assertThat(none.depends()).isEmpty();
    }

    static Map<String, KernelModule> debianLike() {
        Map<String, List<String>> deps = Map.ofEntries(
                Map.entry("virtio", List.of("virtio_ring")), Map.entry("virtio_ring", List.of()),
                Map.entry("virtio_mmio", List.of("virtio", "virtio_ring")),
                Map.entry("virtio_net", List.of("virtio_ring", "virtio", "net_failover")),
                Map.entry("net_failover", List.of("failover")), Map.entry("failover", List.of()),
                Map.entry("overlay", List.of()));
        Map<String, KernelModule> map = new HashMap<>();
        deps.forEach((n, d) -> map.put(n, new KernelModule(n, d, Path.of(n + ".ko"))));
        return map;
    }

    @Test
    void ordersDependenciesFirstAndAddsMissingOnes() {
        List<String> order = ModuleResolver.order(List.of("virtio", "virtio_ring", "virtio_mmio", "virtio_net", "overlay"),
                debianLike()::get).stream().map(KernelModule::name).toList();
        assertThat(order).containsExactly("virtio_ring", "virtio", "virtio_mmio", "failover", "net_failover", "virtio_net", "overlay");
    }

    @Test
    void reportsMissingDependencyAndCycles() {
        Map<String, KernelModule> m = new HashMap<>(debianLike());
        m.remove("failover");
        assertThatThrownBy(() -> ModuleResolver.order(List.of("virtio_net"), m::get))
                .isInstanceOf(PyroException.class).hasMessageContaining("failover").hasMessageContaining("net_failover");
        m.put("a", new KernelModule("a", List.of("b"), Path.of("a.ko")));
        m.put("b", new KernelModule("b", List.of("a"), Path.of("b.ko")));
        assertThatThrownBy(() -> ModuleResolver.order(List.of("a"), m::get)).hasMessageContaining("cycle");
    }

    @Test
    void cpioIsReadableAndByteReproducible() throws Exception {
        List<KernelModule> order = ModuleResolver.order(List.of("virtio_mmio", "overlay"), debianLike()::get);
        List<byte[]> contents = new ArrayList<>();
        for (KernelModule k : order) {
            contents.add(("content of " + k.name()).getBytes(StandardCharsets.UTF_8));
        }
        List<ModulesCpio.ModuleFile> files = ModulesCpio.name(order, contents);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ModulesCpio.write(files, a);
        List<ModulesCpio.ModuleFile> shuffled = new ArrayList<>(files);
        java.util.Collections.reverse(shuffled);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ModulesCpio.write(shuffled, b);
        assertThat(Arrays.equals(a.toByteArray(), b.toByteArray())).as("same bytes whatever the input order").isTrue();
        assertThat(a.size() % 512).isZero();

        List<String> names = new ArrayList<>();
        Map<String, String> content = new HashMap<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(a.toByteArray()))) {
            CpioArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                assertThat(e.getUID()).isZero();
                assertThat(e.getTime()).isZero();
                if (e.isDirectory()) {
                    assertThat(e.getMode() & 07777).isEqualTo(0755);
                } else {
                    assertThat(e.getMode() & 07777).isEqualTo(0644);
                    content.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(names).containsExactly("lib", "lib/pyro", "lib/pyro/modules",
                "lib/pyro/modules/10-virtio_ring.ko", "lib/pyro/modules/11-virtio.ko", "lib/pyro/modules/12-virtio_mmio.ko",
                "lib/pyro/modules/13-overlay.ko");
        assertThat(content).containsEntry("lib/pyro/modules/11-virtio.ko", "content of virtio");

        // What doctor reads back: the module names, in load order, without number or suffix.
        Path cpio = java.nio.file.Files.createTempFile("modules", ".cpio");
        try {
            java.nio.file.Files.write(cpio, a.toByteArray());
            assertThat(GuestModules.listed(cpio)).containsExactly("virtio_ring", "virtio", "virtio_mmio", "overlay")
                    .doesNotContain(GuestModules.BALLOON);
            java.nio.file.Files.write(cpio, "not a cpio".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> GuestModules.listed(cpio)).isInstanceOf(java.io.IOException.class);
        } finally {
            java.nio.file.Files.delete(cpio);
        }
    }

    @Test
    void everyGuestGetsTheBalloonDriver() {
        assertThat(GuestModules.WANTED).contains(GuestModules.BALLOON);
        assertThat(GuestModules.BALLOON).isEqualTo("virtio_balloon");
    }
}
