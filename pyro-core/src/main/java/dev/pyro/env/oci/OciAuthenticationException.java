package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;

/**
 * The registry or its token server refused us: missing or wrong credentials, or no right to
 * the repository. The code is {@link ErrorCode#ENVIRONMENT_BUILD_FAILED} (there is no
 * dedicated auth code); the type lets callers tell it apart.
 */
public final class OciAuthenticationException extends PyroException {
    private static final long serialVersionUID = 1L;

    OciAuthenticationException(String message) {
        super(ErrorCode.ENVIRONMENT_BUILD_FAILED, message);
    }
}
