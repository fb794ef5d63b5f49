/* libFuzzer target: flow_extract() and every packet-edit function on
 * arbitrary bytes.  The first input byte picks the headroom (0 or 64, so
 * VLAN pushes take both paths) and the edit values; the rest is the frame.
 * Checks: nothing is read or written outside the frame (ASan), the key's
 * padding stays zero, the return codes are the documented ones, and an
 * IPv4 header checksum that verified before an address/ToS edit still
 * verifies after it. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pkt/csum.h"
#include "pkt/flow-key.h"
#include "pkt/packet-edit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_key(const struct packet *p)
{
    struct flow_key k;
    int error = flow_extract(p, 1, &k, NULL);
    if (error != 0 && error != -EINVAL && error != -EBADMSG) {
        abort();
    }
    for (int i = 0; i < 7; i++) {
        if (k.pad[i]) {
            abort();
        }
    }
}

/* True if the frame has a complete IPv4 header whose checksum verifies. */
static bool
ip_ok(const struct packet *p, size_t *l3)
{
    struct flow_key k;
    struct flow_layout lay;
    flow_extract(p, 1, &k, &lay);
    if (k.dl_type != ETH_TYPE_IP || !lay.l3 || p->len < lay.l3 + 20u) {
        return false;
    }
    size_t ihl = (size_t) (p->data[lay.l3] & 0xf) * 4;
    if ((p->data[lay.l3] >> 4) != 4 || ihl < 20 || lay.l3 + ihl > p->len) {
        return false;
    }
    *l3 = lay.l3;
    return csum_finish(csum_partial(p->data + lay.l3, ihl, 0)) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    uint8_t ctl = data[0];
    data++;
    size--;
    uint16_t headroom = ctl & 1 ? 64 : 0;
    uint8_t *block = malloc(headroom + size + 1);
    memcpy(block + headroom, data, size);
    struct packet p = { .data = block + headroom, .len = (uint32_t) size,
                        .room = (uint32_t) size, .headroom = headroom };
    check_key(&p);

    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    uint32_t v = (uint32_t) ctl * 0x01010101u;
    for (int op = 0; op < 10; op++) {
        size_t l3 = 0;
        bool before = ip_ok(&p, &l3);
        int error;
        switch (op) {
        case 0: error = packet_set_vlan_vid(&p, (uint16_t) (v & 0xfff)); break;
        case 1: error = packet_set_vlan_pcp(&p, (uint8_t) (v & 7)); break;
        case 2: error = packet_set_dl_src(&p, mac); break;
        case 3: error = packet_set_dl_dst(&p, mac); break;
        case 4: error = packet_set_nw_src(&p, v); break;
        case 5: error = packet_set_nw_dst(&p, ~v); break;
        case 6: error = packet_set_nw_tos(&p, (uint8_t) v); break;
        case 7: error = packet_set_tp_src(&p, (uint16_t) v); break;
        case 8: error = packet_set_tp_dst(&p, (uint16_t) ~v); break;
        default: error = packet_strip_vlan(&p); break;
        }
        if (error != 0 && error != -ENOENT && error != -EINVAL) {
            abort();
        }
        if (before && op >= 4 && op <= 6 && !ip_ok(&p, &l3)) {
            abort();
        }
        check_key(&p);
    }
    free(p.storage);
    free(block);
    return 0;
}
