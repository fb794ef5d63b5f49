/* options — plural-switchd's command line and configuration file.
 *
 * Both take the same options; the file has one per line, `key = value`
 * (key = the long option without "--"; flags take "true"/"false" or no
 * value), with '#' comments and blank lines.  Repeatable options (port,
 * controller, listen, verbose) accumulate across the file and the command
 * line, in that order.  Errors are one line naming what is wrong (and
 * FILE:LINE for the file); the caller prints it and exits 2. */
#ifndef PLURAL_SWITCHD_OPTIONS_H
#define PLURAL_SWITCHD_OPTIONS_H 1

#include <stdbool.h>
#include <stdint.h>
#include "net/listener.h"
#include "ofproto/ofproto.h"

#define SWITCHD_DEFAULT_CTL "/run/plural/switchd.ctl"
#define SWITCHD_MAX_PORTS 256

struct switchd_port_opt {
    uint16_t port_no;           /* 0: next free number. */
    char *spec;
};

struct switchd_options {
    bool has_dpid;
    uint64_t dpid;
    struct switchd_port_opt *ports;
    size_t n_ports;
    char **controllers;
    size_t n_controllers;
    char **listeners;
    size_t n_listeners;
    char **verbose;             /* "MODULE:LEVEL". */
    size_t n_verbose;
    enum ofproto_fail_mode fail_mode;
    enum dp_type datapath;      /* --datapath (default auto). */
    size_t xdp_flows;           /* --xdp-flows (0: 65536). */
    char *ctl_path;
    char *pidfile;
    char *log_file;
    char *private_key, *certificate, *ca_cert;     /* TLS (ssl:, pssl:). */
    struct listener_config listen_cfg;  /* --max-connections, --handshake-timeout. */
    bool detach;
    bool help, version;
};

void switchd_options_init(struct switchd_options *);
void switchd_options_uninit(struct switchd_options *);
/* Parses argv; returns 0 or -EINVAL with *errp (a one-line message). */
int switchd_options_parse(struct switchd_options *, int argc, char *argv[],
                          char **errp);
void switchd_usage(FILE *);

#endif
