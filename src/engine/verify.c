/* verify.c: restarting docker.service and proving the daemon took the change (journal + /_ping). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "fault.h"
#include "i18n.h"
#include "journal.h"
#include "listenmatch.h"
#include "sdbus.h"
#include "timeutil.h"
#include "trace.h"
#include "txn.h"
#include "util.h"

#define UNIT "docker.service"
#define SOCKET_UNIT "docker.socket"
#define MAX_LINES 400

static const char *const step_labels[_STEP_MAX] = {
        /* TRANSLATORS: apply steps, shown in a list; keep each under 30 columns. */
        [STEP_BACKUP] = N_("back up the current files"),
        [STEP_WRITE] = N_("write the new files"),
        [STEP_TIMER] = N_("arm the revert timer"),
        [STEP_RELOAD] = N_("reload systemd"),
        [STEP_RESTART] = N_("restart docker.service"),
        [STEP_JOURNAL] = N_("wait for \"API listen on\""),
        [STEP_PING] = N_("ask /_ping over the new endpoint"),
        [STEP_KEEP] = N_("keep the change"),
        [STEP_REVERT] = N_("revert to the backup"),
};

const char *step_label(enum drs_step s) {
        return s < _STEP_MAX ? _(step_labels[s]) : "?";
}

bool txn_path_is_socket_dropin(const char *path) {
        return strstr(path, "/docker.socket.d/") || strstr(path, "/socket.d/");
}

bool txn_has_socket_dropin(const struct drs_manifest *m) {
        for (size_t i = 0; i < m->n_files; i++)
                if (txn_path_is_socket_dropin(m->files[i].path))
                        return true;
        return false;
}

/* The restart of both units: docker.socket's new ListenStream= needs the socket itself restarted,
 * which stops docker.service through Requires=; stopping the service first and starting it after
 * keeps the order plain (systemd would otherwise start it again only on the next connection). */
static int restart_units(struct drs_engine *e, const struct drs_verify *v, uint64_t timeout, char **ret_result,
                         const char **ret_unit) {
        int r;

        *ret_unit = UNIT;

        if (v->socket) {
                trace("verify: stopping docker.service, restarting docker.socket");
                r = sdbus_stop_unit(e->bus, UNIT, timeout);
                if (r < 0 && r != -EIO)
                        return r;
                (void) sdbus_reset_failed(e->bus, SOCKET_UNIT);
                r = sdbus_restart_unit(e->bus, SOCKET_UNIT, timeout, ret_result);
                if (r < 0 || !streq_ptr(*ret_result, "done")) {
                        *ret_unit = SOCKET_UNIT;
                        return r;
                }
                free(*ret_result);
                *ret_result = NULL;
        }
        return sdbus_restart_unit(e->bus, UNIT, timeout, ret_result);
}

/* Of systemd's lines about a docker.socket that failed, the one that says why ("Failed to create
 * listening socket (ADDR:PORT): Address already in use"), else the generic reason. */
static char *socket_failure_reason(char *const *lines) {
        for (size_t i = 0; lines && lines[i]; i++)
                if (strstr(lines[i], "listening socket"))
                        return xstrdup(lines[i]);
        return listen_failure_reason(lines);
}

void txn_progress_step(const struct drs_progress *pr, enum drs_step s, enum drs_step_state st, const char *detail) {
        if (pr && pr->step)
                pr->step(pr->userdata, s, st, detail);
}

struct line_sink {
        const struct drs_progress *pr;
        struct drs_apply_result *res;
};

static void on_line(const char *message, uint64_t realtime, void *userdata) {
        struct line_sink *s = userdata;
        if (strv_length(s->res->journal) < MAX_LINES)
                strv_push(&s->res->journal, message);
        if (s->pr && s->pr->line)
                s->pr->line(s->pr->userdata, message, realtime);
}

/* The probe of the new endpoint, and in TLS mode the check that anonymous clients are refused
 * (how they were refused goes to res->anonymous_refused). */
static int ping(const struct drs_verify *v, struct drs_apply_result *res, char **ret_reason) {
        _cleanup_free_ char *detail = NULL;
        int r = probe_ping(&v->addr, v->port, v->tls.ca_file ? &v->tls : NULL, 5000, &detail);

        if (r < 0) {
                *ret_reason = xasprintf(_("GET /_ping over the new endpoint failed: %s"), detail ? detail : strerror(-r));
                return r;
        }
        if (v->tls_refuses_anonymous) {
                struct drs_probe_tls anon = {.ca_file = v->tls.ca_file};
                free(detail);
                detail = NULL;
                if (probe_ping(&v->addr, v->port, &anon, 5000, &detail) >= 0) {
                        *ret_reason = xstrdup(_("dockerd answers clients without a certificate; TLS verification is "
                                                "not in effect"));
                        return -EPERM;
                }
                free(res->anonymous_refused);
                res->anonymous_refused = TAKE_PTR(detail);
        }
        return 0;
}

/* Whether systemd attached the BPF programs of docker.socket's IPAddressAllow=: on a host without
 * cgroup v2 BPF (or where a seccomp filter denies bpf() to the manager) it only logs a warning,
 * once per boot and for the first unit that asks, and the socket stays open to everyone. The IP
 * accounting counters written next to the list come from the same programs: no data, no filter. */
int txn_check_enforced(struct drs_engine *e, char **ret_reason) {
        uint64_t bytes = 0;
        int r = sdbus_socket_ip_ingress(e->bus, SOCKET_UNIT, &bytes);

        trace("verify: docker.socket IPIngressBytes %s %llu", r < 0 ? "unreadable" : "=", (unsigned long long) bytes);
        if (r < 0) {
                *ret_reason = xasprintf(_("cannot tell whether systemd enforces the allow-list: reading docker.socket's "
                                          "IP accounting failed: %s"), sdbus_last_error(e->bus) ? sdbus_last_error(e->bus)
                                                                                               : strerror(-r));
                return r;
        }
        if (bytes == UINT64_MAX) {
                *ret_reason = xstrdup(_("systemd cannot enforce --allow-from on this host: docker.socket has no BPF "
                                        "firewall (IPAddressAllow= needs the unified cgroup hierarchy, cgroup v2, and a "
                                        "kernel and manager allowed to load BPF programs); the listener would be open to "
                                        "every address"));
                return -EOPNOTSUPP;
        }
        return 0;
}

/* The probe, again every half second until it answers or the deadline passes. */
static int ping_until(const struct drs_verify *v, struct drs_apply_result *res, uint64_t deadline,
                      char **ret_reason) {
        for (;;) {
                int r = ping(v, res, ret_reason);
                if (r >= 0 || r == -EPERM || now_realtime_usec() >= deadline)
                        return r;
                free(*ret_reason);
                *ret_reason = NULL;
                (void) nanosleep(&(struct timespec) {.tv_nsec = 500000000}, NULL);
        }
}

/* Reload, then restart docker.service (or docker.socket and docker.service); on failure the
 * journal lines of the attempt go into sink and *ret_reason says why. */
static int reload_and_restart(struct drs_engine *e, const struct drs_verify *v, struct drs_journal_watch *w,
                              struct drs_journal_watch *sw, struct line_sink *sink, char **ret_reason) {
        const struct drs_progress *pr = sink->pr;
        struct drs_apply_result *res = sink->res;
        uint64_t timeout = (uint64_t) v->timeout * 1000000u;
        _cleanup_free_ char *result = NULL;
        int r;

        txn_progress_step(pr, STEP_RELOAD, STEP_RUNNING, NULL);
        r = sdbus_reload(e->bus);
        if (r < 0) {
                txn_progress_step(pr, STEP_RELOAD, STEP_FAILED, NULL);
                *ret_reason = xasprintf(_("systemd could not reload: %s"), sdbus_last_error(e->bus));
                return r;
        }
        txn_progress_step(pr, STEP_RELOAD, STEP_DONE, NULL);
        fault_step("after-reload");
        (void) sdbus_reset_failed(e->bus, UNIT);

        txn_progress_step(pr, STEP_RESTART, STEP_RUNNING, NULL);
        res->restart_usec = now_realtime_usec();
        trace("verify: RestartUnit requested");
        const char *unit = UNIT;
        r = restart_units(e, v, timeout, &result, &unit);
        trace("verify: restart job finished: %s", result ? result : "?");
        fault_step("after-restart");
        if (r < 0 || !streq_ptr(result, "done")) {
                txn_progress_step(pr, STEP_RESTART, STEP_FAILED, result);
                /* Collect what dockerd and systemd said about it. */
                (void) journal_watch_wait_listen(sw && streq(unit, SOCKET_UNIT) ? sw : w, (char *[]) {"-", NULL},
                                                 2000000, on_line, sink, NULL);
                _cleanup_free_ char *why = streq(unit, SOCKET_UNIT) ? socket_failure_reason(res->journal)
                                                                    : listen_failure_reason(res->journal);
                *ret_reason = r < 0 ? xasprintf(_("restarting %s failed: %s"), unit, sdbus_last_error(e->bus))
                              : why ? xasprintf(_("%s did not start: %s"), unit, why)
                                    : xasprintf(_("%s did not start (job result \"%s\")"), unit, result);
                return r < 0 ? r : -EIO;
        }
        return 0;
}

/* Waits for dockerd's "API listen on" lines of v->expect (with an early /_ping: *pinged says
 * whether it answered). */
static int wait_for_listen(struct drs_journal_watch *w, const struct drs_verify *v, struct line_sink *sink,
                           bool *pinged, char **ret_reason) {
        const struct drs_progress *pr = sink->pr;
        struct drs_apply_result *res = sink->res;
        uint64_t timeout = (uint64_t) v->timeout * 1000000u;
        int r;

        txn_progress_step(pr, STEP_JOURNAL, STEP_RUNNING, v->expect[0]);
        fault_step("during-verify");
        /* dockerd binds its listeners before it tells systemd it is ready (which ends the
         * restart job), logs "API listen on" and answers right after that. journald,
         * however, tells journal readers about new entries only when its post-change
         * timer fires, 250–500 ms after the write, so waiting for the line first would
         * add that much to every apply. Asking /_ping now blocks exactly until dockerd
         * serves; by then the line is in the journal file and sd_journal_next() reads
         * it without waiting for the notification. The line is still required; a failed
         * early probe proves nothing and is simply asked again after the line. */
        if (v->probe) {
                _cleanup_free_ char *early = NULL;
                trace("verify: early /_ping");
                *pinged = ping(v, res, &early) >= 0;
                trace("verify: early /_ping: %s", *pinged ? "answered" : early);
                /* Rarely journald has not written the line yet when dockerd answers: then
                 * have it write out what it has instead of waiting for its notification. */
                if (*pinged)
                        journal_watch_sync_when_idle(w);
        }
        r = journal_watch_wait_listen(w, v->expect, timeout, on_line, sink, &res->listen_usec);
        if (r < 0) {
                txn_progress_step(pr, STEP_JOURNAL, STEP_FAILED, NULL);
                _cleanup_free_ char *why = listen_failure_reason(res->journal);
                *ret_reason = r == -ETIMEDOUT
                                      ? xasprintf(_("dockerd did not report \"API listen on %s\" within %u s"),
                                                  v->expect[0], v->timeout)
                              : r == -ECANCELED ? xasprintf(_("dockerd failed while starting: %s"),
                                                            why ? why : _("see the journal lines below"))
                                                : xasprintf(_("reading the journal failed: %s"), strerror(-r));
                return r;
        }
        txn_progress_step(pr, STEP_JOURNAL, STEP_DONE, v->expect[0]);
        return 0;
}

int txn_restart_and_verify(struct drs_engine *e, const struct drs_verify *v, const struct drs_progress *pr,
                       struct drs_apply_result *res, char **ret_reason) {
        struct drs_journal_watch *w = NULL, *sw = NULL;
        struct line_sink sink = {.pr = pr, .res = res};
        uint64_t timeout = (uint64_t) v->timeout * 1000000u;
        bool pinged = false;
        int r;

        if (v->stop_first) {
                /* After a failed start, Restart= may still be retrying: stop it so that its failure
                 * lines do not count against the restart that follows. */
                (void) sdbus_stop_unit(e->bus, UNIT, timeout);
                (void) sdbus_reset_failed(e->bus, UNIT);
        }
        /* The watch starts before the restart, so only this invocation's lines count. */
        r = e->user ? journal_watch_open_user(e->uid, UNIT, &w) : journal_watch_open(NULL, UNIT, &w);
        trace("verify: journal open");
        if (r < 0) {
                *ret_reason = xasprintf(_("cannot read the journal: %s"), strerror(-r));
                return r;
        }
        if (v->socket && journal_watch_open(NULL, SOCKET_UNIT, &sw) < 0)
                sw = NULL; /* only for the reason of a failure */
        r = reload_and_restart(e, v, w, sw, &sink, ret_reason);
        if (r < 0)
                goto out;
        txn_progress_step(pr, STEP_RESTART, STEP_DONE, NULL);

        if (v->expect && v->expect[0] && !engine_logs_info(e)) {
                /* A log level of warn or above hides "API listen on": waiting for it would fail
                 * a working daemon. /_ping, tried until the timeout, has to say it all. */
                txn_progress_step(pr, STEP_JOURNAL, STEP_SKIPPED, _("dockerd's log level hides it"));
                if (v->probe) {
                        txn_progress_step(pr, STEP_PING, STEP_RUNNING, NULL);
                        r = ping_until(v, res, now_realtime_usec() + timeout, ret_reason);
                        if (r >= 0 && v->allow_list)
                                r = txn_check_enforced(e, ret_reason);
                        txn_progress_step(pr, STEP_PING, r < 0 ? STEP_FAILED : STEP_DONE, NULL);
                        if (r < 0)
                                goto out;
                }
                res->verified_usec = now_realtime_usec();
                r = 0;
                goto out;
        }
        if (v->expect && v->expect[0]) {
                r = wait_for_listen(w, v, &sink, &pinged, ret_reason);
                if (r < 0)
                        goto out;
        } else
                txn_progress_step(pr, STEP_JOURNAL, STEP_SKIPPED, NULL);

        if (v->probe) {
                txn_progress_step(pr, STEP_PING, STEP_RUNNING, NULL);
                if (!pinged) {
                        trace("verify: /_ping");
                        r = ping(v, res, ret_reason);
                        trace("verify: /_ping returned %d", r);
                } else
                        r = 0;
                _cleanup_free_ char *detail = res->anonymous_refused
                                                      ? xasprintf(_("mutual TLS; without a client certificate: %s"),
                                                                  res->anonymous_refused)
                                                      : NULL;
                if (r >= 0 && v->allow_list)
                        r = txn_check_enforced(e, ret_reason);
                txn_progress_step(pr, STEP_PING, r < 0 ? STEP_FAILED : STEP_DONE, r < 0 ? NULL : detail);
                if (r < 0)
                        goto out;
        } else
                txn_progress_step(pr, STEP_PING, STEP_SKIPPED, NULL);
        res->verified_usec = now_realtime_usec();
        trace("verify: verified");
        r = 0;
out:
        journal_watch_close(w);
        journal_watch_close(sw);
        trace("verify: journal closed");
        return r;
}
