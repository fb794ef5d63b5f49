/* event-loop — see event-loop.h.
 *
 * Layout: registered fds live in an array indexed by fd (like ae.c), so a
 * ready event finds its handler in O(1) and a handler removed during the
 * current iteration is simply seen as absent.  Timers are a plain list
 * scanned linearly: a daemon has a handful of them, and a scan is easier to
 * read than a heap.  The wake eventfd is an ordinary registered fd. */
#include "net/event-loop.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/list.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(event_loop);

#define MAX_EVENTS 64

struct loop_fd {
    loop_fd_cb *cb;         /* NULL if the slot is free. */
    void *aux;
    unsigned int interest;
};

struct loop_timer {
    struct list node;
    uint64_t id;
    uint64_t deadline_ms;
    loop_timer_cb *cb;
    void *aux;
    uint64_t armed_in_pass;     /* Not run in the timer pass that armed it. */
};

struct loop {
    int epfd;
    int wake_fd;
    struct loop_fd *fds;
    size_t n_fds;                   /* Slots in fds[]. */
    struct list timers;
    uint64_t next_timer_id;
    uint64_t timer_pass;            /* Count of run_timers() passes. */
    atomic_bool stop;
    void (*wake_cb)(struct loop *, void *);
    void *wake_aux;
};

static uint32_t
interest_to_epoll(unsigned int interest)
{
    return (interest & LOOP_READ ? EPOLLIN : 0)
           | (interest & LOOP_WRITE ? EPOLLOUT : 0);
}

static void
wake_fd_cb(struct loop *loop, int fd, unsigned int events, void *aux)
{
    (void) events;
    (void) aux;
    uint64_t n;
    while (read(fd, &n, sizeof n) > 0) {
        continue;
    }
    if (loop->wake_cb) {
        loop->wake_cb(loop, loop->wake_aux);
    }
}

struct loop *
loop_create(void)
{
    struct loop *loop = xzalloc(sizeof *loop);
    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    loop->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (loop->epfd < 0 || loop->wake_fd < 0) {
        /* Only fails when the process is out of fds or memory. */
        util_abort("event loop: epoll_create1/eventfd: %s", strerror(errno));
    }
    list_init(&loop->timers);
    loop->next_timer_id = 1;
    if (loop_add_fd(loop, loop->wake_fd, LOOP_READ, wake_fd_cb, NULL)) {
        util_abort("event loop: cannot register eventfd");
    }
    return loop;
}

void
loop_destroy(struct loop *loop)
{
    if (!loop) {
        return;
    }
    struct loop_timer *t, *next;
    LIST_FOR_EACH_SAFE (t, next, node, &loop->timers) {
        free(t);
    }
    close(loop->wake_fd);
    close(loop->epfd);
    free(loop->fds);
    free(loop);
}

static struct loop_fd *
lookup_fd(const struct loop *loop, int fd)
{
    return fd >= 0 && (size_t) fd < loop->n_fds && loop->fds[fd].cb
           ? &loop->fds[fd] : NULL;
}

int
loop_add_fd(struct loop *loop, int fd, unsigned int interest,
            loop_fd_cb *cb, void *aux)
{
    if (fd < 0) {
        return -EBADF;
    }
    if (lookup_fd(loop, fd)) {
        return -EEXIST;
    }
    struct epoll_event ev = { .events = interest_to_epoll(interest),
                              .data.fd = fd };
    if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        return -errno;
    }
    if ((size_t) fd >= loop->n_fds) {
        size_t n = MAX((size_t) fd + 1, loop->n_fds * 2);
        loop->fds = xrealloc(loop->fds, n * sizeof *loop->fds);
        memset(&loop->fds[loop->n_fds], 0,
               (n - loop->n_fds) * sizeof *loop->fds);
        loop->n_fds = n;
    }
    loop->fds[fd] = (struct loop_fd) { cb, aux, interest };
    return 0;
}

int
loop_set_fd_interest(struct loop *loop, int fd, unsigned int interest)
{
    struct loop_fd *lfd = lookup_fd(loop, fd);
    if (!lfd) {
        return -ENOENT;
    }
    if (lfd->interest == interest) {
        return 0;
    }
    struct epoll_event ev = { .events = interest_to_epoll(interest),
                              .data.fd = fd };
    if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0) {
        return -errno;
    }
    lfd->interest = interest;
    return 0;
}

void
loop_remove_fd(struct loop *loop, int fd)
{
    struct loop_fd *lfd = lookup_fd(loop, fd);
    if (lfd) {
        epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
        memset(lfd, 0, sizeof *lfd);
    }
}

uint64_t
loop_add_timer(struct loop *loop, uint64_t delay_ms, loop_timer_cb *cb,
               void *aux)
{
    struct loop_timer *t = xzalloc(sizeof *t);
    t->id = loop->next_timer_id++;
    t->deadline_ms = clock_now_ms() + delay_ms;
    t->cb = cb;
    t->aux = aux;
    t->armed_in_pass = loop->timer_pass;
    list_push_back(&loop->timers, &t->node);
    return t->id;
}

static struct loop_timer *
find_timer(const struct loop *loop, uint64_t id)
{
    struct loop_timer *t;
    LIST_FOR_EACH (t, node, &loop->timers) {
        if (t->id == id) {
            return t;
        }
    }
    return NULL;
}

bool
loop_cancel_timer(struct loop *loop, uint64_t id)
{
    struct loop_timer *t = id ? find_timer(loop, id) : NULL;
    if (t) {
        list_remove(&t->node);
        free(t);
    }
    return t != NULL;
}

int64_t
loop_next_timer_ms(const struct loop *loop)
{
    if (list_is_empty(&loop->timers)) {
        return -1;
    }
    uint64_t earliest = UINT64_MAX;
    struct loop_timer *t;
    LIST_FOR_EACH (t, node, &loop->timers) {
        earliest = MIN(earliest, t->deadline_ms);
    }
    uint64_t now = clock_now_ms();
    return earliest <= now ? 0 : (int64_t) MIN(earliest - now, INT32_MAX);
}

/* Runs every timer due now.  A timer added or re-armed by a callback
 * during this pass waits for the next pass, so a callback that re-arms
 * itself with delay 0 cannot keep the loop here forever. */
static int
run_timers(struct loop *loop)
{
    uint64_t pass = ++loop->timer_pass;
    int n_run = 0;
    for (;;) {
        uint64_t now = clock_now_ms();
        struct loop_timer *due = NULL, *t;
        LIST_FOR_EACH (t, node, &loop->timers) {
            if (t->armed_in_pass != pass && t->deadline_ms <= now
                && (!due || t->deadline_ms < due->deadline_ms)) {
                due = t;
            }
        }
        if (!due) {
            return n_run;
        }
        /* Off the list while it runs: a callback cancelling its own timer
         * finds nothing to cancel, and the timer cannot be freed twice. */
        list_remove(&due->node);
        int64_t again = due->cb(loop, due->id, due->aux);
        n_run++;
        if (again >= 0) {
            due->deadline_ms = clock_now_ms() + (uint64_t) again;
            due->armed_in_pass = pass;
            list_push_back(&loop->timers, &due->node);
        } else {
            free(due);
        }
    }
}

int
loop_run_once(struct loop *loop, int timeout_ms)
{
    int64_t next = loop_next_timer_ms(loop);
    if (next >= 0 && (timeout_ms < 0 || next < timeout_ms)) {
        timeout_ms = (int) next;
    }

    struct epoll_event events[MAX_EVENTS];
    int n = epoll_wait(loop->epfd, events, MAX_EVENTS, timeout_ms);
    if (n < 0) {
        return errno == EINTR ? 0 : -errno;
    }

    int n_run = 0;
    for (int i = 0; i < n; i++) {
        int fd = events[i].data.fd;
        struct loop_fd *lfd = lookup_fd(loop, fd);
        if (!lfd) {
            continue;           /* Removed by an earlier callback. */
        }
        uint32_t e = events[i].events;
        unsigned int ready = (e & EPOLLIN ? LOOP_READ : 0)
                             | (e & EPOLLOUT ? LOOP_WRITE : 0);
        if (e & (EPOLLERR | EPOLLHUP)) {
            ready = LOOP_READ | LOOP_WRITE | LOOP_ERROR;
        }
        lfd->cb(loop, fd, ready, lfd->aux);
        n_run++;
    }
    return n_run + run_timers(loop);
}

void
loop_run(struct loop *loop)
{
    while (!atomic_load(&loop->stop)) {
        int error = loop_run_once(loop, -1);
        if (error < 0) {
            LOG_ERR("epoll_wait: %s", strerror(-error));
            break;
        }
    }
    atomic_store(&loop->stop, false);   /* Ready for the next loop_run(). */
}

void
loop_stop(struct loop *loop)
{
    atomic_store(&loop->stop, true);
    loop_wake(loop);
}

void
loop_wake(struct loop *loop)
{
    uint64_t one = 1;
    ssize_t n = write(loop->wake_fd, &one, sizeof one);
    (void) n;   /* EAGAIN means the counter is already non-zero: woken. */
}

void
loop_set_wake_cb(struct loop *loop, void (*cb)(struct loop *, void *aux),
                 void *aux)
{
    loop->wake_cb = cb;
    loop->wake_aux = aux;
}
