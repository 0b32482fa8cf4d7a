/* scr-port.c: the Port & security screen: TLS or plain, the port (test-bound live), the method. */
#include <stdio.h>
#include <string.h>

#include "allowlist.h"
#include "i18n.h"
#include "util.h"
#include "wizard.h"

enum { F_MODE, F_PORT, F_METHOD, F_WORD, F_ALLOW };

static enum drs_addr_class chosen_class(struct wizard *w, struct drs_addr *ret) {
        struct drs_addr a = {0};
        if (!w->s.address || addr_parse(w->s.address, &a) < 0)
                return ADDR_CLASS_PUBLIC;
        if (ret)
                *ret = a;
        return addr_classify(&a);
}

/* The live verdict on the port field: number, range, and a test-bind on the address. */
static void check_port(struct wizard *w) {
        const char *msg = NULL;
        struct drs_addr a;
        uint16_t port;
        int err;

        free(w->port_check);
        w->port_check = NULL;
        w->port_ok = false;
        if (choices_port(w->port, &port, &msg) < 0) {
                w->port_check = xstrdup(msg);
                return;
        }
        chosen_class(w, &a);
        enum drs_port_verdict v = engine_check_port(w->e, &a, port, &err);
        if (w->user && v == PORT_IN_USE && engine_user_publishes(w->e, &a, port))
                v = PORT_OWN; /* rootlesskit's publish of the user's own files */
        if (w->user && v == PORT_PRIVILEGED) {
                w->port_ok = true;
                w->port_check = xasprintf(_("port %u is privileged: Pre-flight checks whether rootlesskit may bind it"),
                                          port);
                return;
        }
        switch (v) {
        case PORT_NOT_CHECKED:
                w->port_check = xstrdup(_("not checked whether the port is free: the files are another system's "
                                          "(--root)"));
                w->port_ok = true;
                break;
        case PORT_OWN:
                w->port_ok = true;
                w->port_check = xasprintf(_("port %u is dockerd's own listener now; it is replaced"), port);
                break;
        case PORT_IN_USE:
                w->port_check = xasprintf(_("port %u is already in use on this address"), port);
                break;
        case PORT_ADDR_GONE:
                w->port_check = xstrdup(_("this address is not available on the host any more"));
                break;
        case PORT_PRIVILEGED:
                w->port_ok = true;
                w->port_check = xasprintf(_("port %u is privileged; dockerd runs as root and can bind it"), port);
                break;
        case PORT_FAILED:
                w->port_check = xasprintf(_("test-bind failed: %s"), strerror(err));
                break;
        case PORT_FREE:
                w->port_ok = true;
                w->port_check = xasprintf(_("port %u is free on this address"), port);
                break;
        }
}

/* Who may connect: offered with the socket method on an address other machines can reach. */
static bool allow_offered(struct wizard *w) {
        enum drs_addr_class cls = chosen_class(w, NULL);
        return !w->user && w->method == METHOD_SOCKET && w->allow_suggest && cls != ADDR_CLASS_LOOPBACK &&
               cls != ADDR_CLASS_UNSPECIFIED;
}

/* The networks given with --allow-from, else the chosen interface's own network. */
static char *allow_suggestion(struct wizard *w) {
        const struct drs_iface *i = w->s.iface ? iface_list_find(engine_ifaces(w->e), w->s.iface) : NULL;
        struct drs_addr a;

        if (strv_length(w->allow_given) > 0)
                return allowlist_join(w->allow_given, ", ");
        if (!i || !w->s.address || addr_parse(w->s.address, &a) < 0)
                return NULL;
        for (size_t k = 0; k < i->n_addrs; k++)
                if (addr_equal(&i->addrs[k].addr, &a)) {
                        struct drs_cidr c = {.addr = a, .prefix = i->addrs[k].prefixlen};
                        char as[46];
                        _cleanup_free_ char *text = xasprintf("%s/%u", addr_to_string(&a, as), c.prefix);
                        (void) cidr_parse(text, &c, NULL); /* the host bits cleared, whatever it returns */
                        return c.prefix > 0 ? cidr_to_string(&c) : NULL;
                }
        return NULL;
}

/* The fields in Tab order: the word and the choice of who may connect only when shown. */
static int fields_of(struct wizard *w, int *order) {
        int n = 0;
        order[n++] = F_MODE;
        order[n++] = F_PORT;
        if (!w->user) /* rootless Docker: rootlesskit's port driver only */
                order[n++] = F_METHOD;
        if (choices_confirmation(w->mode, chosen_class(w, NULL)) != CONFIRM_NONE)
                order[n++] = F_WORD;
        if (allow_offered(w))
                order[n++] = F_ALLOW;
        return n;
}

void port_enter(struct wizard *w) {
        enum drs_addr_class cls = chosen_class(w, NULL);

        if (!choices_mode_allowed(w->mode, cls, NULL))
                w->mode = MODE_TLS;
        snprintf(w->port, sizeof(w->port), "%u",
                 w->s.port ? w->s.port : w->mode == MODE_TLS ? DRS_PORT_TLS : DRS_PORT_PLAIN);
        w->word[0] = '\0';
        w->focus = F_MODE;
        free(w->allow_suggest);
        w->allow_suggest = allow_suggestion(w);
        w->allow_any = w->s.allow_from_any;
        check_port(w);
}

static void radio(struct wizard *w, int y, const char *label, bool on, bool focus, bool offered, const char *text) {
        _cleanup_free_ char *line = xasprintf("(%s) %s", on ? "*" : " ", text);
        struct drs_buf b = {0};
        buf_append(&b, " ");
        buf_append_padded(&b, label, 11);
        term_text(y, 1, 13, C_NORMAL, b.data);
        term_text(y, 14, w->cols - 16, focus && on ? C_SELECTED : offered ? C_NORMAL : C_DIM, line);
        buf_free(&b);
}

void port_draw(struct wizard *w, int top, int height) {
        struct drs_addr a;
        enum drs_addr_class cls = chosen_class(w, &a);
        const char *why = NULL;
        bool plain_ok = choices_mode_allowed(MODE_PLAIN, cls, &why);
        enum drs_confirm c = choices_confirmation(w->mode, cls);
        char as[46];
        int y = top;

        {
                _cleanup_free_ char *head = w->s.iface ? xasprintf(_("Listener on %s (%s, %s)"), addr_to_string(&a, as),
                                                                   w->s.iface, addr_class_label(cls))
                                                       : xasprintf(_("Listener on %s (%s)"), addr_to_string(&a, as),
                                                                   addr_class_label(cls));
                term_text(y, 1, w->cols - 2, cls == ADDR_CLASS_PUBLIC || cls == ADDR_CLASS_UNSPECIFIED ? C_WARN : C_NORMAL,
                          head);
        }
        y += 2;
        radio(w, y++, _("Security"), w->mode == MODE_TLS, w->focus == F_MODE, true,
              _("TLS with client certificates (recommended)"));
        radio(w, y++, "", w->mode == MODE_PLAIN, w->focus == F_MODE, plain_ok,
              plain_ok ? _("plain TCP, no authentication") : why);
        y++;
        {
                _cleanup_free_ char *field = xasprintf("[%-6s]", w->port);
                struct drs_buf b = {0};
                buf_append(&b, " ");
                buf_append_padded(&b, _("Port"), 11);
                term_text(y, 1, 13, C_NORMAL, b.data);
                term_text(y, 14, 8, w->focus == F_PORT ? C_SELECTED : C_NORMAL, field);
                y += 1 + wizard_paragraph(y + 1, 14, w->cols - 16, w->port_ok ? C_OK : C_ERROR,
                                          w->port_check ? w->port_check : "");
                buf_free(&b);
        }
        y += 1;
        if (w->user) {
                struct drs_buf b = {0};
                buf_append(&b, " ");
                buf_append_padded(&b, _("Method"), 11);
                term_text(y, 1, 13, C_NORMAL, b.data);
                term_text(y++, 14, w->cols - 16, C_DIM, _("rootlesskit's port driver (rootless Docker has no other)"));
                buf_free(&b);
        } else {
                _cleanup_free_ char *dropin = xasprintf(_("systemd drop-in (%s)"), settings_dropin_name(&w->s));
                bool sock = engine_default_method(w->e) == METHOD_SOCKET;
                radio(w, y++, _("Method"), w->method == METHOD_SOCKET, w->focus == F_METHOD, sock,
                      sock ? _("docker.socket drop-in (survives a late address at boot)")
                           : _("docker.socket drop-in (no socket activation here)"));
                radio(w, y++, "", w->method == METHOD_DROPIN, w->focus == F_METHOD, true, dropin);
                radio(w, y++, "", w->method == METHOD_DOCKER_OPTS, w->focus == F_METHOD, true,
                      _("DOCKER_OPTS in /etc/default/docker"));
        }
        if (allow_offered(w)) {
                _cleanup_free_ char *only = w->s.iface && strv_length(w->allow_given) == 0
                                                    ? xasprintf(_("only %s (%s's network)"), w->allow_suggest, w->s.iface)
                                                    : xasprintf(_("only %s"), w->allow_suggest);
                y++;
                radio(w, y++, _("Clients"), !w->allow_any, w->focus == F_ALLOW, true, only);
                radio(w, y++, "", w->allow_any, w->focus == F_ALLOW, true, _("any address that can reach the port"));
        }
        y++;
        if (c != CONFIRM_NONE) {
                _cleanup_free_ char *warn = NULL, *ask = NULL, *field = NULL;
                uint16_t port = 0;
                const char *m;
                (void) choices_port(w->port, &port, &m);
                _cleanup_free_ char *hp = addr_hostport(&a, port); /* [fd00::2]:2375 */
                warn = c == CONFIRM_PLAIN && w->user
                               ? xasprintf(_("Plain TCP gives the rootless Docker of %s, and so that account, to anyone "
                                             "who can reach %s."),
                                           w->user, port ? hp : as)
                       : c == CONFIRM_PLAIN
                               ? port ? xasprintf(_("Plain TCP gives root on this host to anyone who can reach %s."), hp)
                                      : xasprintf(_("Plain TCP gives root on this host to anyone who can reach %s."), as)
                               : xasprintf(_("%s is reachable from outside: only certificate holders get in, but the "
                                             "port is exposed."),
                                           as);
                ask = xasprintf(_("Type \"%s\" to confirm:"), choices_confirm_word(c));
                field = xasprintf("[%-10s]", w->word);
                y += wizard_paragraph(y, 1, w->cols - 2, C_WARN, warn);
                term_text(y, 1, w->cols - 16, C_NORMAL, ask);
                term_text(y, 2 + (int) utf8_width(ask), 12, w->focus == F_WORD ? C_SELECTED : C_NORMAL, field);
        }
        (void) height;
}

static bool edit(char *buf, size_t size, int key, bool digits) {
        size_t n = strlen(buf);
        if (key == TK_BACKSPACE) {
                if (n > 0)
                        buf[n - 1] = '\0';
                return true;
        }
        if (key > 0x20 && key < 0x7f && n + 1 < size && (!digits || (key >= '0' && key <= '9'))) {
                buf[n] = (char) key;
                buf[n + 1] = '\0';
                return true;
        }
        return false;
}

static int try_next(struct wizard *w) {
        enum drs_addr_class cls = chosen_class(w, NULL);
        enum drs_confirm c = choices_confirmation(w->mode, cls);
        const char *m = NULL;
        uint16_t port;

        if (choices_port(w->port, &port, &m) < 0) {
                wizard_message(w, true, "%s", m);
                w->focus = F_PORT;
                return R_REDRAW;
        }
        if (!w->port_ok) {
                wizard_message(w, true, "%s", w->port_check);
                w->focus = F_PORT;
                return R_REDRAW;
        }
        if (c != CONFIRM_NONE && !streq(w->word, choices_confirm_word(c))) {
                wizard_message(w, true, _("Type \"%s\" to confirm, or choose differently."), choices_confirm_word(c));
                w->focus = F_WORD;
                return R_REDRAW;
        }
        w->s.port = port;
        w->s.mode = w->mode;
        w->s.method = w->method;
        w->s.method_set = w->method != engine_default_method(w->e); /* else the plan says why */
        w->s.method_chosen = w->s.method_set;
        w->s.allow_public = c == CONFIRM_PUBLIC;
        w->s.allow_public_typed = w->s.allow_public;
        /* Not offered (another method, loopback, 0.0.0.0): an allow-list already there is kept. */
        strv_free(w->s.allow_from);
        w->s.allow_from = NULL;
        w->s.allow_from_any = false;
        if (allow_offered(w)) {
                /* Any address in plain mode: the word typed above ("plain": anyone who can reach it). */
                w->s.allow_from_any = w->allow_any;
                if (!w->allow_any) {
                        _cleanup_free_ char *list = xstrdup(w->allow_suggest);
                        for (char *t = strtok(list, ", "); t; t = strtok(NULL, ", "))
                                (void) allowlist_add(&w->s.allow_from, &w->s.allow_from_any, t, NULL);
                }
        }
        return R_NEXT;
}

int port_key(struct wizard *w, int key) {
        enum drs_addr_class cls = chosen_class(w, NULL);
        int order[5], fields = fields_of(w, order), at = 0;
        bool word = choices_confirmation(w->mode, cls) != CONFIRM_NONE;

        while (at < fields && order[at] != w->focus)
                at++;
        switch (key) {
        case TK_TAB:
                w->focus = order[(at + 1) % fields];
                return R_REDRAW;
        case TK_BTAB:
                w->focus = order[(at + fields - 1) % fields];
                return R_REDRAW;
        case TK_ENTER:
                return try_next(w);
        case TK_ESC:
                return R_BACK;
        }
        if (w->focus == F_MODE && (key == TK_UP || key == TK_DOWN || key == TK_LEFT || key == TK_RIGHT || key == ' ')) {
                enum drs_mode m = w->mode == MODE_TLS ? MODE_PLAIN : MODE_TLS;
                const char *why = NULL;
                if (!choices_mode_allowed(m, cls, &why)) {
                        wizard_message(w, true, "%s", why);
                        return R_REDRAW;
                }
                /* The port follows the mode while it is the other mode's default. */
                if (streq(w->port, m == MODE_TLS ? "2375" : "2376"))
                        snprintf(w->port, sizeof(w->port), "%u", m == MODE_TLS ? DRS_PORT_TLS : DRS_PORT_PLAIN);
                w->mode = m;
                w->word[0] = '\0';
                wizard_message(w, false, NULL);
                check_port(w);
                return R_REDRAW;
        }
        if (w->focus == F_METHOD && (key == TK_UP || key == TK_DOWN || key == TK_LEFT || key == TK_RIGHT || key == ' ')) {
                /* socket, dropin, docker-opts in turn (socket only where docker.socket activates dockerd) */
                bool sock = engine_default_method(w->e) == METHOD_SOCKET, back = key == TK_UP || key == TK_LEFT;
                enum drs_method methods[] = {METHOD_SOCKET, METHOD_DROPIN, METHOD_DOCKER_OPTS};
                size_t i = 0, n = ELEMENTSOF(methods);
                while (i < n && methods[i] != w->method)
                        i++;
                do
                        i = (i + (back ? n - 1 : 1)) % n;
                while (!sock && methods[i] == METHOD_SOCKET);
                w->method = methods[i];
                return R_REDRAW;
        }
        if (w->focus == F_ALLOW && (key == TK_UP || key == TK_DOWN || key == TK_LEFT || key == TK_RIGHT || key == ' ')) {
                w->allow_any = !w->allow_any;
                return R_REDRAW;
        }
        if (w->focus == F_PORT && edit(w->port, 6, key, true)) {
                check_port(w);
                wizard_message(w, false, NULL); /* an earlier complaint about the port is stale now */
                return R_REDRAW;
        }
        if (w->focus == F_PORT && key > 0x20 && key < 0x7f) {
                /* Not a digit: said so, and the letter goes nowhere else ('q' included: it is typing). */
                wizard_message(w, true, _("The port is a number; Tab moves to the next field."));
                return R_REDRAW;
        }
        if (w->focus == F_WORD && edit(w->word, sizeof(w->word), key, false)) {
                wizard_message(w, false, NULL);
                return R_REDRAW;
        }
        /* A letter typed on a choice while the word is asked for goes into its field ('q' quits). */
        if (word && key >= 'a' && key <= 'z' && key != 'q') {
                w->focus = F_WORD;
                (void) edit(w->word, sizeof(w->word), key, false);
                return R_REDRAW;
        }
        if (key == 'q')
                return R_QUIT;
        return R_NONE;
}
