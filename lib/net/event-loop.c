/* event-loop — see event-loop.h.
 *
 * Layout: registered fds live in an array indexed by fd (like ae.c), so a
 * ready event finds its handler in O(1) and a handler removed during the
 * current iteration is simply seen as absent.  Timers sit in a min-heap by
 * deadline (util/heap.h) and in a hash map by id (for cancelling): a
 * daemon may have tens of thousands of them (plural-slicer: a reconnect
 * or probe timer per slice per switch), so finding the next one, running
 * the due ones and cancelling one are O(log n), never a scan.  The wake
 * eventfd is an ordinary registered fd. */
#include "net/event-loop.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/hash.h"
#include "util/heap.h"
#include "util/hmap.h"
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
    struct heap_node heap_node;     /* In loop->timers while armed. */
    struct hmap_node id_node;       /* In loop->timer_ids while cancellable. */
    uint64_t id;
    uint64_t deadline_ms;
    loop_timer_cb *cb;
    void *aux;
    uint64_t armed_in_pass;     /* Not run in the timer pass that armed it. */
    bool held;                  /* Set aside during a pass (armed in it). */
    bool cancelled;             /* Cancelled while held: freed after. */
};

struct loop {
    int epfd;
    int wake_fd;
    struct loop_fd *fds;
    size_t n_fds;                   /* Slots in fds[]. */
    struct heap timers;             /* By deadline_ms. */
    struct hmap timer_ids;          /* By id. */
    struct loop_timer **held;       /* run_timers() scratch. */
    size_t n_held, allocated_held;
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
    heap_init(&loop->timers);
    hmap_init(&loop->timer_ids);
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
    struct loop_timer *t;
    HMAP_FOR_EACH (t, id_node, &loop->timer_ids) {
        hmap_remove(&loop->timer_ids, &t->id_node);
        free(t);
    }
    hmap_destroy(&loop->timer_ids);
    heap_destroy(&loop->timers);
    free(loop->held);
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
    heap_node_init(&t->heap_node);
    heap_insert(&loop->timers, &t->heap_node, t->deadline_ms);
    hmap_insert(&loop->timer_ids, &t->id_node, hash_words64(&t->id, 1, 0));
    return t->id;
}

static struct loop_timer *
find_timer(const struct loop *loop, uint64_t id)
{
    struct loop_timer *t;
    HMAP_FOR_EACH_WITH_HASH (t, id_node, hash_words64(&id, 1, 0), &loop->timer_ids) {
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
    if (!t) {
        return false;
    }
    hmap_remove(&loop->timer_ids, &t->id_node);
    if (t->held) {
        t->cancelled = true;    /* run_timers() frees it. */
    } else {
        heap_remove(&loop->timers, &t->heap_node);
        free(t);
    }
    return true;
}

int64_t
loop_next_timer_ms(const struct loop *loop)
{
    const struct heap_node *min = heap_min(&loop->timers);
    if (!min) {
        return -1;
    }
    uint64_t earliest = min->key;
    uint64_t now = clock_now_ms();
    return earliest <= now ? 0 : (int64_t) MIN(earliest - now, INT32_MAX);
}

/* Runs every timer due now, earliest first.  A timer added or re-armed by
 * a callback during this pass waits for the next pass (it is set aside
 * while the pass goes on), so a callback that re-arms itself with delay 0
 * cannot keep the loop here forever. */
static int
run_timers(struct loop *loop)
{
    uint64_t pass = ++loop->timer_pass;
    int n_run = 0;
    for (;;) {
        struct heap_node *min = heap_min(&loop->timers);
        if (!min || min->key > clock_now_ms()) {
            break;
        }
        struct loop_timer *due = CONTAINER_OF(min, struct loop_timer, heap_node);
        heap_remove(&loop->timers, &due->heap_node);
        if (due->armed_in_pass == pass) {
            if (loop->n_held == loop->allocated_held) {
                loop->allocated_held = loop->allocated_held ? 2 * loop->allocated_held : 16;
                loop->held = xrealloc(loop->held, loop->allocated_held * sizeof *loop->held);
            }
            due->held = true;
            loop->held[loop->n_held++] = due;
            continue;
        }
        /* Out of the id map while it runs: a callback cancelling its own
         * timer finds nothing to cancel, and the timer cannot be freed
         * twice. */
        hmap_remove(&loop->timer_ids, &due->id_node);
        int64_t again = due->cb(loop, due->id, due->aux);
        n_run++;
        if (again >= 0) {
            due->deadline_ms = clock_now_ms() + (uint64_t) again;
            due->armed_in_pass = pass;
            heap_insert(&loop->timers, &due->heap_node, due->deadline_ms);
            hmap_insert(&loop->timer_ids, &due->id_node, hash_words64(&due->id, 1, 0));
        } else {
            free(due);
        }
    }
    for (size_t i = 0; i < loop->n_held; i++) {
        struct loop_timer *t = loop->held[i];
        t->held = false;
        if (t->cancelled) {
            free(t);
        } else {
            heap_insert(&loop->timers, &t->heap_node, t->deadline_ms);
        }
    }
    loop->n_held = 0;
    return n_run;
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
