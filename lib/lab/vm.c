/* vm — QEMU guests and their console control channel (see vm.h). */
#include "lab/vm.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "lab/proc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/util.h"

bool
lab_vm_kvm_available(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    close(fd);
    return true;
}

pid_t
lab_vm_spawn(const struct lab_vm_config *cfg, const char *accel, int *gate)
{
    char **argv = NULL;
    size_t n = 0;
#define ARG(...) (argv = xrealloc(argv, (n + 2) * sizeof *argv), argv[n++] = xasprintf(__VA_ARGS__))
    ARG("qemu-system-x86_64");
    ARG("-name");
    ARG("%s", cfg->name);
    if (!strcmp(accel, "kvm")) {
        ARG("-accel");
        ARG("kvm");
        ARG("-cpu");
        ARG("host");
    } else {
        ARG("-accel");
        ARG("tcg,thread=multi");
        ARG("-cpu");
        ARG("max");
    }
    ARG("-m");
    ARG("%" PRIu64 "M", (uint64_t) ((cfg->memory ? cfg->memory : 512ULL << 20) >> 20));
    ARG("-smp");
    ARG("%u", cfg->vcpus ? cfg->vcpus : 1);
    ARG("-nographic");
    ARG("-nodefaults");
    ARG("-no-reboot");
    ARG("-kernel");
    ARG("%s", cfg->kernel);
    ARG("-initrd");
    ARG("%s", cfg->initrd);
    ARG("-append");
    ARG("console=ttyS0 panic=-1 quiet loglevel=0");
    ARG("-serial");
    ARG("unix:%s,server=on,wait=off", cfg->console);
    ARG("-monitor");
    ARG("none");
    const char *model = cfg->nic && !strcmp(cfg->nic, "e1000") ? "e1000" : "virtio-net-pci";
    for (size_t i = 0; i < cfg->n_taps; i++) {
        ARG("-netdev");
        ARG("tap,id=n%zu,fd=%d", i, cfg->tap_fds[i]);
        ARG("-device");
        ARG("%s,netdev=n%zu", model, i);
    }
#undef ARG
    argv[n] = NULL;
    unlink(cfg->console);
    struct lab_exec_ctx ctx = { .cpu_mask = cfg->cpu_mask };
    pid_t pid = lab_proc_start(&ctx, argv, cfg->log_path, gate);
    for (size_t i = 0; i < n; i++) {
        free(argv[i]);
    }
    free(argv);
    return pid;
}

static int
console_connect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sun.sun_path) {
        return -ENAMETOOLONG;
    }
    strcpy(sun.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    if (connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        int error = -errno;
        close(fd);
        return error;
    }
    return fd;
}

static int
send_line(int fd, const char *line)
{
    size_t len = strlen(line), done = 0;
    while (done < len) {
        ssize_t n = send(fd, line + done, len - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        done += n;
    }
    return 0;
}

/* Reads from FD into IN until DEADLINE_MS; returns 1 if data came, 0 on
 * timeout of this wait (WAIT_MS), or -errno. */
static int
read_some(int fd, struct buf *in, int wait_ms)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    int r = poll(&pfd, 1, wait_ms);
    if (r < 0) {
        return errno == EINTR ? 0 : -errno;
    }
    if (r == 0) {
        return 0;
    }
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0) {
        return -errno;
    }
    if (n == 0) {
        return -ECONNRESET;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (chunk[i] != '\r' && chunk[i] != '\0') {
            buf_put_u8(in, chunk[i]);
        }
    }
    return 1;
}

/* Looks for "PLURAL-END ID RC" in IN; on success fills rc and output
 * (between "PLURAL-BEGIN ID\n" and the end line). */
static bool
find_answer(struct buf *in, const char *id, int *rc, char **output)
{
    const char *text = buf_cstr(in);
    char *end_tag = xasprintf("PLURAL-END %s ", id);
    char *begin_tag = xasprintf("PLURAL-BEGIN %s\n", id);
    const char *end = strstr(text, end_tag);
    bool found = false;
    if (end && strchr(end, '\n')) {
        *rc = atoi(end + strlen(end_tag));
        const char *begin = strstr(text, begin_tag);
        if (output) {
            if (begin && begin < end) {
                begin += strlen(begin_tag);
                *output = xstrndup(begin, end - begin);
            } else {
                *output = xstrdup("");
            }
        }
        found = true;
    }
    free(end_tag);
    free(begin_tag);
    return found;
}

static uint32_t exchange_counter;

int
lab_vm_exec(const char *console, const char *command, int timeout_ms, int *exit_code,
            char **output, double *seconds)
{
    if (strchr(command, '\n')) {
        return -EINVAL;
    }
    int fd = console_connect(console);
    if (fd < 0) {
        return fd;
    }
    char id[48];
    snprintf(id, sizeof id, "x%ld-%u-%" PRIu64, (long) getpid(), ++exchange_counter,
             clock_now_ns() % 1000000);
    /* The leading newline ends any partial line left in the guest's tty:
     * QEMU drops what a closed client had not yet pushed into the UART,
     * e.g. the tail of an earlier readiness probe, and the agent would
     * read that fragment and this line as one. */
    char *line = xasprintf("\n%s %s\n", id, command);
    struct buf in;
    buf_init(&in, 4096);
    uint64_t start = clock_now_ns();
    uint64_t deadline = clock_now_ms() + timeout_ms;
    int error = send_line(fd, line);
    bool found = false;
    while (!error && !found) {
        int64_t left = (int64_t) (deadline - clock_now_ms());
        if (left <= 0) {
            error = -ETIMEDOUT;
            break;
        }
        int r = read_some(fd, &in, left > 200 ? 200 : (int) left);
        if (r < 0) {
            error = r;
        } else if (r > 0) {
            found = find_answer(&in, id, exit_code, output);
        }
    }
    uint64_t stop = clock_now_ns();
    if (found && seconds) {
        *seconds = (stop - start) / 1e9;
    }
    free(line);
    buf_uninit(&in);
    close(fd);
    return error;
}

int
lab_vm_wait_ready(const char *console, pid_t pid, uint64_t start, int timeout_ms)
{
    uint64_t deadline = clock_now_ms() + timeout_ms;
    int fd = -1;
    struct buf in;
    buf_init(&in, 4096);
    int error = -ETIMEDOUT;
    unsigned int probe = 0;
    uint64_t next_probe = 0;
    char id[32] = "";
    while (clock_now_ms() < deadline) {
        if (!lab_proc_alive(pid, start)) {
            error = -ECHILD;
            break;
        }
        if (fd < 0) {
            fd = console_connect(console);
            if (fd < 0) {
                nanosleep(&(struct timespec) { 0, 100 * 1000 * 1000 }, NULL);
                continue;
            }
        }
        if (clock_now_ms() >= next_probe) {
            /* Input sent before the agent runs is lost or garbled: probe
             * again every second until an answer comes. */
            snprintf(id, sizeof id, "ready%u", ++probe);
            char *line = xasprintf("\n%s true\n", id);
            send_line(fd, line);
            free(line);
            next_probe = clock_now_ms() + 1000;
        }
        int r = read_some(fd, &in, 100);
        if (r < 0) {
            close(fd);
            fd = -1;
            continue;
        }
        int rc;
        for (unsigned int p = 1; p <= probe; p++) {
            char pid_s[32];
            snprintf(pid_s, sizeof pid_s, "ready%u", p);
            if (find_answer(&in, pid_s, &rc, NULL) && rc == 0) {
                error = 0;
            }
        }
        if (!error) {
            break;
        }
        if (in.size > 65536) {
            buf_clear(&in);
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    buf_uninit(&in);
    return error;
}
