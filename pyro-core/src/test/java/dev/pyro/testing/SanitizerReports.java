package dev.pyro.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which a sanitizer build of the agent reported an error. The
 * {@code agent-sanitizers} Maven profile runs the agent-level tests against an ASan+UBSan
 * agent whose reports go to files ({@code log_path} in {@code ASAN_OPTIONS} and
 * {@code UBSAN_OPTIONS}) in the directory named by the system property {@value #PROPERTY}.
 * A report must fail a test even when the test itself cannot notice: a leak reported at exit,
 * an error in an agent the test kills anyway. Registered through auto-detection, which only
 * that profile turns on; without the property it does nothing.
 */
public final class SanitizerReports implements AfterEachCallback, AfterAllCallback {
    /** System property: the directory sanitizer reports are written to. */
    public static final String PROPERTY = "pyro.sanitizer.reports";
    private static final int SHOWN = 8_000;
    private static final Set<Path> SEEN = new HashSet<>();

    /** Whether this run drives the sanitizer build of the agent (a glibc binary, not the guest's musl one). */
    public static boolean active() {
        String dir = System.getProperty(PROPERTY);
        return dir != null && !dir.isBlank();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        check(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        check(context.getDisplayName() + " (after all)");
    }

    private static synchronized void check(String where) throws IOException {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
            return;
        }
        List<Path> fresh;
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            fresh = s.filter(p -> !SEEN.contains(p)).sorted().toList();
        }
        if (fresh.isEmpty()) {
            return;
        }
        SEEN.addAll(fresh);
        StringBuilder text = new StringBuilder("sanitizer report(s) from the agent during " + where + ":\n");
        for (Path p : fresh) {
            String report = Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
            text.append("== ").append(p.getFileName()).append('\n')
                    .append(report, 0, Math.min(report.length(), SHOWN)).append('\n');
        }
        throw new AssertionError(text.toString());
    }
}
