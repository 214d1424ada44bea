package dev.pyro.workspace;

import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.workspace.disk.DiskLayers;
import java.nio.file.Path;

/**
 * The empty {@code /workspace} disk a workspace template is built with: made exactly as a new
 * workspace's is (qcow2: an empty ext4 base and its first layer; raw: the empty ext4 image), so a workspace made from the
 * template holds the same files a cold-booted one would, plus what the template's guest wrote.
 */
public final class TemplateDisk implements TemplateService.DiskMaker {
    @Override
    public void make(Path dir, DiskFormat format) {
        DiskLayers layers = DiskLayers.of(format, dir);
        WorkspaceDisk.create(layers.baseImage());
        String active = layers.init().active();
        if (!active.equals(TemplateService.DiskMaker.active(format))) {
            throw new IllegalStateException("a new disk's first layer is " + active + ", templates expect "
                    + TemplateService.DiskMaker.active(format));
        }
    }
}
