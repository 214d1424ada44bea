/* Development-only trace of where an exec's time goes inside the agent (make EXEC_TRACE=1):
 * CLOCK_MONOTONIC marks at each step, one line per exec (µs since the wake-up that read its
 * OPEN) appended to /run/pyro-exec-trace in a guest, stderr otherwise. Compiled out of every
 * normal build: the marks cost clock reads the hot path should not pay. */
#ifndef PYRO_XTRACE_H
#define PYRO_XTRACE_H

enum xtrace_step {
    XT_OPEN,        /* handle_open entered (frame parsed) */
    XT_PARSED,      /* request parsed, secrets applied */
    XT_CWD,         /* cwd resolved */
    XT_PIPES,       /* pipes made: the measured interval starts here */
    XT_FORKED,      /* the parent is back from the clone/fork */
    XT_SPAWNED,     /* spawn_session returned: the program runs */
    XT_STARTED,     /* "started" queued */
    XT_FLUSH1,      /* first write to the port done */
    XT_CHLD_WAKE,   /* the poll wake-up that brought the SIGCHLD */
    XT_REAPED,      /* waitpid: end of the measured interval */
    XT_RESULT,      /* RESULT queued */
    XT_WRITE2,      /* the last write to the port begins */
    XT_FLUSH2,      /* last write to the port done */
    XT_COUNT
};

#ifdef PYRO_EXEC_TRACE
void xtrace_wake(void);                    /* poll() returned */
void xtrace_mark(enum xtrace_step step);
void xtrace_flushed(void);                 /* after a write of the outbound queue */
void xtrace_flushing(void);                /* before it */
#define XTRACE_WAKE() xtrace_wake()
#define XTRACE(step) xtrace_mark(step)
#define XTRACE_FLUSHED() xtrace_flushed()
#define XTRACE_FLUSHING() xtrace_flushing()
#else
#define XTRACE_WAKE() ((void)0)
#define XTRACE(step) ((void)0)
#define XTRACE_FLUSHED() ((void)0)
#define XTRACE_FLUSHING() ((void)0)
#endif

#endif
