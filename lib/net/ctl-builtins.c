/* ctl-builtins — the commands every plural daemon's control socket has:
 * list-commands, version, log/list, log/set, counters, clock/stop,
 * clock/warp, clock/resume.  Each answers in text, or in JSON when asked. */
#include "net/ctl-internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "plural-config.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/log.h"
#include "util/util.h"

static void
version(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc;
    (void) argv;
    (void) aux;
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, json_pack("{s:s, s:s}", "program", program_name(),
                                       "version", PLURAL_VERSION));
    } else {
        char *text = xasprintf("%s (plural) %s\n", program_name(),
                               PLURAL_VERSION);
        ctl_reply_ok(conn, text);
        free(text);
    }
}

static void
add_module(const struct log_module *m, void *out_)
{
    json_object_set_new(out_, m->name,
                        json_string(log_level_to_string(m->level)));
}

static void
log_list(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc;
    (void) argv;
    (void) aux;
    json_t *modules = json_object();
    log_for_each_module(add_module, modules);
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, modules);
        return;
    }
    struct buf out = BUF_EMPTY;
    buf_printf(&out, "%-24s %s\n", "module", "level");
    const char *name;
    json_t *level;
    json_object_foreach (modules, name, level) {
        buf_printf(&out, "%-24s %s\n", name, json_string_value(level));
    }
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
    json_decref(modules);
}

static void
log_set(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc;
    (void) aux;
    enum log_level level;
    char *msg = NULL;
    if (log_level_from_string(argv[2], &level)) {
        msg = xasprintf("unknown log level \"%s\" (expected off, err, warn, "
                        "info or dbg)", argv[2]);
    } else if (log_set_level(argv[1], level)) {
        msg = xasprintf("unknown log module \"%s\" (see log/list)", argv[1]);
    }
    if (msg) {
        ctl_reply_error(conn, msg);
        free(msg);
    } else {
        ctl_reply_ok(conn, NULL);
    }
}

static void
add_counter(const struct counter *c, void *out_)
{
    json_object_set_new(out_, c->name, json_integer((json_int_t)
                                                    counter_read(c)));
}

static void
print_counter(const struct counter *c, void *out_)
{
    buf_printf(out_, "%-40s %12"PRIu64"  %s\n", c->name, counter_read(c),
               c->help);
}

static void
counters(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc;
    (void) argv;
    (void) aux;
    if (ctl_conn_wants_json(conn)) {
        json_t *all = json_object();
        counter_for_each(add_counter, all);
        ctl_reply_json(conn, all);
    } else {
        struct buf out = BUF_EMPTY;
        counter_for_each(print_counter, &out);
        ctl_reply_ok(conn, buf_cstr(&out));
        buf_uninit(&out);
    }
}

static void
clock_stop_cmd(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc;
    (void) argv;
    (void) aux;
    clock_stop();
    ctl_reply_ok(conn, NULL);
}

static void
clock_resume_cmd(struct ctl_conn *conn, int argc, const char *argv[],
                 void *aux)
{
    (void) argc;
    (void) argv;
    (void) aux;
    clock_resume();
    ctl_reply_ok(conn, NULL);
}

/* Timers that the warp made due fire in the loop iteration that follows
 * this handler, before the next request on this connection is read. */
static void
clock_warp_cmd(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc;
    (void) aux;
    uint64_t ms;
    if (str_to_u64(argv[1], 0, UINT32_MAX, &ms)) {
        char *msg = xasprintf("clock/warp: \"%s\" is not a number of "
                              "milliseconds", argv[1]);
        ctl_reply_error(conn, msg);
        free(msg);
        return;
    }
    clock_warp_ms(ms);
    ctl_reply_ok(conn, NULL);
}

void
ctl_register_builtins(struct ctl_server *server)
{
    static const struct {
        const char *name, *usage;
        int min_args, max_args;
        ctl_handler *handler;
    } builtins[] = {
        { "version", "", 0, 0, version },
        { "log/list", "", 0, 0, log_list },
        { "log/set", "MODULE|ALL LEVEL", 2, 2, log_set },
        { "counters", "", 0, 0, counters },
        { "clock/stop", "", 0, 0, clock_stop_cmd },
        { "clock/warp", "MS", 1, 1, clock_warp_cmd },
        { "clock/resume", "", 0, 0, clock_resume_cmd },
    };
    ctl_server_register(server, "list-commands", 0, 0,
                        ctl_server_list_commands, server);
    for (size_t i = 0; i < ARRAY_SIZE(builtins); i++) {
        ctl_server_register(server, builtins[i].name, builtins[i].min_args,
                            builtins[i].max_args, builtins[i].handler, NULL);
        ctl_server_set_usage(server, builtins[i].name, builtins[i].usage);
    }
}
