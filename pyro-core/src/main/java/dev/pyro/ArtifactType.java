package dev.pyro;

/** What an export produced on the host; JSON form {@code file}, {@code directory}, {@code symlink}. */
public enum ArtifactType {
    FILE,
    DIRECTORY,
    SYMLINK
}
