/* options — see options.h. */
#include <stdio.h>
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "net/stream.h"
#include "util/log.h"
#include "util/util.h"

void
switchd_usage(FILE *out)
{
    fprintf(out,
"usage: plural-switchd [OPTIONS]\n"
"An OpenFlow 1.0 software switch.\n\n"
"  --dpid HEX               datapath id (default: from the first port's MAC)\n"
"  --port [N=]SPEC          add a port (repeatable; numbered 1..N in order):\n"
"                           IFNAME, afpacket:IFNAME, afxdp:IFNAME, tap:NAME,\n"
"                           dummy:NAME\n"
"  --datapath TYPE          how IFNAME ports forward: auto (default: xdp where\n"
"                           the kernel allows it, else afpacket), xdp (kernel\n"
"                           fast path, misses via AF_XDP), afxdp, afpacket\n"
"  --xdp-flows N            datapath flows the XDP fast path caches (65536)\n"
"                           (environment: PLURAL_DATAPATH sets --datapath's default)\n"
"  --controller TARGET      controller to connect to, tcp:IP:PORT or unix:PATH\n"
"                           (repeatable; every controller gets PACKET_IN)\n"
"  --listen PTARGET         accept management connections (e.g. ovs-ofctl):\n"
"                           ptcp:PORT[:IP] or punix:PATH (repeatable)\n"
"  --private-key FILE, --certificate FILE, --ca-cert FILE\n"
"                           TLS for ssl:IP:PORT controllers and pssl:PORT[:IP]\n"
"                           listeners (mutual authentication, PEM files)\n"
"  --fail-mode MODE         secure (default: keep flows, drop table misses)\n"
"                           or standalone (learning switch without controller)\n"
"  --max-connections N      management connections at once per --listen\n"
"                           (default %d; 0 = unlimited)\n"
"  --handshake-timeout S    close a management connection that has not\n"
"                           finished TLS and sent an OpenFlow message\n"
"                           within S seconds (default %d; 0 = never)\n"
"  --ctl PATH               control socket (default %s, mode 0600)\n"
"  --config FILE            read options from FILE, one `key = value` per line\n"
"  --pidfile PATH           write the process id to PATH\n"
"  --detach                 run in the background once ready\n"
"  --log-file PATH          log to PATH instead of stderr\n"
"  --verbose [MODULE:]LEVEL log level (err, warn, info, dbg) of a module or ALL\n"
"  --help, --version\n\n"
"Control it with `plural switch` (see plural switch --help).\n"
"Exit status: 0 after a clean stop, 1 on a runtime failure, 2 for bad options.\n",
            LISTENER_DEFAULT_MAX_CONNS,
            LISTENER_DEFAULT_HANDSHAKE_TIMEOUT_MS / 1000, SWITCHD_DEFAULT_CTL);
}

void
switchd_options_init(struct switchd_options *o)
{
    memset(o, 0, sizeof *o);
    o->fail_mode = OFPROTO_FAIL_SECURE;
    listener_get_defaults(&o->listen_cfg);
    /* PLURAL_DATAPATH sets the default of --datapath (tests run whole
     * suites over one datapath type this way); a bad value is ignored. */
    const char *dpt = getenv("PLURAL_DATAPATH");
    if (dpt && dp_type_parse(dpt, &o->datapath)) {
        o->datapath = DP_TYPE_AUTO;
    }
}

static void
free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
}

void
switchd_options_uninit(struct switchd_options *o)
{
    for (size_t i = 0; i < o->n_ports; i++) {
        free(o->ports[i].spec);
    }
    free(o->ports);
    free_strings(o->controllers, o->n_controllers);
    free_strings(o->listeners, o->n_listeners);
    free_strings(o->verbose, o->n_verbose);
    free(o->ctl_path);
    free(o->pidfile);
    free(o->log_file);
    free(o->private_key);
    free(o->certificate);
    free(o->ca_cert);
}

static void
push(char ***v, size_t *n, const char *s)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = xstrdup(s);
}

static void
set_string(char **dst, const char *s)
{
    free(*dst);
    *dst = xstrdup(s);
}

static int parse_file(struct switchd_options *, const char *path, int depth,
                      char **errp);

/* Applies option `key` (without "--") with `value` (NULL if none).
 * Returns 0, or -EINVAL with *errp. */
static int
apply(struct switchd_options *o, const char *key, const char *value,
      int depth, char **errp)
{
    static const char *const flags[] = { "detach", "help", "version" };
    for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
        if (!strcmp(key, flags[i])) {
            bool on = true;
            if (value && (!strcmp(value, "false") || !strcmp(value, "no")
                          || !strcmp(value, "0"))) {
                on = false;
            } else if (value && strcmp(value, "true") && strcmp(value, "yes")
                       && strcmp(value, "1")) {
                *errp = xasprintf("%s: expected true or false, not '%s'", key, value);
                return -EINVAL;
            }
            *(i == 0 ? &o->detach : i == 1 ? &o->help : &o->version) = on;
            return 0;
        }
    }
    if (!strcmp(key, "verbose") && !value) {
        push(&o->verbose, &o->n_verbose, "ALL:dbg");
        return 0;
    }
    if (!value || !*value) {
        *errp = xasprintf("--%s needs a value", key);
        return -EINVAL;
    }
    if (!strcmp(key, "dpid")) {
        char *end;
        errno = 0;
        const char *hex = !strncmp(value, "0x", 2) || !strncmp(value, "0X", 2) ? value + 2 : value;
        unsigned long long v = strtoull(hex, &end, 16);
        if (errno || !*hex || *end || strlen(hex) > 16 || *hex == '-') {
            *errp = xasprintf("--dpid: '%s' is not a 64-bit hexadecimal number", value);
            return -EINVAL;
        }
        o->has_dpid = true;
        o->dpid = v;
    } else if (!strcmp(key, "port")) {
        if (o->n_ports >= SWITCHD_MAX_PORTS) {
            *errp = xasprintf("--port: at most %d ports", SWITCHD_MAX_PORTS);
            return -EINVAL;
        }
        uint16_t port_no = 0;
        const char *spec = value;
        const char *eq = strchr(value, '=');
        if (eq) {
            uint64_t n;
            char *num = xstrndup(value, eq - value);
            int error = str_to_u64(num, 1, 0xfeff, &n);
            free(num);
            if (error) {
                *errp = xasprintf("--port %s: the port number must be 1..65279", value);
                return -EINVAL;
            }
            port_no = n;
            spec = eq + 1;
        }
        if (!*spec) {
            *errp = xasprintf("--port %s: missing the interface", value);
            return -EINVAL;
        }
        for (size_t i = 0; i < o->n_ports; i++) {
            if (port_no && o->ports[i].port_no == port_no) {
                *errp = xasprintf("--port %s: port number %u given twice", value, port_no);
                return -EINVAL;
            }
            if (!strcmp(o->ports[i].spec, spec)) {
                *errp = xasprintf("--port %s: '%s' given twice", value, spec);
                return -EINVAL;
            }
        }
        o->ports = xrealloc(o->ports, (o->n_ports + 1) * sizeof *o->ports);
        o->ports[o->n_ports].port_no = port_no;
        o->ports[o->n_ports].spec = xstrdup(spec);
        o->n_ports++;
    } else if (!strcmp(key, "controller") || !strcmp(key, "listen")) {
        bool passive = key[0] == 'l';
        char *err = NULL;
        if (stream_verify_name(value, passive, &err)) {
            *errp = xasprintf("--%s: %s", key, err ? err : value);
            free(err);
            return -EINVAL;
        }
        if (passive) {
            push(&o->listeners, &o->n_listeners, value);
        } else {
            push(&o->controllers, &o->n_controllers, value);
        }
    } else if (!strcmp(key, "datapath")) {
        if (dp_type_parse(value, &o->datapath)) {
            *errp = xasprintf("--datapath: '%s' is not one of auto, xdp, afxdp, afpacket",
                              value);
            return -EINVAL;
        }
    } else if (!strcmp(key, "xdp-flows")) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(value, &end, 10);
        if (errno || end == value || *end || n < 16 || n > (1u << 24)) {
            *errp = xasprintf("--xdp-flows: '%s' is not a number from 16 to %u",
                              value, 1u << 24);
            return -EINVAL;
        }
        o->xdp_flows = (size_t) n;
    } else if (!strcmp(key, "fail-mode")) {
        if (ofproto_fail_mode_from_string(value, &o->fail_mode)) {
            *errp = xasprintf("--fail-mode: '%s' is neither secure nor standalone", value);
            return -EINVAL;
        }
    } else if (!strcmp(key, "ctl")) {
        set_string(&o->ctl_path, value);
    } else if (!strcmp(key, "pidfile")) {
        set_string(&o->pidfile, value);
    } else if (!strcmp(key, "log-file")) {
        set_string(&o->log_file, value);
    } else if (!strcmp(key, "private-key")) {
        set_string(&o->private_key, value);
    } else if (!strcmp(key, "certificate")) {
        set_string(&o->certificate, value);
    } else if (!strcmp(key, "ca-cert")) {
        set_string(&o->ca_cert, value);
    } else if (!strcmp(key, "verbose")) {
        const char *colon = strrchr(value, ':');
        enum log_level level;
        if (log_level_from_string(colon ? colon + 1 : value, &level)) {
            *errp = xasprintf("--verbose %s: unknown level (err, warn, info, dbg, off)", value);
            return -EINVAL;
        }
        char *v = colon ? xstrdup(value) : xasprintf("ALL:%s", value);
        push(&o->verbose, &o->n_verbose, v);
        free(v);
    } else if (!strcmp(key, "max-connections")) {
        if (listener_parse_max_conns(value, &o->listen_cfg.max_conns)) {
            *errp = xasprintf("--max-connections: '%s' is not 0..1000000", value);
            return -EINVAL;
        }
    } else if (!strcmp(key, "handshake-timeout")) {
        if (listener_parse_handshake_timeout(value, &o->listen_cfg.handshake_timeout_ms)) {
            *errp = xasprintf("--handshake-timeout: '%s' is not 0..3600 seconds", value);
            return -EINVAL;
        }
    } else if (!strcmp(key, "config")) {
        return parse_file(o, value, depth + 1, errp);
    } else {
        *errp = xasprintf("unknown option --%s (see --help)", key);
        return -EINVAL;
    }
    return 0;
}

static char *
trim(char *s)
{
    while (isspace((unsigned char) *s)) {
        s++;
    }
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char) end[-1])) {
        *--end = '\0';
    }
    return s;
}

static int
parse_file(struct switchd_options *o, const char *path, int depth, char **errp)
{
    if (depth > 4) {
        *errp = xasprintf("%s: config files nest too deep", path);
        return -EINVAL;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        *errp = xasprintf("--config %s: %s", path, strerror(errno));
        return -EINVAL;
    }
    char line[4096];
    int lineno = 0, error = 0;
    while (!error && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        char *s = trim(line);
        if (!*s) {
            continue;
        }
        char *eq = strchr(s, '=');
        char *key = s, *value = NULL;
        if (eq) {
            *eq = '\0';
            key = trim(s);
            value = trim(eq + 1);
        }
        bool bad_key = !*key;
        for (char *c = key; *c; c++) {
            if (!isalnum((unsigned char) *c) && *c != '-') {
                bad_key = true;
            }
        }
        char *err = NULL;
        if (bad_key) {
            err = xstrdup("expected `key = value`");
        } else {
            error = apply(o, key, value, depth, &err);
        }
        if (bad_key || error) {
            *errp = xasprintf("%s:%d: %s", path, lineno, err);
            free(err);
            error = -EINVAL;
        }
    }
    fclose(f);
    return error;
}

int
switchd_options_parse(struct switchd_options *o, int argc, char *argv[],
                      char **errp)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "-h")) {
            arg = "--help";
        } else if (!strcmp(arg, "-V")) {
            arg = "--version";
        }
        if (strncmp(arg, "--", 2) || !arg[2]) {
            *errp = xasprintf("unexpected argument '%s' (options start with --)", arg);
            return -EINVAL;
        }
        char *key = xstrdup(arg + 2);
        char *value = strchr(key, '=');
        if (value) {
            *value++ = '\0';
        }
        bool is_flag = !strcmp(key, "detach") || !strcmp(key, "help")
                       || !strcmp(key, "version");
        bool optional = !strcmp(key, "verbose");
        if (!value && !is_flag && i + 1 < argc
            && (!optional || strncmp(argv[i + 1], "--", 2))) {
            value = argv[++i];
        }
        int error = apply(o, key, value, 0, errp);
        free(key);
        if (error) {
            return error;
        }
        if (o->help || o->version) {
            return 0;
        }
    }
    int n_tls = !!o->private_key + !!o->certificate + !!o->ca_cert;
    if (n_tls && n_tls != 3) {
        *errp = xstrdup("TLS needs all of --private-key, --certificate and --ca-cert");
        return -EINVAL;
    }
    for (size_t i = 0; i < o->n_controllers + o->n_listeners; i++) {
        const char *t = i < o->n_controllers ? o->controllers[i]
                                               : o->listeners[i - o->n_controllers];
        if (!n_tls && (!strncmp(t, "ssl:", 4) || !strncmp(t, "pssl:", 5))) {
            *errp = xasprintf("%s needs --private-key, --certificate and --ca-cert", t);
            return -EINVAL;
        }
    }
    return 0;
}
