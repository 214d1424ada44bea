/* The workspace disk's file system as a whole (docs/protocol.md §5 workspace_freeze,
 * §9): freezing it for a snapshot and before power-off, and whether it is mounted
 * read-only (a disk tool's helper VM) or for an export (scrubbed). */
#ifndef PYRO_WSDISK_H
#define PYRO_WSDISK_H

/* 1 while a workspace_freeze stream holds the file system frozen */
extern int g_wsdisk_frozen;

/* syncfs() of the workspace disk's mount: every dirty page and the journal written out
 * while writers go on. 0, or -errno (-ENOENT when no workspace disk is mounted). */
int wsdisk_sync(void);
/* FIFREEZE of the workspace disk's mount (which also writes everything out and
 * leaves the journal clean). 0, or -errno: -ENOENT when no workspace disk is
 * mounted, -EBUSY when it is frozen already. */
int wsdisk_freeze(void);
/* FITHAW; 0 or -errno. */
int wsdisk_thaw(void);
/* Before power-off: freeze (best effort) so the image on the host is clean and
 * needs no journal replay; a file system frozen already stays so. */
void wsdisk_quiesce_for_poweroff(void);
/* 1 when the workspace disk is mounted read-only */
int wsdisk_read_only(void);

#endif
