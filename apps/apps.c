/* apps — registry of built-in controller apps. */
#include "apps.h"

#include <string.h>
#include "cleanslate/cleanslate.h"
#include "l2/l2.h"
#include "router/router.h"

const struct ctl_app_class *const ctl_app_classes[] = {
    &router_app_class,
    &l2_app_class,
    &cleanslate_app_class,
    NULL,
};

const struct ctl_app_class *
ctl_app_class_find(const char *name)
{
    for (size_t i = 0; ctl_app_classes[i]; i++) {
        if (!strcmp(ctl_app_classes[i]->name, name)) {
            return ctl_app_classes[i];
        }
    }
    return NULL;
}
