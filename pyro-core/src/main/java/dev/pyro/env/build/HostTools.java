package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Finds host programs. Searches {@code PATH} and then the sbin directories, because
 * {@code mke2fs} and friends live in {@code /usr/sbin}, which an ordinary user's
 * {@code PATH} often lacks on Debian.
 */
public final class HostTools {
    private final List<Path> searchPath;

    /** Tools on the given directories, in order. */
    public HostTools(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
    }

    /** Tools on this process's {@code PATH} plus {@code /usr/sbin} and {@code /sbin}. */
    public static HostTools system() {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String p : path.split(File.pathSeparator)) {
            if (!p.isBlank()) {
                dirs.add(Path.of(p));
            }
        }
        dirs.addAll(List.of(Path.of("/usr/local/sbin"), Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"), Path.of("/bin")));
        return new HostTools(new ArrayList<>(dirs));
    }

    /**
     * The absolute path of {@code tool}.
     *
     * @throws PyroException {@link ErrorCode#MISSING_HOST_TOOL} naming the package to install
     */
    public Path require(HostTool tool) {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(tool.command());
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new PyroException(ErrorCode.MISSING_HOST_TOOL,
                tool.command() + " not found: apt-get install " + tool.debianPackage());
    }

    /** Checks every tool at once, so a user learns about all missing packages in one go. */
    public void requireAll(List<HostTool> tools) {
        LinkedHashSet<String> missingCommands = new LinkedHashSet<>();
        LinkedHashSet<String> packages = new LinkedHashSet<>();
        for (HostTool tool : tools) {
            try {
                require(tool);
            } catch (PyroException e) {
                missingCommands.add(tool.command());
                packages.add(tool.debianPackage());
            }
        }
        if (!missingCommands.isEmpty()) {
            throw new PyroException(ErrorCode.MISSING_HOST_TOOL, String.join(", ", missingCommands)
                    + " not found: apt-get install " + String.join(" ", packages));
        }
    }
}
