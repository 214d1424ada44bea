package dev.pyro.contract;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tool descriptions written for a model: what the tool is for, when to use it rather than a
 * neighbour, and one example of its arguments (after {@value #EXAMPLE}, as a JSON object).
 * The MCP server sends these instead of the one-line summaries people read in help texts. Every
 * MCP tool of every profile has one (a test checks, and checks each example against the tool's
 * parameters); an operation without a tool has none and falls back to its summary.
 */
public final class ToolGuides {
    /** What precedes the example arguments in every guide. */
    public static final String EXAMPLE = "Example arguments: ";

    private static final Map<Operation, String> GUIDES = guides();

    private ToolGuides() {
    }

    /** The guide of {@code operation}, if it has one. */
    public static Optional<String> guide(Operation operation) {
        return Optional.ofNullable(GUIDES.get(operation));
    }

    /** The description a model reads: the guide, else the summary. */
    public static String description(Operation operation) {
        return guide(operation).orElse(operation.summary());
    }

    /** The example arguments of a guide (the JSON object after {@value #EXAMPLE}). */
    public static Optional<String> example(Operation operation) {
        return guide(operation).map(g -> g.substring(g.indexOf(EXAMPLE) + EXAMPLE.length()).strip());
    }

    private static void put(Map<Operation, String> g, Operation op, String purpose, String example) {
        g.put(op, purpose + " " + EXAMPLE + example);
    }

    private static Map<Operation, String> guides() {
        Map<Operation, String> g = new HashMap<>();
        put(g, Contract.ENV_LIST, "List the environments (guest operating systems with their tools) and which "
                + "are installed; the names go into workspace_create or vm_run. Installed ones start fastest.",
                "{}");
        put(g, Contract.RUN, "Run one command in a fresh microVM that is thrown away afterwards: nothing is "
                + "kept. Use it for a single check; use workspace_create and workspace_exec when later commands "
                + "need the files or state of earlier ones. command is a shell string (run with sh -lc) or an "
                + "argv array. Network is off unless asked.",
                "{\"environment\": \"debian:12\", \"command\": \"uname -a && git --version\"}");
        put(g, Contract.WORKSPACE_CREATE, "Create a persistent sandbox (a microVM) whose /workspace keeps files "
                + "between calls; it starts at once and returns its workspace_id, which every other workspace "
                + "tool takes. Seed /workspace from a host directory or archive with seed_path. Give a name and "
                + "labels to find it again with workspace_list. Delete it when done.",
                "{\"environment\": \"debian:12\", \"seed_path\": \"./project\", \"name\": \"fix-login-bug\", "
                        + "\"labels\": [\"task=login\"]}");
        put(g, Contract.WORKSPACE_SYNC_PUSH, "Copy a host directory or .tar/.tar.gz archive into /workspace of a "
                + "started workspace (atomically: a bad archive changes nothing). Use workspace_file_write for "
                + "one file's content instead.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"source_path\": \"./fixtures\", \"dest\": \"tests/data\"}");
        put(g, Contract.WORKSPACE_EXEC, "Run a command in /workspace of a started workspace; files persist between "
                + "calls and every command is journaled. command is a shell string (run with sh -lc: pipes, && "
                + "and redirections work) or an argv array. The result has exit_code, stdout and stderr; a "
                + "timeout gives exit code 124. To read or change files prefer the file tools.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"command\": \"python3 -m pytest -q\", "
                        + "\"timeout_seconds\": 120}");
        put(g, Contract.WORKSPACE_DIFF, "Show what changed in /workspace since the workspace was created (its "
                + "seed is the baseline): counts, one entry per changed path, and a unified patch of the text "
                + "changes. Use it to review work before workspace_export; it runs nothing in the guest.",
                "{\"workspace_id\": \"ws-0123456789ab\"}");
        put(g, Contract.WORKSPACE_EXPORT, "Copy a file or directory from /workspace to the host (a new path "
                + "unless force). Use it to bring results out; use workspace_file_read to only look at a file.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"path\": \"dist\", \"output_path\": \"./out/dist\"}");
        put(g, Contract.WORKSPACE_STATUS, "Show one workspace's state (started, stopped, failed, expired), "
                + "resources, times, name, labels and last command. Use it when another tool says the workspace "
                + "is not running.",
                "{\"workspace_id\": \"ws-0123456789ab\"}");
        put(g, Contract.WORKSPACE_LOGS, "Show the command journal of a workspace: every workspace_exec with its "
                + "exit code and (capped) output, in order. Use it to recall earlier results.",
                "{\"workspace_id\": \"ws-0123456789ab\"}");
        put(g, Contract.WORKSPACE_DELETE, "Delete a workspace: its VM stops and its files are gone. Export "
                + "anything you need first.",
                "{\"workspace_id\": \"ws-0123456789ab\"}");
        put(g, Contract.WORKSPACE_LIST, "List workspaces, most recently active first, with state, name, labels "
                + "and last_activity_at; labels filter (all must match). Use it to find a workspace id again.",
                "{\"labels\": [\"task=login\"]}");
        put(g, Contract.WORKSPACE_UPDATE, "Rename a workspace or change its labels (works in any state); an "
                + "empty name removes the name.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"name\": \"login-fixed\", \"labels\": [\"status=done\"], "
                        + "\"clear_labels\": [\"wip\"]}");
        put(g, Contract.WORKSPACE_FILE_LIST, "List files and directories under /workspace (path relative to it), "
                + "with kind, size and mode; symlinks are shown with their targets. recursive lists the whole "
                + "tree (at most 10000 entries). Cheaper and safer than running ls.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"path\": \"src\", \"recursive\": true}");
        put(g, Contract.WORKSPACE_FILE_READ, "Read a file under /workspace: UTF-8 text comes back as text, "
                + "anything else as base64 with binary=true, and truncated=true says there is more than max_bytes "
                + "(read again with a larger max_bytes). Read a file before patching it.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"path\": \"src/app.py\"}");
        put(g, Contract.WORKSPACE_FILE_WRITE, "Write a whole file under /workspace, replacing it atomically (new "
                + "files and their directories are created; an existing file keeps its mode). Use it for new "
                + "files or full rewrites; use workspace_patch_apply to change a few lines of a large file.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"path\": \"src/util.py\", "
                        + "\"text\": \"def add(a, b):\\n    return a + b\\n\"}");
        put(g, Contract.WORKSPACE_PATCH_APPLY, "Apply a unified diff (as git diff writes it: --- a/PATH, +++ b/PATH, "
                + "@@ hunks) to /workspace. Every hunk is checked against the current files first and the context "
                + "must match exactly; then all files change, or none (the error names the file, hunk and line). "
                + "New, deleted and renamed files work. Read the file first so the context lines are exact.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"patch\": \"--- a/src/app.py\\n+++ b/src/app.py\\n"
                        + "@@ -1,2 +1,2 @@\\n def add(a, b):\\n-    return a - b\\n+    return a + b\\n\"}");
        put(g, Contract.SHELL_OPEN, "Open an interactive shell on a real terminal in a started workspace, for "
                + "programs that need one (a REPL, a prompt, job control). It persists until shell_close. For "
                + "plain commands workspace_exec is simpler.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"cwd\": \"src\"}");
        put(g, Contract.SHELL_READ, "Read a shell's output from a cursor (0, or the next_cursor of the last read). "
                + "plain=true gives the text a person would see; wait_for_idle_ms waits until the shell is quiet, "
                + "so a whole answer comes at once.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"shell_id\": \"3f9ac2e1\", \"cursor\": 0, \"plain\": true, "
                        + "\"wait_for_idle_ms\": 500}");
        put(g, Contract.SHELL_WRITE, "Type text into a shell (Enter is pressed after it unless no_newline); then "
                + "shell_read for the answer.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"shell_id\": \"3f9ac2e1\", \"input\": \"python3\"}");
        put(g, Contract.SHELL_SIGNAL, "Send a signal to the program running in a shell; INT is Ctrl-C and stops "
                + "the command, not the shell.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"shell_id\": \"3f9ac2e1\", \"signal\": \"INT\"}");
        put(g, Contract.SHELL_RESIZE, "Change a shell's terminal size (a full-screen program redraws).",
                "{\"workspace_id\": \"ws-0123456789ab\", \"shell_id\": \"3f9ac2e1\", \"cols\": 160, \"rows\": 48}");
        put(g, Contract.SHELL_LIST, "List a workspace's shells with their state and cursors.",
                "{\"workspace_id\": \"ws-0123456789ab\"}");
        put(g, Contract.SHELL_CLOSE, "Close a shell and end everything it started.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"shell_id\": \"3f9ac2e1\"}");
        put(g, Contract.SERVICE_START, "Start a named long-running program (a dev server, a database, a watcher) "
                + "in a started workspace. The guest supervises it, so it keeps running between calls, and "
                + "workspace_exec commands reach it on 127.0.0.1. Give one readiness check (ready_http, ready_tcp, "
                + "ready_file or ready_command): the call returns once it passes, or fails with the last lines of "
                + "the output. Use workspace_exec for commands that finish, shell_open for interactive programs. "
                + "command is a shell string (run with sh -lc) or an argv array.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"name\": \"web\", \"command\": \"python3 -m http.server "
                        + "8080\", \"ready_http\": \"http://127.0.0.1:8080/\", \"ready_timeout_seconds\": 60}");
        put(g, Contract.SERVICE_LIST, "List a workspace's services, running and ended, with their states "
                + "(starting, ready, running, exited, failed, stopped). Use service_status for one service's "
                + "details and service_logs for its output.",
                "{\"workspace_id\": \"ws-0123456789ab\"}");
        put(g, Contract.SERVICE_STATUS, "Show one service's state, readiness check, times, and its exit code or "
                + "signal with the reason it ended. Check it before relying on a service started earlier; "
                + "service_logs shows why one failed.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"name\": \"web\"}");
        put(g, Contract.SERVICE_LOGS, "Read a service's output while it runs or after it ended: the last 2 MiB "
                + "the guest kept, stdout and stderr in the order they came (stream picks one), or only the last "
                + "tail_lines lines; truncated=true says older output was dropped. workspace_logs is the journal "
                + "of workspace_exec commands instead.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"name\": \"web\", \"tail_lines\": 50}");
        put(g, Contract.SERVICE_STOP, "Stop a service: TERM to every process it started, KILL after "
                + "timeout_seconds (0: at once); it returns once all of them are gone. Stopping an ended service "
                + "changes nothing, and service_start with the same name starts it again. Stopping, resetting or "
                + "deleting the workspace ends its services too.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"name\": \"web\", \"timeout_seconds\": 5}");
        put(g, Contract.WORKSPACE_SNAPSHOT_CREATE, "Save /workspace as it is now under a name, in constant time, "
                + "to come back to it later with workspace_reset. Take one before a risky change (a refactor, an "
                + "upgrade). Running commands finish first. Only /workspace is kept: a reset drops what was "
                + "installed outside it. At most 32 snapshots besides baseline (as created).",
                "{\"workspace_id\": \"ws-0123456789ab\", \"name\": \"tests-green\"}");
        put(g, Contract.WORKSPACE_SNAPSHOT_LIST, "List a workspace's snapshots with their creation times, "
                + "baseline (as created) first; the names go into workspace_reset and snapshot_delete.",
                "{\"workspace_id\": \"ws-0123456789ab\"}");
        put(g, Contract.WORKSPACE_SNAPSHOT_DELETE, "Delete a snapshot you will not reset to any more; /workspace "
                + "and the other snapshots do not change. baseline cannot be deleted. Delete one when the "
                + "workspace already has 32.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"name\": \"tests-green\"}");
        put(g, Contract.WORKSPACE_RESET, "Rebuild a workspace from a snapshot (baseline: as created): a fresh VM "
                + "with /workspace as the snapshot had it; commands, shells and services are gone, the id stays. "
                + "Use it to undo everything since a known-good point, instead of deleting and creating again.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"snapshot\": \"baseline\"}");
        put(g, Contract.WORKSPACE_STOP, "Shut a workspace's VM down to free its memory; its files, snapshots and "
                + "journal stay, and workspace_start boots it again. Use it for a pause, workspace_delete when done.",
                "{\"workspace_id\": \"ws-0123456789ab\"}");
        put(g, Contract.WORKSPACE_START, "Boot a stopped (or expired, or failed) workspace again with its files as "
                + "they were; then every workspace tool works on it again.",
                "{\"workspace_id\": \"ws-0123456789ab\"}");
        put(g, Contract.WORKSPACE_DISK_EXPORT, "Write the whole disk of a stopped workspace to a new host file "
                + "as a raw ext4 image (its workspace directory is /workspace; runtime-only paths are scrubbed). "
                + "Use it to archive a workspace or examine it with other tools; workspace_export copies chosen "
                + "files of a started workspace instead.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"output_path\": \"./out/workspace.img\"}");
        put(g, Contract.WORKSPACE_DISK_LIST, "List files under /workspace of a stopped, expired or failed "
                + "workspace without booting it (a throwaway VM reads its disk read-only); symlinks are shown, "
                + "never followed. On a started workspace use workspace_file_list.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"path\": \"build\", \"recursive\": true}");
        put(g, Contract.WORKSPACE_DISK_READ, "Read a file under /workspace of a stopped, expired or failed "
                + "workspace without booting it (a throwaway VM reads its disk read-only): UTF-8 text, or base64 "
                + "(encoding says which), and truncated=true when it is longer than max_bytes. On a started "
                + "workspace use workspace_file_read; to work on the files again, workspace_start.",
                "{\"workspace_id\": \"ws-0123456789ab\", \"path\": \"build/log.txt\", \"max_bytes\": 200000}");
        put(g, Contract.VM_CREATE, "Create and boot a VM for the original lifecycle (vm_create, then one vm_exec, "
                + "which deletes the VM). New code should use workspace_create, which keeps the VM for many "
                + "commands.",
                "{\"environment\": \"debian:12\"}");
        put(g, Contract.VM_EXEC, "Run one command in a VM from vm_create; the VM is deleted afterwards whatever "
                + "happened (one-shot). command is a shell string or an argv array.",
                "{\"vm_id\": \"ws-0123456789ab\", \"command\": \"make test\"}");
        put(g, Contract.VM_STOP, "Shut a VM down and keep its disk (the same as workspace_stop); vm_start boots "
                + "it again. Use it to free memory between tasks.",
                "{\"vm_id\": \"ws-0123456789ab\"}");
        put(g, Contract.VM_START, "Boot a VM that vm_stop stopped, with its files as they were (the same as "
                + "workspace_start).",
                "{\"vm_id\": \"ws-0123456789ab\"}");
        put(g, Contract.VM_STATUS, "Show a VM's state, resources and times (the same as workspace_status).",
                "{\"vm_id\": \"ws-0123456789ab\"}");
        put(g, Contract.VM_NETWORK_INFO, "Say whether a VM has a network (off unless created with network), and its network "
                + "policy, guest address, DNS and published ports (workspace_status shows the same).",
                "{\"vm_id\": \"ws-0123456789ab\"}");
        put(g, Contract.VM_DELETE, "Delete a VM (the same as workspace_delete).",
                "{\"vm_id\": \"ws-0123456789ab\"}");
        put(g, Contract.VM_REAP_EXPIRED, "Delete every VM or workspace whose time to live ran out, and list "
                + "their ids.",
                "{}");
        return Map.copyOf(g);
    }
}
