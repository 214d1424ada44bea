/* The child's side of exec: from the clone to the exec of the command, in the agent's memory
 * (spawn_session_shared), so system calls and string copies only, on what the agent prepared. */
#ifndef PYRO_EXEC_CHILD_H
#define PYRO_EXEC_CHILD_H
#include "request.h"

struct exec_child {
    char *const *argv, *const *envp;
    const char *path;   /* PATH of envp, or NULL */
    int cwdfd, in, out, err;   /* in < 0: /dev/null */
};

/* For spawn_session_shared: cwd, stdio, then the exec with envp, argv[0] looked up in path
 * as execvp does. Returns the errno of a failure before the exec; a failed exec exits 127 or
 * 126 with a shell's line on stderr. */
int exec_child_main(void *arg);

/* The child's environment: the agent's (exec_set_base_env, session.h) with the request's variables
 * over it, later ones winning, as putenv() one after the other gave it. The strings stay the
 * agent's and the request's; only the array is new (free it), NULL without memory.
 * *path: the value of its PATH, or NULL. */
char **exec_child_env(const struct request *r, const char **path);

#endif
