/* Guest boot and PID-1 duties (docs/protocol.md §9). */
#ifndef PYRO_INIT_H
#define PYRO_INIT_H
#include <stddef.h>
#include <stdint.h>

/* initramfs /init stage: mounts, modules, root switch, exec --guest. Never returns. */
void init_stage(void) __attribute__((noreturn));
/* --guest as PID 1: mount what is missing, /workspace, hostname. */
void guest_pid1_setup(void);
/* make sure fds 0..2 are open (console or /dev/null) so pipes never land there */
void ensure_std_fds(void);
/* shutdown: kill everything, sync, power off / reboot (PID 1 only). */
void guest_power(int reboot_instead) __attribute__((noreturn));

/* the value of key= on the running kernel's command line (1, out) or 0 */
int proc_cmdline_get(const char *key, char *out, size_t outsz);
/* pyro.ttl=SECONDS from /proc/cmdline (0 = none) */
uint64_t guest_ttl_seconds(void);
/* pyro.idle_reclaim=SECONDS from /proc/cmdline (0 = never; default IDLE_RECLAIM_DEFAULT_S) */
uint64_t guest_idle_reclaim_seconds(void);
/* write a line to /dev/console (the VMM's console log) */
void console_line(const char *line);

#endif
