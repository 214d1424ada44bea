/**
 * Unified diffs read and applied on the host, for {@code pyro workspace patch apply}: a
 * parser for what {@code git diff} and {@code pyro workspace diff} write (and plain
 * {@code diff -u}), and an applier that matches every hunk's context exactly — it may find a
 * hunk a few lines from where its header says, as {@code git apply} does, but never changes
 * a line the patch did not expect. Nothing here talks to the guest: the caller reads the
 * files, applies, and writes every result at once ({@code dev.pyro.workspace.WorkspacePatcher}).
 *
 * <p>Own code rather than java-diff-utils' {@code UnifiedDiffReader}: the patch format's
 * corners decide correctness here (git's extended headers for new, deleted, renamed and
 * binary files and modes, {@code \ No newline at end of file} on either side, hunk counts
 * that must agree with the body), and a rejection must name the file, the hunk and the line.
 */
package dev.pyro.workspace.patch;
