package dev.pyro.cli;

import picocli.CommandLine.Option;

/** The {@code --json} flag every command takes. */
final class JsonOption {
    @Option(names = "--json", description = "Print one JSON document on stdout instead of human output.")
    boolean json;
}
