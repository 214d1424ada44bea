#define _GNU_SOURCE
#include "netcfg.h"
#include "init.h"
#include "log.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Replaces an /etc file whole (temp + rename): a reader never sees half of it, and a
 * symlink the image had in its place is replaced, not followed. */
static void write_etc(const char *path, const char *content)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s.pyro-tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        LOGE("write %s: %s", path, strerror(errno));
        return;
    }
    size_t len = strlen(content);
    ssize_t w = write(fd, content, len);
    if (close(fd) != 0 || w != (ssize_t)len || rename(tmp, path) != 0) {
        LOGE("write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
}

/* The first interface that is not loopback; the device is probed by then or within 3 s. */
static int find_interface(char *name, size_t namesz)
{
    for (int waited = 0; waited <= 3000; waited += 20) {
        DIR *d = opendir("/sys/class/net");
        struct dirent *de;
        int found = 0;
        while (d && (de = readdir(d))) {
            if (de->d_name[0] == '.' || !strcmp(de->d_name, "lo") || strlen(de->d_name) >= namesz)
                continue;
            snprintf(name, namesz, "%s", de->d_name);
            found = 1;
            break;
        }
        if (d)
            closedir(d);
        if (found)
            return 0;
        struct timespec ts = { 0, 20 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    return -1;
}

static int set_addr(int fd, const char *ifname, unsigned long req, struct in_addr a)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
    struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
    sin->sin_family = AF_INET;
    sin->sin_addr = a;
    return ioctl(fd, req, &ifr);
}

static int bring_up(int fd, const char *ifname)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0)
        return -1;
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    return ioctl(fd, SIOCSIFFLAGS, &ifr);
}

static int default_route(int fd, struct in_addr gw)
{
    struct rtentry rt;
    memset(&rt, 0, sizeof rt);
    struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
    struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;
    struct sockaddr_in *via = (struct sockaddr_in *)&rt.rt_gateway;
    dst->sin_family = mask->sin_family = via->sin_family = AF_INET;
    via->sin_addr = gw;
    rt.rt_flags = RTF_UP | RTF_GATEWAY;
    return ioctl(fd, SIOCADDRT, &rt) != 0 && errno != EEXIST ? -1 : 0;
}

void guest_net_setup(void)
{
    char value[128];
    struct guest_net net;
    /* no ::1 line: the guest kernel runs without IPv6 (ipv6.disable=1) */
    write_etc("/etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tpyro\n");
    if (!proc_cmdline_get("pyro.net", value, sizeof value)) {
        /* no network device (policy off): nothing resolves but /etc/hosts */
        write_etc("/etc/resolv.conf", "# written by pyro: this workspace has no network\n");
        return;
    }
    if (guest_net_parse(value, &net) != 0) {
        LOGE("ignoring malformed pyro.net=%s", value);
        return;
    }
    char ifname[IFNAMSIZ];
    if (find_interface(ifname, sizeof ifname) != 0) {
        LOGE("pyro.net given but no network interface appeared");
        return;
    }
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || set_addr(fd, ifname, SIOCSIFADDR, net.addr) != 0 ||
        set_addr(fd, ifname, SIOCSIFNETMASK, net.mask) != 0 || bring_up(fd, ifname) != 0 ||
        default_route(fd, net.gateway) != 0)
        LOGE("configure %s: %s", ifname, strerror(errno));
    if (fd >= 0)
        close(fd);
    char resolv[160], proxy[64];
    struct guest_net_proxy px;
    if (guest_net_proxy(&px, proxy, sizeof proxy) == 0) {
        /* allow-list: the only resolver is the host's, over TCP (the network passes no UDP) */
        snprintf(resolv, sizeof resolv, "# written by pyro: names outside the allow-list do not resolve\n"
                 "nameserver %s\noptions use-vc\n", inet_ntoa(px.addr));
    } else {
        snprintf(resolv, sizeof resolv, "# written by pyro\nnameserver %s\n", inet_ntoa(net.dns));
    }
    write_etc("/etc/resolv.conf", resolv);
}

int guest_net_proxy(struct guest_net_proxy *out, char *url, size_t urlsz)
{
    char value[64];
    if (!proc_cmdline_get("pyro.egress_proxy", value, sizeof value))
        return -1;
    char *colon = strchr(value, ':');
    if (!colon)
        return -1;
    *colon = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535 || inet_pton(AF_INET, value, &out->addr) != 1)
        return -1;
    out->port = (int)port;
    snprintf(url, urlsz, "http://%s:%ld", value, port);
    return 0;
}
