/* A whole agent session in-process for fuzzing (development mode, no transport): frames go
 * straight into the session's reassembler, replies are dropped, and the workspace root is a
 * fresh directory inside a sandbox (a private mount namespace where everything but the work
 * tmpfs and $PYRO_FUZZ_WRITABLE is read-only), so a bug that writes outside the root can
 * only hit the sentinel directory the harness checks after every input. */
#ifndef PYRO_FUZZ_HARNESS_H
#define PYRO_FUZZ_HARNESS_H
#include <stddef.h>
#include <stdint.h>

/* Sets up the sandbox once, empties the root and the staging area, resets the session
 * (past the handshake). */
void harness_begin(void);
/* One frame into the session, then its input processed. */
void harness_send(uint8_t type, uint8_t flags, uint32_t stream, const void *payload, uint32_t len);
/* Timers and producers, a bounded number of rounds; replies dropped. */
void harness_settle(void);
/* Cancels what is left (as a disconnect does) and checks the invariants: nothing outside
 * the root, the staging area empty again. Aborts on a violation. */
void harness_end(void);
/* The workspace root's path (inside the sandbox's work directory). */
const char *harness_root(void);
#endif
