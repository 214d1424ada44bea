package dev.pyro.vm.template;

/**
 * A VM could not be started from a template: the saved state did not load (damaged,
 * truncated, from another build of the VMM). The caller marks the template unusable and boots
 * the VM the ordinary way.
 */
public final class TemplateRestoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the reason a person reads in the logs and in the template's UNUSABLE file. */
    public TemplateRestoreException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
