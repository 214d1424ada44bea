package dev.pyro.env.build;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A kernel module file and what its {@code .modinfo} section says about it.
 *
 * @param name    the module name ({@code name=} in modinfo, else the file name with '-' as '_')
 * @param depends the modules that must be loaded first ({@code depends=})
 * @param file    where the {@code .ko} lies
 */
public record KernelModule(String name, List<String> depends, Path file) {
    public KernelModule {
        Objects.requireNonNull(name, "name");
        depends = List.copyOf(depends);
        Objects.requireNonNull(file, "file");
    }

    /**
     * Reads name and dependencies from a module's bytes. Why parse the ELF: there is no
     * {@code modinfo} tool on a minimal host and Debian's package ships no {@code modules.dep}.
     */
    public static KernelModule read(Path file, byte[] bytes) {
        String fallbackName = normalize(file.getFileName().toString().replaceFirst("\\.ko$", ""));
        ByteBuffer modinfo = ElfImage.parse(ByteBuffer.wrap(bytes)).section(".modinfo")
                .orElseThrow(() -> new IllegalArgumentException(file + " has no .modinfo section"));
        String name = fallbackName;
        List<String> depends = new ArrayList<>();
        for (String entry : splitNul(modinfo)) {
            if (entry.startsWith("name=") && entry.length() > 5) {
                name = entry.substring(5);
            } else if (entry.startsWith("depends=")) {
                for (String d : entry.substring(8).split(",")) {
                    if (!d.isBlank()) {
                        depends.add(normalize(d.strip()));
                    }
                }
            }
        }
        return new KernelModule(name, depends, file);
    }

    /** Module names treat '-' and '_' alike; the canonical form uses '_'. */
    public static String normalize(String name) {
        return name.replace('-', '_');
    }

    private static List<String> splitNul(ByteBuffer b) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.limit(); i++) {
            if (b.get(i) == 0) {
                if (i > start) {
                    byte[] s = new byte[i - start];
                    b.get(start, s);
                    out.add(new String(s, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return out;
    }
}
