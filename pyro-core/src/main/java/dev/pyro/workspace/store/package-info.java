/**
 * The on-disk state of workspaces under {@code <PYRO_HOME>/workspaces/}: records written
 * atomically, inter-process locks, the command journal and expiry bookkeeping.
 *
 * <p>Nothing here starts or stops VMs; the workspace lifecycle uses this package to
 * remember what it did so any later pyro process (CLI, SDK program, MCP server) can pick
 * a workspace up again. {@code docs/workspace-state.md} describes the layout, the file
 * formats, the locking rules and what a crash leaves behind.
 */
package dev.pyro.workspace.store;
