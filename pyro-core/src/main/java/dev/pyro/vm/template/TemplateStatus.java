package dev.pyro.vm.template;

/** What the store holds for one key. */
public sealed interface TemplateStatus {
    /** A word for reports: present, building, missing, unusable. */
    String word();

    /** Built and not known to be bad. */
    record Present(Template template) implements TemplateStatus {
        @Override
        public String word() {
            return "present";
        }
    }

    /** Some process is building it now. */
    record Building() implements TemplateStatus {
        @Override
        public String word() {
            return "building";
        }
    }

    /** Never built (or removed). */
    record Missing() implements TemplateStatus {
        @Override
        public String word() {
            return "missing";
        }
    }

    /** Built, but a restore from it failed or its files are damaged; never used again. */
    record Unusable(String reason) implements TemplateStatus {
        @Override
        public String word() {
            return "unusable";
        }
    }
}
