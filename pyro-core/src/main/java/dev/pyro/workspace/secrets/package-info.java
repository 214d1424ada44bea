/**
 * Workspace secrets (2.9.0): the validated set fixed at create ({@link SecretSet}), the host
 * copy of the values outside {@code PYRO_HOME} ({@link SecretVault}), the names a status shows
 * ({@link SecretNames}), and the host's redaction net ({@link Redactor}). See docs/secrets.md.
 */
package dev.pyro.workspace.secrets;
