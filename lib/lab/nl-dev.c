/* nl-dev — device ioctls inside a namespace: ethtool offloads, TUN/TAP
 * (see nl.h). */
#include "lab/nl.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "lab/netns.h"
#include "util/util.h"


struct dev_ctx {
    const char *name;
    int fd;                 /* lab_nl_tap_open() result. */
};

/* Offload features to turn off, by the kernel's feature-string names:
 * every tx checksum and segmentation feature (TSO, GSO, UFO, ...) and the
 * receive-side checksum, GRO and LRO. */
static bool
offload_feature(const char *name)
{
    static const char *const rx_names[] = {
        "rx-checksum", "rx-gro", "rx-gro-list", "rx-lro", "rx-udp-gro-forwarding",
    };
    if (!strncmp(name, "tx-checksum", 11) || strstr(name, "segmentation")) {
        return true;
    }
    for (size_t i = 0; i < ARRAY_SIZE(rx_names); i++) {
        if (!strcmp(name, rx_names[i])) {
            return true;
        }
    }
    return false;
}

static int
ethtool_ioctl(int sock, const char *name, void *data)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    ifr.ifr_data = data;
    return ioctl(sock, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

/* Like `ethtool -K DEV tx off rx off gso off tso off gro off`: reads the
 * feature names (ETHTOOL_GSTRINGS of ETH_SS_FEATURES) and clears the
 * matching ones with one ETHTOOL_SFEATURES. */
static int
offloads_off_with_socket(int sock, const char *name)
{
    struct {
        struct ethtool_sset_info hdr;
        uint32_t count;
    } sset = { .hdr = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ULL << ETH_SS_FEATURES } };
    int error = ethtool_ioctl(sock, name, &sset);
    if (error) {
        return error;
    }
    if (!(sset.hdr.sset_mask & (1ULL << ETH_SS_FEATURES)) || !sset.count) {
        return -EOPNOTSUPP;
    }
    uint32_t count = sset.count;
    struct ethtool_gstrings *strings = xzalloc(sizeof *strings + count * ETH_GSTRING_LEN);
    strings->cmd = ETHTOOL_GSTRINGS;
    strings->string_set = ETH_SS_FEATURES;
    strings->len = count;
    error = ethtool_ioctl(sock, name, strings);
    if (!error) {
        uint32_t words = (count + 31) / 32;
        struct ethtool_sfeatures *sf = xzalloc(sizeof *sf + words * sizeof sf->features[0]);
        sf->cmd = ETHTOOL_SFEATURES;
        sf->size = words;
        for (uint32_t i = 0; i < count; i++) {
            char feature[ETH_GSTRING_LEN + 1];
            memcpy(feature, strings->data + i * ETH_GSTRING_LEN, ETH_GSTRING_LEN);
            feature[ETH_GSTRING_LEN] = '\0';
            if (offload_feature(feature)) {
                sf->features[i / 32].valid |= 1u << (i % 32);
            }
        }
        error = ethtool_ioctl(sock, name, sf);
        if (error > 0) {
            error = 0;   /* Positive: some features could not be changed (fixed). */
        }
        free(sf);
    }
    free(strings);
    return error;
}

static int
offloads_off_here(void *ctx_)
{
    struct dev_ctx *ctx = ctx_;
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) {
        return -errno;
    }
    int error = offloads_off_with_socket(sock, ctx->name);
    close(sock);
    return error;
}

int
lab_nl_offloads_off(const char *netns, const char *name)
{
    struct dev_ctx ctx = { .name = name, .fd = -1 };
    return lab_netns_run(netns, offloads_off_here, &ctx);
}

static int
gro_on_here(void *ctx_)
{
    struct dev_ctx *ctx = ctx_;
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) {
        return -errno;
    }
    struct ethtool_value v = { .cmd = ETHTOOL_SGRO, .data = 1 };
    int error = ethtool_ioctl(sock, ctx->name, &v);
    close(sock);
    return error;
}

int
lab_nl_gro_on(const char *netns, const char *name)
{
    struct dev_ctx ctx = { .name = name, .fd = -1 };
    return lab_netns_run(netns, gro_on_here, &ctx);
}

static int
tun_open(const char *name, bool persist, int *fdp)
{
    int fd = open("/dev/net/tun", O_RDWR);
    if (fd < 0) {
        return -errno;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    int error = 0;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        error = -errno;
    } else if (persist && ioctl(fd, TUNSETPERSIST, 1) < 0) {
        error = -errno;
    }
    if (error || !fdp) {
        close(fd);
    } else {
        *fdp = fd;
    }
    return error;
}

static int
tap_add_here(void *ctx_)
{
    struct dev_ctx *ctx = ctx_;
    return tun_open(ctx->name, true, NULL);
}

static int
tap_open_here(void *ctx_)
{
    struct dev_ctx *ctx = ctx_;
    return tun_open(ctx->name, false, &ctx->fd);
}

int
lab_nl_tap_add(const char *netns, const char *name)
{
    if (strlen(name) >= IFNAMSIZ) {
        return -ENAMETOOLONG;
    }
    struct dev_ctx ctx = { .name = name, .fd = -1 };
    return lab_netns_run(netns, tap_add_here, &ctx);
}

int
lab_nl_tap_open(const char *netns, const char *name)
{
    struct dev_ctx ctx = { .name = name, .fd = -1 };
    int error = lab_netns_run(netns, tap_open_here, &ctx);
    return error ? error : ctx.fd;
}
