package dev.pyro;

import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateShape;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The detached template build a workspace create or run starts when no template fits (see
 * {@link DetachedTemplateBuild}); not a user command. Arguments: {@code --home --environments
 * --cache [--backend] --environment --shape --vcpus --mem}. Exit status 0 when the template is
 * present afterwards (built here or already there), 1 otherwise.
 */
public final class TemplateBuildMain {
    private TemplateBuildMain() {
    }

    /** Builds one template; see the class description. */
    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        try {
            PyroConfig config = new PyroConfig(Path.of(a.get("--home")), Path.of(a.get("--environments")),
                    Path.of(a.get("--cache")), Optional.ofNullable(a.get("--backend"))).withTemplates(true);
            TemplateShape shape = TemplateShape.valueOf(a.get("--shape").toUpperCase(Locale.ROOT));
            Services services = new Services(config);
            Optional<Template> t = services.buildTemplate(a.get("--environment"), shape,
                    Integer.parseInt(a.get("--vcpus")), Integer.parseInt(a.get("--mem")));
            System.err.println(java.time.Instant.now() + " template " + a.get("--environment") + " "
                    + shape.wireName() + ": " + t.map(x -> "present at " + x.dir()).orElse("not built (another "
                    + "process builds it, or this machine cannot have one)"));
            System.exit(t.isPresent() ? 0 : 1);
        } catch (RuntimeException e) {
            System.err.println(java.time.Instant.now() + " template build failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
