/* nl-sock — a route socket inside a namespace, request/ack (see nl.h). */
#include "lab/nl.h"
#include "lab/nl-private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lab/netns.h"
#include "util/util.h"

static int
nl_open_here(void *nl_)
{
    struct lab_nl *nl = nl_;
    nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!nl->sock) {
        return -errno;
    }
    if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
        int error = -errno;
        mnl_socket_close(nl->sock);
        nl->sock = NULL;
        return error;
    }
    return 0;
}

int
lab_nl_open(const char *netns, struct lab_nl **nlp)
{
    struct lab_nl *nl = xzalloc(sizeof *nl);
    int error = lab_netns_run(netns, nl_open_here, nl);
    if (error) {
        free(nl);
        *nlp = NULL;
        return error;
    }
    nl->portid = mnl_socket_get_portid(nl->sock);
    nl->seq = (uint32_t) getpid() << 8;
    *nlp = nl;
    return 0;
}

void
lab_nl_close(struct lab_nl *nl)
{
    if (nl) {
        mnl_socket_close(nl->sock);
        free(nl);
    }
}

uint32_t
lab_nl_next_seq(struct lab_nl *nl)
{
    return ++nl->seq;
}

int
lab_nl_transact(struct lab_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *cb_data)
{
    if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
        return -errno;
    }
    char buf[MNL_SOCKET_BUFFER_SIZE];
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl->sock, buf, sizeof buf);
        if (n < 0) {
            return -errno;
        }
        int ret = mnl_cb_run(buf, n, nlh->nlmsg_seq, nl->portid, cb, cb_data);
        if (ret == MNL_CB_ERROR) {
            return errno ? -errno : -EIO;
        }
        if (ret == MNL_CB_STOP) {
            return 0;
        }
        if (!(nlh->nlmsg_flags & NLM_F_ACK) && !(nlh->nlmsg_flags & NLM_F_DUMP)) {
            return 0;   /* A single answer without ack. */
        }
    }
}

static int
ifindex_cb(const struct nlmsghdr *nlh, void *data)
{
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    *(int *) data = ifi->ifi_index;
    return MNL_CB_OK;
}

int
lab_nl_ifindex(struct lab_nl *nl, const char *name)
{
    char buf[LAB_NLMSG_BUFSIZE];
    int ifindex = 0;
    int error = lab_nl_transact(nl, lab_nlmsg_link_get(buf, lab_nl_next_seq(nl), name),
                                ifindex_cb, &ifindex);
    if (error) {
        return error;
    }
    return ifindex > 0 ? ifindex : -ENODEV;
}

int
lab_parse_prefix(const char *s, struct in_addr *addr, unsigned int *plen)
{
    if (!strcmp(s, "default")) {
        addr->s_addr = INADDR_ANY;
        *plen = 0;
        return 0;
    }
    const char *slash = strchr(s, '/');
    char ip[INET_ADDRSTRLEN];
    size_t len = slash ? (size_t) (slash - s) : strlen(s);
    if (len == 0 || len >= sizeof ip) {
        return -EINVAL;
    }
    memcpy(ip, s, len);
    ip[len] = '\0';
    if (inet_pton(AF_INET, ip, addr) != 1) {
        return -EINVAL;
    }
    if (!slash) {
        *plen = 32;
        return 0;
    }
    uint64_t n;
    if (str_to_u64(slash + 1, 0, 32, &n)) {
        return -EINVAL;
    }
    *plen = n;
    return 0;
}
