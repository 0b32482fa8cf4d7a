/* choices.c: what the wizard offers on its screens and what it allows. */
#include "choices.h"

#include <errno.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

static void add(struct drs_choices *c, const struct drs_iface *i, const struct drs_addr *a) {
        struct drs_choice_row r = {.iface = i, .addr = *a, .cls = addr_classify(a)};

        if (r.cls == ADDR_CLASS_PUBLIC) {
                r.tone = TONE_WARN;
                r.note = _("public: reachable from outside this network; TLS and a typed confirmation needed");
        } else if (r.cls == ADDR_CLASS_UNSPECIFIED) {
                r.tone = TONE_WARN;
                r.note = _("every address of every interface, public ones included; TLS and a typed confirmation "
                           "needed");
        } else if (i && !i->up) {
                r.tone = TONE_DIM;
                r.note = _("the interface is down: no client reaches it until it is up");
        }
        c->rows = xrealloc(c->rows, (c->n + 1) * sizeof(*c->rows));
        c->rows[c->n++] = r;
}

void choices_rows(const struct drs_iface_list *l, bool show_plumbing, struct drs_choices *ret) {
        struct drs_choices c = {0};
        struct drs_addr all;

        for (size_t i = 0; i < l->n; i++) {
                const struct drs_iface *f = &l->items[i];
                for (size_t k = 0; k < f->n_addrs; k++) {
                        if (!addr_class_usable(addr_classify(&f->addrs[k].addr)))
                                continue;
                        if (iface_is_container_plumbing(f->name) && !show_plumbing) {
                                c.hidden++;
                                continue;
                        }
                        add(&c, f, &f->addrs[k].addr);
                }
        }
        (void) addr_parse("0.0.0.0", &all);
        add(&c, NULL, &all);
        *ret = c;
}

void choices_done(struct drs_choices *c) {
        free(c->rows);
        *c = (struct drs_choices) {0};
}

int choices_find(const struct drs_choices *c, const char *iface, const struct drs_addr *addr) {
        for (size_t i = 0; i < c->n; i++) {
                const struct drs_choice_row *r = &c->rows[i];
                if ((r->iface ? !iface || streq(r->iface->name, iface) : !iface) && addr_equal(&r->addr, addr))
                        return (int) i;
        }
        return -1;
}

int choices_find_iface(const struct drs_choices *c, const struct drs_iface_list *l, const char *iface) {
        struct drs_addr a;

        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].name, iface) && iface_pick_address(&l->items[i], &a) >= 0 &&
                    choices_find(c, iface, &a) >= 0)
                        return choices_find(c, iface, &a);
        for (size_t k = 0; k < c->n; k++)
                if (c->rows[k].iface && streq(c->rows[k].iface->name, iface))
                        return (int) k;
        return -1;
}

int choices_preselect(const struct drs_choices *c, const struct drs_iface_list *l) {
        struct drs_addr a;
        int i = iface_preselect(l);

        if (i < 0)
                return -1;
        if (iface_pick_address(&l->items[i], &a) < 0) {
                /* Several addresses: the first row of that interface. */
                for (size_t k = 0; k < c->n; k++)
                        if (c->rows[k].iface == &l->items[i])
                                return (int) k;
                return -1;
        }
        return choices_find(c, l->items[i].name, &a);
}

bool choices_mode_allowed(enum drs_mode m, enum drs_addr_class cls, const char **ret_why) {
        if (m == MODE_PLAIN && !addr_class_allows_plain(cls)) {
                if (ret_why)
                        *ret_why = _("plain TCP only on loopback, private, CGNAT or ULA addresses");
                return false;
        }
        return true;
}

enum drs_confirm choices_confirmation(enum drs_mode m, enum drs_addr_class cls) {
        if (m == MODE_PLAIN)
                return CONFIRM_PLAIN;
        if (addr_class_needs_allow_public(cls))
                return CONFIRM_PUBLIC;
        return CONFIRM_NONE;
}

const char *choices_confirm_word(enum drs_confirm c) {
        return c == CONFIRM_PLAIN ? "plain" : c == CONFIRM_PUBLIC ? "public" : NULL;
}

int choices_port(const char *text, uint16_t *ret, const char **ret_msg) {
        int r = port_parse(text, ret);
        if (r == -ERANGE)
                *ret_msg = _("the port must be from 1 to 65535");
        else if (r < 0)
                *ret_msg = *text ? _("the port must be a number") : _("enter a port");
        return r < 0 ? -1 : 0;
}
