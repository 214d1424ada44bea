/* The processes of a session, found in /proc: what shells and services use to
 * hang up, stop or kill everything a program started (its jobs and their children
 * too, whatever process group they moved to; not what called setsid() itself). */
#ifndef PYRO_PROC_H
#define PYRO_PROC_H
#include <sys/types.h>

/* Sends sig to every process whose session is sid (never to the agent itself).
 * Returns how many were signalled; with sig 0, how many exist (zombies included). */
int proc_signal_session(pid_t sid, int sig);

#endif
