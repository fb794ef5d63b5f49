/* event-loop — a small epoll event loop (after Redis's ae.c).
 *
 * One loop drives one thread of a plural daemon.  It waits in epoll_wait()
 * (the only blocking call) and then runs, in this order,
 *   1. the callbacks of file descriptors that became ready,
 *   2. the callbacks of timers whose deadline has passed.
 *
 * File descriptors: loop_add_fd() registers a callback with an interest set
 * (LOOP_READ and/or LOOP_WRITE); loop_set_fd_interest() changes it (e.g. ask
 * for LOOP_WRITE only while a send queue is non-empty); loop_remove_fd()
 * forgets it.  The callback receives the events that are ready; errors and
 * hang-ups are reported as LOOP_READ|LOOP_WRITE|LOOP_ERROR so that whichever
 * read or write the owner attempts returns the error.  The loop never closes
 * a descriptor: the owner does, after loop_remove_fd().
 *
 * Timers: deadlines are in milliseconds of util/clock.h, so a test that calls
 * clock_warp_ms() and then loop_run_once(loop, 0) fires every timer that the
 * warp made due, without sleeping.  A timer callback returns the delay until
 * it should fire again, or LOOP_TIMER_DONE to be deleted (ae.c's rule).
 *
 * Re-entrancy: any callback may add or remove fds and timers (including its
 * own) and may call loop_stop().  A removed fd or cancelled timer is never
 * called back afterwards, even later in the same iteration.
 *
 * Thread-safety: a loop belongs to the thread that runs it; every function
 * must be called from that thread, except loop_wake() and loop_stop(), which
 * any thread may call (they write to an eventfd that the loop polls).
 *
 * Errors: 0 or a negative errno, as everywhere in plural. */
#ifndef PLURAL_NET_EVENT_LOOP_H
#define PLURAL_NET_EVENT_LOOP_H 1

#include <stdbool.h>
#include <stdint.h>

struct loop;

/* Interest and readiness bits. */
#define LOOP_READ   0x1u
#define LOOP_WRITE  0x2u
#define LOOP_ERROR  0x4u    /* Only in reported events: EPOLLERR/EPOLLHUP. */

typedef void loop_fd_cb(struct loop *, int fd, unsigned int events, void *aux);

/* Returns the delay in ms until the next call, or LOOP_TIMER_DONE. */
#define LOOP_TIMER_DONE (-1)
typedef int64_t loop_timer_cb(struct loop *, uint64_t timer_id, void *aux);

struct loop *loop_create(void);
/* Frees the loop.  Registered fds are not closed.  Accepts NULL. */
void loop_destroy(struct loop *);

/* Registers fd with `interest` (LOOP_READ|LOOP_WRITE, may be 0).
 * Returns 0, -EEXIST if fd is already registered, -EBADF/-EINVAL/-EPERM
 * (from epoll_ctl, e.g. a regular file). */
int loop_add_fd(struct loop *, int fd, unsigned int interest,
                loop_fd_cb *, void *aux);
/* Changes the interest set of a registered fd.  0 or -ENOENT, -errno. */
int loop_set_fd_interest(struct loop *, int fd, unsigned int interest);
/* Unregisters fd (no-op if not registered).  Call before close(fd). */
void loop_remove_fd(struct loop *, int fd);

/* Adds a timer firing `delay_ms` from clock_now_ms().  Returns its id
 * (never 0). */
uint64_t loop_add_timer(struct loop *, uint64_t delay_ms,
                        loop_timer_cb *, void *aux);
/* Cancels a timer; returns false if no such timer (already done).
 * Id 0 is accepted and ignored. */
bool loop_cancel_timer(struct loop *, uint64_t timer_id);
/* Milliseconds until the earliest timer is due (0 if overdue), or -1. */
int64_t loop_next_timer_ms(const struct loop *);

/* Waits at most timeout_ms (-1: until something happens, 0: do not wait;
 * the wait is shortened to the next timer) and runs the callbacks that are
 * due.  Returns the number of callbacks run (>= 0), or -errno if epoll_wait
 * failed (never -EINTR, which counts as 0). */
int loop_run_once(struct loop *, int timeout_ms);
/* Runs loop_run_once(-1) until loop_stop() is called (a loop_stop() made
 * before loop_run() makes it return at once). */
void loop_run(struct loop *);
/* Makes loop_run() return after the current iteration.  Any thread. */
void loop_stop(struct loop *);
/* Interrupts a current or next epoll_wait().  Any thread. */
void loop_wake(struct loop *);
/* Calls cb(loop, aux) in the loop thread after each loop_wake() (several
 * wakes may coalesce into one call).  NULL cb clears it. */
void loop_set_wake_cb(struct loop *, void (*cb)(struct loop *, void *aux),
                      void *aux);

#endif
