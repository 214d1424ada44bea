package dev.pyro.cli;

/**
 * The two picocli system properties the CLI sets before it builds its first command, each
 * only when not already given (picocli documents both as user settings, so a
 * {@code -D} from outside still wins). Neither changes what the CLI parses or prints:
 * <ul>
 *   <li>{@code picocli.disable.closures=true}: picocli's default factory looks for Groovy
 *       ({@code Class.forName("groovy.lang.Closure")}) when it is first used, to run
 *       closures in annotations. pyro declares no annotations; the failed lookup searched the
 *       class path, which opened pyro's jar (its central directory, ~7,000 entries) on the
 *       command tree's path.</li>
 *   <li>{@code picocli.converters.excludes=.*}: every {@code CommandLine} (one per command
 *       on the invoked path) registers reflective converters for {@code java.sql},
 *       {@code java.time} and {@code java.nio.file.Path} types, each with
 *       {@code Class.forName} (which initialises the {@code java.time} classes and their
 *       formatters) and {@code getDeclaredMethod}. The excludes match only those reflective
 *       registrations; pyro's options are booleans, numbers, strings and lists of strings
 *       ({@link CliTree}), whose converters are registered directly and stay.</li>
 * </ul>
 */
final class PicocliSettings {
    /** Picocli's switch for Groovy closures in annotations. */
    static final String CLOSURES = "picocli.disable.closures";
    /** Picocli's regex list of types whose reflective converters are not registered. */
    static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

    private PicocliSettings() {
    }

    /** Sets both properties, each unless already set. */
    static void apply() {
        System.getProperties().putIfAbsent(CLOSURES, "true");
        System.getProperties().putIfAbsent(CONVERTER_EXCLUDES, ".*");
    }
}
