/**
 * The workspace lifecycle: create (disk, detached VM, seed), sync push, exec with the
 * command journal, status/list/logs with live checks (dead VM, expiry), and delete. One
 * small class per operation over a shared {@link dev.pyro.workspace.WorkspaceContext};
 * records and locks live in {@link dev.pyro.workspace.store}.
 */
package dev.pyro.workspace;
