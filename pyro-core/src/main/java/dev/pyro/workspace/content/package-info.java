/**
 * The workspace content engine: what {@code /workspace} holds, captured, compared and copied
 * out. It serves {@code pyro workspace diff} and {@code pyro workspace export} today, and is
 * the place for snapshot manifests next:
 * an immutable baseline of {@code /workspace} captured once after seeding
 * ({@link dev.pyro.workspace.content.BaselineStore}), a diff of the live workspace against it
 * computed on the host ({@link dev.pyro.workspace.content.WorkspaceDiffer}), and safe
 * extraction of exported guest paths to the host ({@link dev.pyro.workspace.content.HostExport}).
 *
 * <p>The guest only ever sends what the host needs to decide: a hashed manifest of the
 * tree, and the content of changed files. Nothing here touches the command journal or
 * shell state. {@code docs/diff-and-export.md} describes formats and costs.
 */
package dev.pyro.workspace.content;
