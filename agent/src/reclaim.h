/* Giving an idle guest's memory back to the host: the guest drops its clean
 * caches and compacts free memory into large blocks, which the virtio_balloon
 * driver's free page reporting hands to the VMM, which unmaps them. Without a
 * bound balloon that negotiated reporting, dropping caches would only cost the
 * next command its warm cache (and compaction would touch pages the VMM shares
 * with a template), so the reclaim is off there. Guest PID 1 only: never on a host. */
#ifndef PYRO_RECLAIM_H
#define PYRO_RECLAIM_H
#include <sys/types.h>

/* 1 when a bound virtio_balloon device negotiated free page reporting (the VMM
 * takes reported pages back). A template VM's balloon has it off. */
int reclaim_page_reporting(void);
/* Starts a reclaim in a child process (the loop stays responsive; the loop's
 * reaper collects it). Returns its pid, or -1. */
pid_t reclaim_start(void);

#endif
