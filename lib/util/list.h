/* list — intrusive circular doubly-linked list (embed `struct list` in the
 * element; an empty list points at itself).  Not thread-safe. */
#ifndef PLURAL_LIST_H
#define PLURAL_LIST_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

struct list {
    struct list *prev, *next;
};

#define LIST_INITIALIZER(L) { (L), (L) }

static inline void list_init(struct list *l) { l->prev = l->next = l; }
static inline bool list_is_empty(const struct list *l) { return l->next == l; }

static inline void
list_insert(struct list *before, struct list *elem)
{
    elem->prev = before->prev;
    elem->next = before;
    before->prev->next = elem;
    before->prev = elem;
}

static inline void list_push_back(struct list *l, struct list *e) { list_insert(l, e); }
static inline void list_push_front(struct list *l, struct list *e) { list_insert(l->next, e); }

static inline struct list *
list_remove(struct list *elem)
{
    elem->prev->next = elem->next;
    elem->next->prev = elem->prev;
    struct list *next = elem->next;
    elem->prev = elem->next = elem;
    return next;
}

static inline struct list *
list_pop_front(struct list *l)
{
    struct list *front = l->next;
    list_remove(front);
    return front;
}

static inline size_t
list_size(const struct list *l)
{
    size_t n = 0;
    for (const struct list *e = l->next; e != l; e = e->next) {
        n++;
    }
    return n;
}

#define LIST_FOR_EACH(ITER, MEMBER, LIST)                                   \
    for (ITER = CONTAINER_OF((LIST)->next, __typeof__(*ITER), MEMBER);      \
         &(ITER)->MEMBER != (LIST);                                         \
         ITER = CONTAINER_OF((ITER)->MEMBER.next, __typeof__(*ITER), MEMBER))

/* Safe against removal of ITER. */
#define LIST_FOR_EACH_SAFE(ITER, NEXT, MEMBER, LIST)                        \
    for (ITER = CONTAINER_OF((LIST)->next, __typeof__(*ITER), MEMBER);      \
         &(ITER)->MEMBER != (LIST)                                          \
         && (NEXT = CONTAINER_OF((ITER)->MEMBER.next, __typeof__(*ITER), MEMBER), 1); \
         ITER = NEXT)

#endif
