/* choices.h: what the wizard offers on its screens and what it allows (pure, tested without a terminal). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "derive.h"
#include "iface.h"

enum drs_tone {
        TONE_NORMAL,
        TONE_WARN,   /* public or all addresses: red, reason spelled out */
        TONE_DIM,    /* interface down */
};

/* One address the Interface screen offers (link-local and multicast are never offered). */
struct drs_choice_row {
        const struct drs_iface *iface;   /* NULL: "all interfaces" (0.0.0.0) */
        struct drs_addr addr;
        enum drs_addr_class cls;
        enum drs_tone tone;
        const char *note;                /* why the tone (translated, static), NULL when normal */
};

struct drs_choices {
        struct drs_choice_row *rows;
        size_t n;
        size_t hidden;                   /* container plumbing rows left out */
};

/* The rows for the interfaces, in their order, then "all interfaces"; veth*, docker0, br-* …
 * only with show_plumbing. */
void choices_rows(const struct drs_iface_list *l, bool show_plumbing, struct drs_choices *ret);
void choices_done(struct drs_choices *c);
/* The row preselected: the address iface_pick_address() gives for iface_preselect()'s interface;
 * -1 when there is none. */
int choices_preselect(const struct drs_choices *c, const struct drs_iface_list *l);
/* The row of an interface named without an address (--iface alone): the address
 * iface_pick_address() gives, else its first row; -1 when it has none. */
int choices_find_iface(const struct drs_choices *c, const struct drs_iface_list *l, const char *iface);
/* The row for an interface and address (as the settings name them), or -1. */
int choices_find(const struct drs_choices *c, const char *iface, const struct drs_addr *addr);

enum drs_confirm {
        CONFIRM_NONE,
        CONFIRM_PLAIN,    /* plain TCP: the admin types "plain" */
        CONFIRM_PUBLIC,   /* TLS on a public or all addresses: the admin types "public" */
};

/* Whether the mode may be used on this class at all; *ret_why (translated, static) when not. */
bool choices_mode_allowed(enum drs_mode m, enum drs_addr_class cls, const char **ret_why);
/* Which typed confirmation the choice needs. */
enum drs_confirm choices_confirmation(enum drs_mode m, enum drs_addr_class cls);
/* The word to type ("plain", "public"); NULL for CONFIRM_NONE. Not translated: the same word
 * everywhere. */
const char *choices_confirm_word(enum drs_confirm c);
/* Checks the port field: 0 and *ret, or -1 with *ret_msg (translated, static). */
int choices_port(const char *text, uint16_t *ret, const char **ret_msg);
