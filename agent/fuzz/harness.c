#define _GNU_SOURCE
#include "harness.h"
#include "frame.h"
#include "session.h"
#include "staging.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char work[] = "/tmp/pyro-fuzz-XXXXXX";
static char root[64], staging[64], outside[64];
static struct session sess;
static int ready;

static void die(const char *what)
{
    fprintf(stderr, "fuzz harness: %s: %s\n", what, strerror(errno));
    abort();
}

/* Everything read-only except the work tmpfs and the fuzzer's own output directory. */
static void sandbox(void)
{
    if (unshare(CLONE_NEWNS) != 0)
        die("unshare(CLONE_NEWNS) (the session fuzzers need root for their sandbox)");
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        die("making mounts private");
    if (!mkdtemp(work))
        die("mkdtemp");
    if (mount("tmpfs", work, "tmpfs", 0, "size=256m,mode=0700") != 0)
        die("tmpfs on the work directory");
    const char *w = getenv("PYRO_FUZZ_WRITABLE");
    if (w && *w && mount(w, w, NULL, MS_BIND | MS_REC, NULL) != 0)
        die("bind mount of PYRO_FUZZ_WRITABLE");
    struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
    if (mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &ro, sizeof ro) != 0)
        die("read-only /");
    struct mount_attr rw = { .attr_clr = MOUNT_ATTR_RDONLY };
    if (mount_setattr(AT_FDCWD, work, AT_RECURSIVE, &rw, sizeof rw) != 0)
        die("writable work directory");
    if (w && *w && mount_setattr(AT_FDCWD, w, AT_RECURSIVE, &rw, sizeof rw) != 0)
        die("writable PYRO_FUZZ_WRITABLE");
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    if (ftw->level > 0 && remove(path) != 0) {
        chmod(path, 0700);   /* an archive may leave a directory without write permission */
        remove(path);
    }
    return 0;
}

static void empty_dir(const char *dir)
{
    /* twice: a directory an archive left read-only is made writable by the first pass */
    nftw(dir, rm_entry, 64, FTW_DEPTH | FTW_PHYS);
    if (nftw(dir, rm_entry, 64, FTW_DEPTH | FTW_PHYS) != 0)
        die("emptying a directory");
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        die("opendir");
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

const char *harness_root(void)
{
    return root;
}

void harness_begin(void)
{
    if (!ready) {
        sandbox();
        snprintf(root, sizeof root, "%s/root", work);
        snprintf(staging, sizeof staging, "%s/staging", work);
        snprintf(outside, sizeof outside, "%s/outside", work);
        if (mkdir(root, 0755) || mkdir(staging, 0700) || mkdir(outside, 0755))
            die("mkdir");
        g_conf.root = root;
        g_conf.rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (g_conf.rootfd < 0 || staging_setup_dev(root, staging) != 0 || g_conf.staging_fd < 0)
            die("root and staging");
        if (session_init(&sess) != 0)
            die("session_init");
        ready = 1;
    }
    empty_dir(root);
    session_reset(&sess);
    sess.handshaken = 1;
}

static void drain(void)
{
    sess.oq.start = sess.oq.end = 0;   /* the host reads everything at once */
}

void harness_send(uint8_t type, uint8_t flags, uint32_t stream, const void *payload, uint32_t len)
{
    uint8_t h[FRAME_HDR_LEN];
    frame_header_encode(h, type, flags, stream, len);
    if (fr_feed(&sess.fr, h, sizeof h) != sizeof h || (len && fr_feed(&sess.fr, payload, len) != len))
        abort();   /* the session consumes every complete frame below */
    do {
        drain();
        session_process_input(&sess);
    } while (outq_len(&sess) >= OUTQ_HIGH);
    drain();
}

void harness_settle(void)
{
    for (int i = 0; i < 16; i++) {
        session_tick(&sess);
        drain();
    }
}

void harness_end(void)
{
    session_reset(&sess);   /* a disconnect: every stream cancelled, staging removed */
    drain();
    if (count_entries(outside) != 0)
        abort();   /* something landed outside the workspace root */
    if (count_entries(work) != 3)
        abort();   /* root, staging and outside, nothing else */
    if (count_entries(staging) != 0)
        abort();   /* a cancelled or finished import left its staging directory */
}
