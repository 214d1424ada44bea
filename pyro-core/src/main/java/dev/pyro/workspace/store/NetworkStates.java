package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.NetworkPolicy;
import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * Reads and writes a workspace's network state: the policy ({@link NetworkSettings}, written
 * once at create) and its published ports ({@link PortForward}, one file per host port, so
 * processes publishing at once never rewrite each other's state). Readers take no lock.
 */
public final class NetworkStates {
    private NetworkStates() {
    }

    /** Writes the policy (and allow-list) of a workspace being created. */
    public static void writeSettings(WorkspacePaths paths, NetworkSettings settings) {
        try {
            Files.createDirectories(paths.networkDir());
            AtomicFiles.write(paths.networkFile(), StateJson.write(settings, null));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot write " + paths.networkFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The policy of a workspace: its {@code network.json}, or for a workspace created before
     * there was one, egress when its record says it has a network.
     */
    public static NetworkPolicy policy(WorkspacePaths paths, WorkspaceRecord record) {
        return settings(paths, record).networkPolicy();
    }

    /** The network settings of a workspace (see {@link #policy}), its allow-list included. */
    public static NetworkSettings settings(WorkspacePaths paths, WorkspaceRecord record) {
        try {
            return StateJson.read(Files.readAllBytes(paths.networkFile()), NetworkSettings.class,
                    NetworkSettings.FORMAT).value();
        } catch (NoSuchFileException e) {
            return NetworkSettings.of(record.network() ? NetworkPolicy.EGRESS : NetworkPolicy.OFF, List.of());
        } catch (IOException | JacksonException | IllegalArgumentException | StateJson.NewerFormatException
                | PyroException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "workspace " + paths.id().value() + " has an unreadable network record "
                    + paths.networkFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Claims {@code port.hostPort()} for this workspace: its file is created, never replaced.
     *
     * @return false when the workspace already publishes that host port
     */
    public static boolean claim(WorkspacePaths paths, PortForward port) {
        Path file = portFile(paths, port.hostPort());
        try {
            Files.createDirectories(paths.publishedPortsDir());
            Path tmp = Files.createTempFile(paths.publishedPortsDir(), ".port", ".tmp");
            try {
                Files.write(tmp, StateJson.write(port, null));
                Files.createLink(file, tmp);   // atomic, and fails if the file exists
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets a published port (no-op when already gone). */
    public static void release(WorkspacePaths paths, int hostPort) {
        try {
            Files.deleteIfExists(portFile(paths, hostPort));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot remove " + portFile(paths, hostPort) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The published ports, by host port; unreadable files are skipped (a crash mid-write left them). */
    public static List<PortForward> published(WorkspacePaths paths) {
        List<PortForward> ports = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(paths.publishedPortsDir(), "*.json")) {
            for (Path f : dir) {
                try {
                    ports.add(StateJson.read(Files.readAllBytes(f), PortForward.class, PortForward.FORMAT).value());
                } catch (IOException | JacksonException | IllegalArgumentException | StateJson.NewerFormatException e) {
                    // not ours to interpret; it is removed with the VM's forwards
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot list " + paths.publishedPortsDir() + ": "
                    + e.getMessage(), e);
        }
        ports.sort(Comparator.comparingInt(PortForward::hostPort));
        return List.copyOf(ports);
    }

    /** Forgets every published port (the VM that held their forwards is gone). */
    public static void releaseAll(WorkspacePaths paths) {
        published(paths).forEach(p -> release(paths, p.hostPort()));
    }

    private static Path portFile(WorkspacePaths paths, int hostPort) {
        return paths.publishedPortsDir().resolve(hostPort + ".json");
    }
}
