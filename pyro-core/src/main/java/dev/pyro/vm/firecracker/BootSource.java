package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.Optional;

/**
 * Body of {@code PUT /boot-source} (swagger definition {@code BootSource}).
 *
 * @param kernelImagePath uncompressed ELF {@code vmlinux} (Firecracker boots nothing else on x86)
 * @param bootArgs        kernel command line
 * @param initrdPath      the one initramfs file (Firecracker takes a single initrd)
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record BootSource(
        @JsonProperty("kernel_image_path") String kernelImagePath,
        @JsonProperty("boot_args") Optional<String> bootArgs,
        @JsonProperty("initrd_path") Optional<String> initrdPath) {
    public BootSource {
        Objects.requireNonNull(kernelImagePath, "kernelImagePath");
        Objects.requireNonNull(bootArgs, "bootArgs");
        Objects.requireNonNull(initrdPath, "initrdPath");
    }
}
