#define _GNU_SOURCE
#include "init.h"
#include "idle.h"
#include "log.h"
#include "netcfg.h"
#include "util.h"
#include "wsdisk.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_finit_module
#define SYS_finit_module 313
#endif

#define MODULE_DIR "/lib/pyro/modules"

void ensure_std_fds(void)
{
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0)
            continue;
        int n = open("/dev/console", O_RDWR | O_NOCTTY);
        if (n < 0)
            n = open("/dev/null", O_RDWR);
        if (n >= 0 && n != fd) {
            dup2(n, fd);
            close(n);
        }
    }
}

static void power_off_now(int reboot_instead)
{
    sync();
    reboot(reboot_instead ? RB_AUTOBOOT : RB_POWER_OFF);
}

void guest_power(int reboot_instead)
{
    if (getpid() != 1) {
        LOGE("not PID 1: exiting instead of %s", reboot_instead ? "rebooting" : "powering off");
        exit(0);
    }
    kill(-1, SIGKILL);   /* everything but us */
    wsdisk_quiesce_for_poweroff();   /* the host finds a clean /workspace image */
    power_off_now(reboot_instead);
    for (;;)
        pause();   /* PID 1 must never exit */
}

/* one line on the VMM's console log, then power off: a dead VM with a reason */
static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof msg - 2)
        n = (int)sizeof msg - 2;
    msg[n++] = '\n';
    int fd = open("/dev/console", O_WRONLY | O_NOCTTY);
    if (fd < 0)
        fd = 2;
    ssize_t w1 = write(fd, "pyro-init: ", 11);
    ssize_t w2 = write(fd, msg, (size_t)n);
    (void)w1;
    (void)w2;
    power_off_now(0);
    for (;;)
        pause();
}

void console_line(const char *line)
{
    int fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        fd = 2;
    ssize_t w = write(fd, line, strlen(line));
    (void)w;
    if (fd != 2)
        close(fd);
}

int proc_cmdline_get(const char *key, char *out, size_t outsz)
{
    char buf[4096];
    if (!read_small_file("/proc/cmdline", buf, sizeof buf))
        return 0;
    return cmdline_get(buf, key, out, outsz);
}

uint64_t guest_ttl_seconds(void)
{
    char val[32];
    uint64_t secs;
    if (!proc_cmdline_get("pyro.ttl", val, sizeof val))
        return 0;
    if (parse_ttl(val, &secs) != 0) {
        LOGE("ignoring invalid pyro.ttl=%s", val);
        return 0;
    }
    return secs;
}

uint64_t guest_idle_reclaim_seconds(void)
{
    char val[32];
    uint64_t secs;
    if (!proc_cmdline_get("pyro.idle_reclaim", val, sizeof val))
        return IDLE_RECLAIM_DEFAULT_S;
    if (idle_parse_seconds(val, &secs) != 0) {
        LOGE("ignoring invalid pyro.idle_reclaim=%s", val);
        return IDLE_RECLAIM_DEFAULT_S;
    }
    return secs;
}

static void mkdir_p(const char *path, mode_t mode)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            mkdir(buf, mode);
            *p = '/';
        }
    }
    mkdir(buf, mode);
}

static int wait_for(const char *dev, int ms)
{
    uint64_t until = now_ms() + (uint64_t)ms;
    struct stat st;
    while (stat(dev, &st) != 0) {
        if (now_ms() >= until)
            return -1;
        struct timespec ts = { 0, 2 * 1000000L };
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int is_ko(const struct dirent *de)
{
    size_t l = strlen(de->d_name);
    return l > 3 && !strcmp(de->d_name + l - 3, ".ko");
}

static void load_modules(void)
{
    struct dirent **list;
    int n = scandir(MODULE_DIR, &list, is_ko, alphasort);
    if (n < 0)
        return;
    /* lexical order first; a module whose dependencies come later fails with
     * ENOENT (unknown symbols), so retry the failures while any pass makes progress */
    int *done = calloc((size_t)n, sizeof *done);
    int *err = calloc((size_t)n, sizeof *err);
    int progress = 1;
    for (int pass = 0; done && err && progress && pass < n + 1; pass++) {
        progress = 0;
        for (int i = 0; i < n; i++) {
            if (done[i])
                continue;
            char p[512];
            snprintf(p, sizeof p, MODULE_DIR "/%s", list[i]->d_name);
            int fd = open(p, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                err[i] = errno;
                done[i] = 1;   /* gave up on it */
                continue;
            }
            if (syscall(SYS_finit_module, fd, "", 0) == 0 || errno == EEXIST) {
                done[i] = 1;
                err[i] = 0;
                progress = 1;
            } else {
                err[i] = errno;
            }
            close(fd);
        }
    }
    for (int i = 0; i < n; i++) {
        if (err && err[i])
            LOGE("finit_module %s: %s", list[i]->d_name, strerror(err[i]));
        free(list[i]);
    }
    free(list);
    free(done);
    free(err);
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[65536];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) != n) {
            rc = -1;
            break;
        }
    }
    if (n < 0)
        rc = -1;
    close(in);
    if (close(out) != 0)
        rc = -1;
    return rc;
}

struct cmdline {
    char root[128], overlay[128], workspace[128];
    int root_ro, verbose, probe, workspace_ro;
};

static void read_cmdline(struct cmdline *c)
{
    memset(c, 0, sizeof *c);
    char buf[4096];
    int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return;
    buf[n] = 0;
    for (char *tok = strtok(buf, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
        if (!strncmp(tok, "pyro.root=", 10))
            snprintf(c->root, sizeof c->root, "%s", tok + 10);
        else if (!strncmp(tok, "pyro.overlay=", 13))
            snprintf(c->overlay, sizeof c->overlay, "%s", tok + 13);
        else if (!strncmp(tok, "pyro.workspace=", 15))
            snprintf(c->workspace, sizeof c->workspace, "%s", tok + 15);
        else if (!strcmp(tok, "pyro.root_ro=1"))
            c->root_ro = 1;
        else if (!strcmp(tok, "pyro.workspace_ro=1"))
            c->workspace_ro = 1;
        else if (!strcmp(tok, "pyro.verbose=1"))
            c->verbose = 1;
        else if (!strcmp(tok, "pyro.probe=1"))
            c->probe = 1;
    }
}

static void move_mount_onto(const char *from, const char *to)
{
    mkdir(to, 0755);
    if (mount(from, to, NULL, MS_MOVE, NULL) != 0)
        die("move %s to %s: %s", from, to, strerror(errno));
}

void init_stage(void)
{
    mkdir("/dev", 0755);
    mkdir("/proc", 0555);
    mkdir("/sys", 0555);
    if (mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755") != 0 && errno != EBUSY)
        die("mount /dev: %s", strerror(errno));
    ensure_std_fds();
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0 && errno != EBUSY)
        die("mount /proc: %s", strerror(errno));
    if (mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0 && errno != EBUSY)
        die("mount /sys: %s", strerror(errno));

    struct cmdline c;
    read_cmdline(&c);
    if (c.probe) {
        /* Boot probe (KVM usability, boot-time floor): the kernel reached userspace. */
        int fd = open("/dev/console", O_WRONLY | O_NOCTTY);
        if (fd >= 0) {
            ssize_t w = write(fd, "pyro-probe: ok\n", 15);
            (void)w;
            close(fd);
        }
        power_off_now(0);
        for (;;)
            pause();
    }

    load_modules();
    char *guest_argv[] = { "pyro-agent", "--guest", c.verbose ? "--verbose" : NULL, NULL };
    if (!c.root[0]) {
        /* no root disk: serve straight from the initramfs */
        execv("/proc/self/exe", guest_argv);
        die("exec /proc/self/exe: %s", strerror(errno));
    }
    if (wait_for(c.root, 5000) < 0)
        die("root device %s did not appear within 5 s", c.root);
    mkdir("/newroot", 0755);
    if (c.root_ro && c.overlay[0]) {
        mkdir("/lower", 0755);
        mkdir("/ovl", 0755);
        if (mount(c.root, "/lower", "ext4", MS_RDONLY, NULL) != 0)
            die("mount %s read-only: %s", c.root, strerror(errno));
        if (wait_for(c.overlay, 5000) < 0)
            die("overlay device %s did not appear within 5 s", c.overlay);
        if (mount(c.overlay, "/ovl", "ext4", 0, NULL) != 0)
            die("mount overlay disk %s: %s", c.overlay, strerror(errno));
        mkdir("/ovl/upper", 0755);
        mkdir("/ovl/work", 0755);
        if (mount("overlay", "/newroot", "overlay", 0,
                  "lowerdir=/lower,upperdir=/ovl/upper,workdir=/ovl/work") != 0)
            die("mount overlayfs: %s", strerror(errno));
    } else if (mount(c.root, "/newroot", "ext4", c.root_ro ? MS_RDONLY : 0, NULL) != 0) {
        die("mount root %s: %s", c.root, strerror(errno));
    }
    mkdir("/newroot/run", 0755);
    if (mount("tmpfs", "/newroot/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
        die("mount /run: %s", strerror(errno));
    mkdir_p("/newroot/run/pyro", 0755);
    if (copy_file("/proc/self/exe", "/newroot/run/pyro/pyro-agent", 0755) != 0)
        die("copy agent into /run/pyro: %s", strerror(errno));
    if (c.workspace[0]) {
        /* the disk at /run/pyro/wsdisk, its workspace/ bind-mounted on /workspace:
         * the atomic import stages in /run/pyro/wsdisk/.staging, same file system,
         * outside the workspace (and lost+found stays out of it too) */
        if (wait_for(c.workspace, 5000) < 0)
            die("workspace device %s did not appear within 5 s", c.workspace);
        mkdir_p("/newroot/run/pyro/wsdisk", 0755);
        /* read-only (a disk tool's helper VM reading a stopped workspace): noload, so a
         * journal left by a VM that died is not replayed, and nothing is written */
        unsigned long wsflags = MS_NOSUID | MS_NODEV | (c.workspace_ro ? MS_RDONLY : 0);
        if (mount(c.workspace, "/newroot/run/pyro/wsdisk", "ext4", wsflags, c.workspace_ro ? "noload" : NULL) != 0)
            die("mount workspace %s: %s", c.workspace, strerror(errno));
        struct stat wst;
        if (stat("/newroot/run/pyro/wsdisk/workspace", &wst) != 0 &&
            mkdir("/newroot/run/pyro/wsdisk/workspace", 0755) != 0 && errno != EEXIST)
            die("mkdir workspace/ on %s: %s", c.workspace, strerror(errno));
        mkdir("/newroot/workspace", 0755);
        if (mount("/newroot/run/pyro/wsdisk/workspace", "/newroot/workspace", NULL, MS_BIND, NULL) != 0)
            die("bind-mount the workspace on /workspace: %s", strerror(errno));
    }
    move_mount_onto("/dev", "/newroot/dev");
    move_mount_onto("/proc", "/newroot/proc");
    move_mount_onto("/sys", "/newroot/sys");
    if (chdir("/newroot") != 0 || mount(".", "/", NULL, MS_MOVE, NULL) != 0 || chroot(".") != 0 || chdir("/") != 0)
        die("switch root: %s", strerror(errno));
    execv("/run/pyro/pyro-agent", guest_argv);
    die("exec /run/pyro/pyro-agent: %s", strerror(errno));
}

static int is_mountpoint(const char *path)
{
    struct stat a, b;
    char parent[512];
    if (stat(path, &a) != 0)
        return 0;
    snprintf(parent, sizeof parent, "%s/..", path);
    if (stat(parent, &b) != 0)
        return 0;
    return a.st_dev != b.st_dev || a.st_ino == b.st_ino;
}

static void mount_missing(const char *path, const char *fstype, unsigned long flags, const char *opts)
{
    mkdir(path, 0755);
    if (is_mountpoint(path))
        return;
    if (mount(fstype, path, fstype, flags, opts) != 0)
        LOGE("mount %s on %s: %s", fstype, path, strerror(errno));
}

/* Loopback up, as every init does: services listen on and are checked at 127.0.0.1
 * (and programs expect localhost) even when the guest has no network device. */
static void loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) != 0 ||
        (!(ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)))
        LOGE("loopback interface: %s", strerror(errno));
    if (fd >= 0)
        close(fd);
}

void guest_pid1_setup(void)
{
    mount_missing("/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_missing("/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_missing("/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    ensure_std_fds();
    mount_missing("/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666");
    mount_missing("/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    mount_missing("/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
    mount_missing("/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    struct stat st;
    if (stat("/workspace", &st) != 0 && mkdir("/workspace", 0755) != 0)
        LOGE("mkdir /workspace: %s", strerror(errno));
    if (sethostname("pyro", 4) != 0)
        LOGD("sethostname: %s", strerror(errno));
    loopback_up();
    guest_net_setup();
}
