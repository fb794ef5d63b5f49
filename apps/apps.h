/* apps — the registry of controller apps built into plural-controller. */
#ifndef PLURAL_APPS_H
#define PLURAL_APPS_H 1

#include <stddef.h>
#include "ctl/ctl-app.h"

/* NULL-terminated list. */
extern const struct ctl_app_class *const ctl_app_classes[];
/* Finds an app by name; NULL if none. */
const struct ctl_app_class *ctl_app_class_find(const char *name);

#endif
