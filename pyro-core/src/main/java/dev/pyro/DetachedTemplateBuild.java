package dev.pyro;

import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.template.TemplateService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a template build in a separate, detached JVM ({@link TemplateBuildMain}, in its own
 * session when {@code setsid} exists, so a Ctrl-C meant for the caller does not reach it): a
 * create or run that found no template never waits for one, and a CLI process may exit while
 * the build goes on. The same build is started at most once a minute per machine shape (the
 * builder also takes the template's lock, so two never build one). Output goes to
 * {@code <cache>/template-builds/build.log}.
 */
final class DetachedTemplateBuild implements TemplateService.BackgroundBuild {
    private static final System.Logger LOG = PyroLoggers.of(DetachedTemplateBuild.class);
    private static final Duration AGAIN_AFTER = Duration.ofMinutes(1);

    private final PyroConfig config;

    DetachedTemplateBuild(PyroConfig config) {
        this.config = config;
    }

    @Override
    public void start(TemplateService.BuildRequest request) {
        try {
            Path dir = config.cache().resolve("template-builds");
            Files.createDirectories(dir);
            Path marker = dir.resolve((request.environment() + "-" + request.shape().wireName() + "-" + request.vcpus()
                    + "-" + request.memMib()).replaceAll("[^A-Za-z0-9._-]", "_") + ".started");
            if (Files.exists(marker) && Files.getLastModifiedTime(marker).toInstant()
                    .isAfter(Instant.now().minus(AGAIN_AFTER))) {
                return;
            }
            Files.write(marker, new byte[0]);
            Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
            List<String> argv = command(request);
            LOG.log(System.Logger.Level.DEBUG, () -> "template build: " + String.join(" ", argv));
            Path log = dir.resolve("build.log");
            new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "cannot start a template build in the background: " + e.getMessage());
        }
    }

    private List<String> command(TemplateService.BuildRequest request) {
        List<String> argv = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            argv.add(setsid.toString());
        }
        argv.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                TemplateBuildMain.class.getName()));
        argv.addAll(List.of("--home", config.home().toString(), "--environments", config.environmentCache().toString(),
                "--cache", config.cache().toString()));
        config.backend().ifPresent(b -> argv.addAll(List.of("--backend", b)));
        argv.addAll(List.of("--environment", request.environment(), "--shape", request.shape().wireName(),
                "--vcpus", Integer.toString(request.vcpus()), "--mem", Integer.toString(request.memMib())));
        return argv;
    }
}
