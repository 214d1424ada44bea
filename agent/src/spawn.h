/* Starting a program in a session of its own, knowing whether it started. */
#ifndef PYRO_SPAWN_H
#define PYRO_SPAWN_H
#include <sys/types.h>

/* Forks a child that drops the agent's signal setup (every signal at its default, the
 * ignored ones the agent inherited included; nothing blocked), leads a new session (so the
 * agent can signal its whole process group), dies with a killed agent
 * (PR_SET_PDEATHSIG), then calls setup(arg): it sets up descriptors, directory and
 * environment and execs; if it returns, its value is the errno to report. Returns
 * the child's pid once the program runs, or -1 with *err set and *in_child = 1
 * when the child failed (it is reaped), 0 when the fork or its pipe did. */
pid_t spawn_session(int (*setup)(void *arg), void *arg, int *err, int *in_child);

/* The same without copying the agent's memory: the child shares it (clone with CLONE_VM |
 * CLONE_VFORK, on a stack of its own) and the agent is suspended until the child has exec'd
 * or exited, so no page tables are copied and no pipe is needed to learn the outcome (under
 * TCG the copy and the pipe cost more than the command `true` itself). The price: setup runs
 * in the agent's address space, so it must be async-signal-safe and leave no trace there: no
 * heap, no environ changes, no stdio, nothing that locks; everything it needs is prepared by
 * the caller (argv, envp, the resolved cwd). Same contract otherwise. */
pid_t spawn_session_shared(int (*setup)(void *arg), void *arg, int *err, int *in_child);

/* Which signals the agent ignores is read once, at the first spawn; call this after changing
 * it (tests do) so the next spawn reads it again. */
void spawn_signals_changed(void);

/* _exit() for a spawn_session_shared child: the raw system call, and not declared noreturn:
 * ASan's handling before a noreturn call does not know the child's stack. Never returns. */
void spawn_child_exit(int status);

#endif
