/* pyro-agent entry point: picks the mode (initramfs /init, --guest, --dev),
 * opens the workspace root and the transport, then runs the event loop. */
#define _GNU_SOURCE
#include "channel.h"
#include "egress.h"
#include "init.h"
#include "log.h"
#include "loop.h"
#include "paths.h"
#include "reclaim.h"
#include "session.h"
#include "statcache.h"
#include "staging.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The host TSC rate, which TCG guests must be told (tsc_early_khz): rdtsc against
 * CLOCK_MONOTONIC_RAW over 50 ms, best of 3. Run on the host, not in a guest. */
static int print_tsc_khz(void)
{
#if defined(__x86_64__)
    uint64_t best = 0;
    for (int i = 0; i < 3; i++) {
        struct timespec a, b;
        unsigned lo, hi;
        clock_gettime(CLOCK_MONOTONIC_RAW, &a);
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        uint64_t t0 = ((uint64_t)hi << 32) | lo;
        struct timespec nap = { 0, 50 * 1000 * 1000 };
        nanosleep(&nap, NULL);
        clock_gettime(CLOCK_MONOTONIC_RAW, &b);
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        uint64_t t1 = ((uint64_t)hi << 32) | lo;
        uint64_t ns = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000u + (uint64_t)(b.tv_nsec - a.tv_nsec);
        if (ns == 0)
            continue;
        uint64_t khz = (t1 - t0) * 1000000u / ns;
        /* runs agree to ~0.01%; a preempted run reads low, so keep the largest */
        if (khz > best)
            best = khz;
    }
    if (best == 0)
        return 1;
    printf("%llu\n", (unsigned long long)best);
    return 0;
#else
    fputs("pyro-agent: --tsc-khz is x86_64 only\n", stderr);
    return 1;
#endif
}

static void usage(FILE *f)
{
    fputs("usage:\n"
          "  pyro-agent --dev --root DIR (--stdio | --listen-unix PATH | --connect-unix PATH)\n"
          "             [--staging DIR] [--stat-cache-window-ms N] [--verbose]\n"
          "  pyro-agent --guest [--root /workspace] [--verbose]\n"
          "  pyro-agent            (as PID 1: initramfs /init stage)\n"
          "  pyro-agent --egress-proxy ALLOWED | --egress-dns ALLOWED ADDRESS   (host side, per connection)\n"
          "  pyro-agent --version\n"
          "  pyro-agent --tsc-khz     (print the host TSC frequency)\n", f);
}

int main(int argc, char **argv)
{
    uint64_t boot = boottime_ms();
    if (argc == 1 && getpid() == 1)
        init_stage();

    /* egress allow-list helpers, one process per guest connection (docs/network.md) */
    if (argc == 3 && !strcmp(argv[1], "--egress-proxy"))
        return egress_proxy_main(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "--egress-dns"))
        return egress_dns_main(argv[2], argv[3]);

    int dev = 0, guest = 0, kind = 0;
    const char *root = NULL, *path = NULL, *staging = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_next = i + 1 < argc;
        if (!strcmp(a, "--dev")) dev = 1;
        else if (!strcmp(a, "--guest")) guest = 1;
        else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) g_verbose = 1;
        else if (!strcmp(a, "--stdio")) kind = CHK_STDIO;
        else if (!strcmp(a, "--root") && has_next) root = argv[++i];
        else if (!strcmp(a, "--staging") && has_next) staging = argv[++i];
        else if (!strcmp(a, "--stat-cache-window-ms") && has_next) {
            /* tests only: how old a file's times must be before the manifest caches its digest */
            char *end;
            long long ms = strtoll(argv[++i], &end, 10);
            if (*end || ms < 0 || ms > 86400000LL) {
                fprintf(stderr, "pyro-agent: --stat-cache-window-ms takes 0..86400000\n");
                return 2;
            }
            statcache_set_window(ms * 1000000LL);
        }
        else if (!strcmp(a, "--listen-unix") && has_next) { kind = CHK_LISTEN_UNIX; path = argv[++i]; }
        else if (!strcmp(a, "--connect-unix") && has_next) { kind = CHK_CONNECT_UNIX; path = argv[++i]; }
        else if (!strcmp(a, "--version")) { puts("pyro-agent 0.2.0 (protocol 1)"); return 0; }
        else if (!strcmp(a, "--tsc-khz")) { return print_tsc_khz(); }
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        else {
            fprintf(stderr, "pyro-agent: unknown or incomplete argument: %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (dev == guest) {
        usage(stderr);
        return 2;
    }
    if (dev && (!root || !kind)) {
        fprintf(stderr, "pyro-agent: --dev needs --root DIR and one of --stdio, --listen-unix, --connect-unix\n");
        return 2;
    }
    if (guest && kind) {
        fprintf(stderr, "pyro-agent: --guest picks its own transport\n");
        return 2;
    }

    /* SIGCHLD goes through a signalfd: block it before any child exists */
    g_conf.guest = guest;
    g_conf.pid1 = getpid() == 1;
    g_conf.boot_ms = boot;
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGIO);    /* virtio-serial host attach (loop.c); default action: exit */
    if (guest && g_conf.pid1) {
        /* shutdown requests read from the signalfd; children get them unblocked */
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGPWR);
    }
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (guest) {
        if (!root)
            root = "/workspace";
        if (g_conf.pid1) {
            guest_pid1_setup();
            /* Ctrl-Alt-Del (Firecracker SendCtrlAltDel) becomes SIGINT to us: clean reboot */
            if (reboot(RB_DISABLE_CAD) != 0)
                LOGE("reboot(RB_DISABLE_CAD): %s", strerror(errno));
        } else {
            mkdir(root, 0755);
        }
        if (g_conf.pid1) {
            /* only a guest's own memory: a --dev agent must never drop its host's caches */
            g_conf.page_reporting = reclaim_page_reporting();
            uint64_t idle = guest_idle_reclaim_seconds();
            g_conf.idle_reclaim_ms = g_conf.page_reporting ? idle * 1000 : 0;
            LOGD("free page reporting %s; idle reclaim after %llu s", g_conf.page_reporting ? "on" : "absent",
                 (unsigned long long)(g_conf.idle_reclaim_ms / 1000));
        }
        uint64_t ttl = guest_ttl_seconds();
        if (ttl) {
            g_conf.ttl_ms = ttl * 1000;
            LOGD("ttl: powering off at %llu s of boot time", (unsigned long long)ttl);
        }
    }
    ensure_std_fds();
    exec_set_base_env(guest);
    if (!g_conf.pid1)
        prctl(PR_SET_CHILD_SUBREAPER, 1);   /* orphans of shells' jobs come back to us to be reaped */

    g_conf.root = root;
    g_conf.rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (g_conf.rootfd < 0) {
        LOGE("workspace root %s: %s", root, strerror(errno));
        if (guest && g_conf.pid1)
            guest_power(0);
        return 1;
    }

    if (guest) {
        staging_setup_guest();
    } else {
        char real[4096];
        staging_setup_dev(realpath(root, real) ? real : root, staging);
    }

    LOGD("serving %s, root %s", guest ? "guest" : "dev", root);
    int action = guest ? agent_serve(CHK_VIRTIO, NULL, 3000) : agent_serve(kind, path, 0);
    if (action < 0) {
        if (guest && g_conf.pid1) {
            LOGE("no transport to the host; powering off");
            guest_power(0);
        }
        return 1;
    }
    if (action == SERVE_EXIT)
        return 0;
    if (action == SERVE_TTL) {
        console_line("pyro-agent: ttl expired\n");
        if (!g_conf.pid1)
            return 0;
        guest_power(0);
    }
    if (guest)
        guest_power(action == SERVE_REBOOT);
    return 0;   /* development mode: shutdown exits 0 */
}
