/* Starting a program in a session of its own, knowing whether it started. */
#ifndef PYRO_SPAWN_H
#define PYRO_SPAWN_H
#include <sys/types.h>

/* Forks a child that drops the agent's signal setup, leads a new session (so the
 * agent can signal its whole process group), dies with a killed agent
 * (PR_SET_PDEATHSIG), then calls setup(arg): it sets up descriptors, directory and
 * environment and execs; if it returns, its value is the errno to report. Returns
 * the child's pid once the program runs, or -1 with *err set and *in_child = 1
 * when the child failed (it is reaped), 0 when the fork or its pipe did. */
pid_t spawn_session(int (*setup)(void *arg), void *arg, int *err, int *in_child);

#endif
