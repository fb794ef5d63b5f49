/* veth-peer — see veth-peer.h. */
#include "dp/veth-peer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"

/* One request, one answer (NLM_F_REQUEST without ACK).  Returns the reply
 * length or -errno. */
static int
nl_roundtrip(int fd, void *req, size_t len, void *reply, size_t size)
{
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    if (sendto(fd, req, len, 0, (struct sockaddr *) &sa, sizeof sa) < 0) {
        return -errno;
    }
    ssize_t n = recv(fd, reply, size, 0);
    if (n < 0) {
        return -errno;
    }
    struct nlmsghdr *h = reply;
    if ((size_t) n < sizeof *h || !NLMSG_OK(h, (size_t) n)) {
        return -EPROTO;
    }
    if (h->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *e = NLMSG_DATA(h);
        return e->error ? e->error : -EPROTO;
    }
    return (int) n;
}

static int
rtnl_open(void)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
        return -errno;
    }
    struct timeval tv = { 1, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

struct link_info {
    int link;               /* IFLA_LINK (the peer's ifindex), 0 if none. */
    int netnsid;            /* IFLA_LINK_NETNSID, -1 if absent. */
    bool xdp;               /* An XDP program is attached. */
};

static int
get_link(int fd, int ifindex, struct link_info *li)
{
    struct {
        struct nlmsghdr h;
        struct ifinfomsg i;
    } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = RTM_GETLINK;
    req.h.nlmsg_flags = NLM_F_REQUEST;
    req.h.nlmsg_seq = 1;
    req.i.ifi_family = AF_UNSPEC;
    req.i.ifi_index = ifindex;
    static uint8_t reply[16384];
    int n = nl_roundtrip(fd, &req, sizeof req, reply, sizeof reply);
    if (n < 0) {
        return n;
    }
    struct nlmsghdr *h = (struct nlmsghdr *) (void *) reply;
    struct ifinfomsg *ifi = NLMSG_DATA(h);
    int alen = (int) h->nlmsg_len - (int) NLMSG_LENGTH(sizeof *ifi);
    li->link = 0;
    li->netnsid = -1;
    li->xdp = false;
    for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
        if (a->rta_type == IFLA_LINK && RTA_PAYLOAD(a) >= 4) {
            memcpy(&li->link, RTA_DATA(a), 4);
        } else if (a->rta_type == IFLA_LINK_NETNSID && RTA_PAYLOAD(a) >= 4) {
            memcpy(&li->netnsid, RTA_DATA(a), 4);
        } else if (a->rta_type == IFLA_XDP) {
            int xlen = (int) RTA_PAYLOAD(a);
            for (struct rtattr *x = RTA_DATA(a); RTA_OK(x, xlen); x = RTA_NEXT(x, xlen)) {
                if (x->rta_type == IFLA_XDP_ATTACHED && RTA_PAYLOAD(x) >= 1) {
                    li->xdp = *(uint8_t *) RTA_DATA(x) != XDP_ATTACHED_NONE;
                }
            }
        }
    }
    return 0;
}

/* The nsid our namespace gives the namespace of fd `nsfd`, or -1. */
static int
nsid_of(int fd, int nsfd)
{
    struct {
        struct nlmsghdr h;
        struct rtgenmsg g;
        char pad[3];
        struct rtattr a;
        uint32_t fd;
    } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = RTM_GETNSID;
    req.h.nlmsg_flags = NLM_F_REQUEST;
    req.h.nlmsg_seq = 2;
    req.g.rtgen_family = AF_UNSPEC;
    req.a.rta_type = NETNSA_FD;
    req.a.rta_len = RTA_LENGTH(4);
    req.fd = (uint32_t) nsfd;
    uint8_t reply[512];
    int n = nl_roundtrip(fd, &req, sizeof req, reply, sizeof reply);
    if (n < 0) {
        return -1;
    }
    struct nlmsghdr *h = (struct nlmsghdr *) (void *) reply;
    struct rtgenmsg *g = NLMSG_DATA(h);
    int alen = (int) h->nlmsg_len - (int) NLMSG_LENGTH(NLMSG_ALIGN(sizeof *g));
    for (struct rtattr *a = (struct rtattr *) (void *) ((uint8_t *) g + NLMSG_ALIGN(sizeof *g));
         RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
        if (a->rta_type == NETNSA_NSID && RTA_PAYLOAD(a) >= 4) {
            int32_t id;
            memcpy(&id, RTA_DATA(a), 4);
            return id;
        }
    }
    return -1;
}

/* 1 GRO on, 0 off, -errno, for ifindex in the calling thread's netns. */
static int
gro_of(int ifindex)
{
    char name[IF_NAMESIZE];
    if (!if_indextoname((unsigned int) ifindex, name)) {
        return -errno;
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        return -errno;
    }
    struct ethtool_value v = { .cmd = ETHTOOL_GGRO };
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    ifr.ifr_data = (void *) &v;
    int rc = ioctl(s, SIOCETHTOOL, &ifr) < 0 ? -errno : (v.data != 0);
    close(s);
    return rc;
}

/* 1 if the peer (in the calling thread's netns) has NAPI, 0 if not. */
static int
napi_here(int peer)
{
    int fd = rtnl_open();
    if (fd < 0) {
        return -1;
    }
    struct link_info li;
    int rc = get_link(fd, peer, &li);
    close(fd);
    if (rc) {
        return -1;
    }
    if (li.xdp) {
        return 1;
    }
    rc = gro_of(peer);
    return rc < 0 ? -1 : rc;
}

/* Runs napi_here(peer) inside the namespace of nsfd, in a child process (so
 * the switch's own threads never change namespace). */
static int
napi_in_ns(int nsfd, int peer)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC)) {
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (!pid) {
        signed char r = -1;
        if (!setns(nsfd, CLONE_NEWNET)) {
            r = (signed char) napi_here(peer);
        }
        if (write(pfd[1], &r, 1) != 1) {
            _exit(1);
        }
        _exit(0);
    }
    close(pfd[1]);
    signed char r = -1;
    if (read(pfd[0], &r, 1) != 1) {
        r = -1;
    }
    close(pfd[0]);
    waitpid(pid, NULL, 0);
    return r;
}

/* Tries one namespace file: returns its napi answer if its nsid is
 * `nsid`, else -2. */
static int
try_ns(int rtfd, const char *path, int nsid, int peer, ino_t *seen, size_t *n_seen,
       size_t max_seen)
{
    struct stat st;
    if (stat(path, &st)) {
        return -2;
    }
    for (size_t i = 0; i < *n_seen; i++) {
        if (seen[i] == st.st_ino) {
            return -2;
        }
    }
    if (*n_seen < max_seen) {
        seen[(*n_seen)++] = st.st_ino;
    }
    int nsfd = open(path, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) {
        return -2;
    }
    int rc = -2;
    if (nsid_of(rtfd, nsfd) == nsid) {
        rc = napi_in_ns(nsfd, peer);
    }
    close(nsfd);
    return rc;
}

int
veth_peer_has_napi(int ifindex)
{
    int rtfd = rtnl_open();
    if (rtfd < 0) {
        return -1;
    }
    struct link_info li;
    if (get_link(rtfd, ifindex, &li) || !li.link) {
        close(rtfd);
        return -1;
    }
    if (li.netnsid < 0) {
        close(rtfd);
        return napi_here(li.link);
    }
    /* The peer's namespace: one that `ip netns` named, or one a process
     * lives in (containers). */
    ino_t seen[4096];
    size_t n_seen = 0;
    int rc = -2;
    DIR *d = opendir("/run/netns");
    struct dirent *e;
    while (rc == -2 && d && (e = readdir(d))) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[300];
        snprintf(path, sizeof path, "/run/netns/%s", e->d_name);
        rc = try_ns(rtfd, path, li.netnsid, li.link, seen, &n_seen, ARRAY_SIZE(seen));
    }
    if (d) {
        closedir(d);
    }
    d = rc == -2 ? opendir("/proc") : NULL;
    while (rc == -2 && d && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9') {
            continue;
        }
        char path[300];
        snprintf(path, sizeof path, "/proc/%s/ns/net", e->d_name);
        rc = try_ns(rtfd, path, li.netnsid, li.link, seen, &n_seen, ARRAY_SIZE(seen));
    }
    if (d) {
        closedir(d);
    }
    close(rtfd);
    return rc == -2 ? -1 : rc;
}
