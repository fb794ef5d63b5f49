/* l2 — the learning-switch app (what ovs-testcontroller does), the baseline
 * for the controller benchmark.
 *
 * Per switch, a MAC table keyed by (VLAN, MAC) -> port, learned from the
 * source of every PACKET_IN, aged after `mac_age_s` (lazily, on lookup, and
 * swept by the run hook).  A PACKET_IN to a known destination installs
 * in_port,dl_vlan,dl_src,dl_dst -> output:PORT with an idle timeout (the
 * switch applies it to the buffered packet, or a PACKET_OUT carries the
 * frame); an unknown or broadcast destination is flooded with PACKET_OUT.
 *
 * Fast path: no allocation per PACKET_IN (a table entry is allocated only
 * when a new MAC is learned); messages are encoded into the switch's output
 * buffer and written once per event-loop round.
 *
 * Config (optional file): `idle-timeout SECONDS`, `mac-age SECONDS`,
 * `max-macs N` (per switch; learning stops when full). */
#ifndef PLURAL_APPS_L2_H
#define PLURAL_APPS_L2_H 1

#include "ctl/ctl-app.h"

extern const struct ctl_app_class l2_app_class;

#endif
