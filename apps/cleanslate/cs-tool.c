/* plural-cleanslate — send and receive PLURAL-CS frames (Ethertype 0x88B5,
 * see cleanslate.h) on a Linux interface, so a user can watch the
 * cleanslate app forward a protocol that is not IP.
 *
 *   plural-cleanslate send --dev IF --from ADDR --to ADDR [--count N] MESSAGE
 *   plural-cleanslate recv --dev IF --addr ADDR [--count N] [--timeout S]
 *
 * recv prints one line per frame addressed to ADDR:
 *   "from 1 to 2 len 5: hello"  and exits 0 after --count frames, 1 on timeout.
 * Once its socket is bound (frames sent from then on are seen) it says so on
 * stderr: "plural-cleanslate: receiving on IF as node ADDR", so a script can
 * wait for that line instead of sleeping before it sends. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "cleanslate/cleanslate.h"
#include "util/util.h"

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural-cleanslate send --dev IF --from ADDR --to ADDR [--count N] MESSAGE\n"
"       plural-cleanslate recv --dev IF --addr ADDR [--count N] [--timeout SECONDS]\n"
"\n"
"Sends or receives PLURAL-CS frames: Ethertype 0x88B5, node ADDR (0-65535)\n"
"carried in the destination MAC 0a:88:b5:00:HI:LO (see docs/controller.md).\n"
"Exit status: 0 success, 1 failure or timeout, 2 usage error.\n");
}

static int
open_socket(const char *dev, int *ifindex, uint8_t mac[6])
{
    int fd = socket(AF_PACKET, SOCK_RAW, htons(CS_ETHERTYPE));
    if (fd < 0) {
        fprintf(stderr, "plural-cleanslate: socket: %s (needs root)\n", strerror(errno));
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", dev);
    if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
        fprintf(stderr, "plural-cleanslate: no interface %s: %s\n", dev, strerror(errno));
        close(fd);
        return -1;
    }
    *ifindex = ifr.ifr_ifindex;
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0) {
        memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    }
    struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(CS_ETHERTYPE),
                               .sll_ifindex = *ifindex };
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        fprintf(stderr, "plural-cleanslate: bind %s: %s\n", dev, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int
parse_addr(const char *s, uint16_t *a)
{
    uint64_t v;
    if (str_to_u64(s, 0, 65535, &v)) {
        fprintf(stderr, "plural-cleanslate: bad address \"%s\" (0-65535)\n", s);
        return -1;
    }
    *a = (uint16_t) v;
    return 0;
}

int
main(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "dev", required_argument, NULL, 'd' }, { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' }, { "addr", required_argument, NULL, 'a' },
        { "count", required_argument, NULL, 'c' }, { "timeout", required_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *mode = argv[1], *dev = NULL;
    uint16_t from = 0, to = 0, addr = 0;
    bool have_from = false, have_to = false, have_addr = false;
    uint64_t count = 1, timeout = 5;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dev = optarg; break;
        case 'f': if (parse_addr(optarg, &from)) return 2; have_from = true; break;
        case 't': if (parse_addr(optarg, &to)) return 2; have_to = true; break;
        case 'a': if (parse_addr(optarg, &addr)) return 2; have_addr = true; break;
        case 'c':
            if (str_to_u64(optarg, 1, 1000000, &count)) {
                fprintf(stderr, "plural-cleanslate: bad --count \"%s\"\n", optarg);
                return 2;
            }
            break;
        case 'T':
            if (str_to_u64(optarg, 1, 3600, &timeout)) {
                fprintf(stderr, "plural-cleanslate: bad --timeout \"%s\"\n", optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: return 2;
        }
    }
    if (!dev) {
        fprintf(stderr, "plural-cleanslate: --dev IF is required\n");
        return 2;
    }
    int ifindex;
    uint8_t mymac[6] = { 0 };
    if (!strcmp(mode, "send")) {
        if (!have_from || !have_to || optind != argc - 1) {
            fprintf(stderr, "plural-cleanslate: send needs --from, --to and one MESSAGE\n");
            return 2;
        }
        const char *msg = argv[optind];
        size_t len = strlen(msg);
        if (len > 1400) {
            fprintf(stderr, "plural-cleanslate: message longer than 1400 bytes\n");
            return 2;
        }
        int fd = open_socket(dev, &ifindex, mymac);
        if (fd < 0) {
            return 1;
        }
        uint8_t frame[1514] = { 0 };
        cs_addr_to_mac(to, frame);
        memcpy(frame + 6, mymac, 6);
        frame[12] = CS_ETHERTYPE >> 8;
        frame[13] = CS_ETHERTYPE & 0xff;
        uint8_t *h = frame + 14;
        h[0] = 1;
        h[1] = 1;
        h[2] = (uint8_t) (to >> 8); h[3] = (uint8_t) to;
        h[4] = (uint8_t) (from >> 8); h[5] = (uint8_t) from;
        h[6] = (uint8_t) (len >> 8); h[7] = (uint8_t) len;
        memcpy(h + CS_HEADER_LEN, msg, len);
        size_t n = MAX(60, 14 + CS_HEADER_LEN + len);
        struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };
        memcpy(sll.sll_addr, frame, 6);
        for (uint64_t i = 0; i < count; i++) {
            if (sendto(fd, frame, n, 0, (struct sockaddr *) &sll, sizeof sll) < 0) {
                fprintf(stderr, "plural-cleanslate: send on %s: %s\n", dev, strerror(errno));
                close(fd);
                return 1;
            }
        }
        close(fd);
        return 0;
    } else if (!strcmp(mode, "recv")) {
        if (!have_addr || optind != argc) {
            fprintf(stderr, "plural-cleanslate: recv needs --addr and no other argument\n");
            return 2;
        }
        int fd = open_socket(dev, &ifindex, mymac);
        if (fd < 0) {
            return 1;
        }
        fprintf(stderr, "plural-cleanslate: receiving on %s as node %u\n", dev, addr);
        uint8_t want[6];
        cs_addr_to_mac(addr, want);
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        uint64_t got = 0;
        while (got < count) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            int64_t left = (int64_t) timeout * 1000
                           - ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000);
            if (left <= 0) {
                break;
            }
            struct pollfd pfd = { .fd = fd, .events = POLLIN };
            if (poll(&pfd, 1, (int) left) <= 0) {
                continue;
            }
            uint8_t frame[2048];
            ssize_t n = recv(fd, frame, sizeof frame, 0);
            if (n < 14 + CS_HEADER_LEN || memcmp(frame, want, 6)) {
                continue;
            }
            const uint8_t *h = frame + 14;
            size_t len = (size_t) (h[6] << 8 | h[7]);
            if (h[0] != 1 || 14 + CS_HEADER_LEN + len > (size_t) n) {
                continue;
            }
            printf("from %u to %u len %zu: %.*s\n", h[4] << 8 | h[5], h[2] << 8 | h[3], len,
                   (int) len, (const char *) h + CS_HEADER_LEN);
            fflush(stdout);
            got++;
        }
        close(fd);
        if (got < count) {
            fprintf(stderr, "plural-cleanslate: received %"PRIu64" of %"PRIu64" frames in %"PRIu64" s\n",
                    got, count, timeout);
            return 1;
        }
        return 0;
    }
    fprintf(stderr, "plural-cleanslate: unknown command \"%s\" (send, recv)\n", mode);
    return 2;
}
