#ifndef PYRO_NETCFG_H
#define PYRO_NETCFG_H

#include <netinet/in.h>

/* The guest's network as the host passes it: pyro.net=ADDRESS/PREFIX,GATEWAY,DNS
 * (docs/protocol.md §9). Addresses in network byte order. */
struct guest_net {
    struct in_addr addr;
    struct in_addr mask;
    struct in_addr gateway;
    struct in_addr dns;
    int prefix;
};

/* Parses the value of pyro.net; 0 on success, -1 for anything malformed (strict: dotted
 * quads, a prefix of 1-30, the gateway and DNS inside the address's network). */
int guest_net_parse(const char *value, struct guest_net *out);

/* Configures the first non-loopback interface, the default route, /etc/resolv.conf and
 * /etc/hosts from the kernel command line's pyro.net; without it, /etc/hosts only. */
void guest_net_setup(void);

/* The allow-list's proxy (pyro.egress_proxy=ADDRESS:PORT): its address and port, and its
 * URL (http://ADDRESS:PORT) for the *_proxy variables; -1 without one. */
struct guest_net_proxy {
    struct in_addr addr;
    int port;
};
int guest_net_proxy(struct guest_net_proxy *out, char *url, size_t urlsz);

#endif
