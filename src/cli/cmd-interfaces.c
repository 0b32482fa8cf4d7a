/* cmd-interfaces.c: `interfaces`: the host's NICs with addresses, class and default-route marker. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "engine.h"
#include "iface.h"
#include "output.h"
#include "util.h"

static struct json_object *iface_json(const struct drs_iface *i) {
        struct json_object *o = json_object_new_object(), *addrs = json_object_new_array();
        char s[46];

        json_object_object_add(o, "name", json_object_new_string(i->name));
        json_object_object_add(o, "up", json_object_new_boolean(i->up));
        json_object_object_add(o, "default_route", json_object_new_boolean(i->default_route));
        json_object_object_add(o, "container_plumbing", json_object_new_boolean(iface_is_container_plumbing(i->name)));
        for (size_t k = 0; k < i->n_addrs; k++) {
                struct json_object *a = json_object_new_object();
                json_object_object_add(a, "address", json_object_new_string(addr_to_string(&i->addrs[k].addr, s)));
                json_object_object_add(a, "prefixlen", json_object_new_int((int) i->addrs[k].prefixlen));
                json_object_object_add(a, "class",
                                       json_object_new_string(addr_class_to_string(addr_classify(&i->addrs[k].addr))));
                json_object_array_add(addrs, a);
        }
        json_object_object_add(o, "addresses", addrs);
        return o;
}

int cmd_interfaces(struct drs_args *a) {
        struct drs_iface_list l = {0};
        int r = engine_interfaces(&l);

        if (r < 0) {
                print_error(_("cannot list the network interfaces: %s"), engine_interfaces_strerror(r));
                return DRS_EXIT_FAILURE;
        }
        if (a->json) {
                struct json_object *arr = json_object_new_array();
                for (size_t i = 0; i < l.n; i++)
                        if (a->all || !iface_is_container_plumbing(l.items[i].name))
                                json_object_array_add(arr, iface_json(&l.items[i]));
                puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
                json_object_put(arr);
                iface_list_done(&l);
                return DRS_EXIT_OK;
        }
        struct drs_buf out = {0};
        size_t hidden = 0;
        for (size_t i = 0; i < l.n; i++) {
                const struct drs_iface *f = &l.items[i];
                if (!a->all && iface_is_container_plumbing(f->name)) {
                        hidden++;
                        continue;
                }
                buf_append_padded(&out, f->name, 16);
                if (f->default_route) {
                        buf_append_padded(&out, f->up ? _("up") : _("down"), 6);
                        buf_append(&out, _("default route"));
                } else
                        buf_append(&out, f->up ? _("up") : _("down"));
                buf_append_c(&out, '\n');
                for (size_t k = 0; k < f->n_addrs; k++) {
                        char s[46];
                        _cleanup_free_ char *cidr =
                                xasprintf("%s/%u", addr_to_string(&f->addrs[k].addr, s), f->addrs[k].prefixlen);
                        buf_append(&out, "    ");
                        buf_append_padded(&out, cidr, 44);
                        buf_append(&out, addr_class_label(addr_classify(&f->addrs[k].addr)));
                        buf_append_c(&out, '\n');
                }
        }
        if (out.data)
                fputs(out.data, stdout);
        if (hidden)
                printf(P_("(%zu container interface hidden; --all shows it)\n",
                          "(%zu container interfaces hidden; --all shows them)\n", hidden),
                       hidden);
        buf_free(&out);
        iface_list_done(&l);
        return DRS_EXIT_OK;
}
