/* session.c: what the changing commands share: root check, engine with lock, recovery, progress output. */
#include "session.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "exitcode.h"
#include "i18n.h"
#include "listenmatch.h"
#include "output.h"
#include "userplan.h"
#include "util.h"

static void print_step(_unused_ void *u, enum drs_step s, enum drs_step_state st, const char *detail) {
        const char *mark = st == STEP_RUNNING   ? "..."
                           : st == STEP_DONE    ? _("ok")
                           : st == STEP_FAILED  ? _("FAILED")
                                                : _("skipped");
        struct drs_buf b = {0};
        if (st == STEP_RUNNING && s != STEP_KEEP)
                return; /* lines only when a step ends; the journal shows what happens meanwhile */
        buf_append_padded(&b, mark, 8);
        printf("  %s%s%s%s%s\n", b.data, step_label(s), detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
        fflush(stdout);
        buf_free(&b);
}

int session_lock_failed(int r) {
        if (r == -EBUSY)
                return DRS_EXIT_BUSY;
        _cleanup_free_ char *m = engine_lock_failure(r);
        print_error("%s", m);
        if (r == -EBADFD || r == -ELOOP)
                return DRS_EXIT_PRECONDITION;
        return r == -EMLINK || r == -EUSERS ? DRS_EXIT_PRECONDITION : DRS_EXIT_FAILURE;
}

void session_say_busy(unsigned holder) {
        /* 0: the holder has the lock but has not written its PID yet (or the file was emptied). */
        if (holder == 0)
                print_error(_("another docker-remote-setup is running (it has not written its PID yet); try again "
                              "when it has finished"));
        else
                print_error(_("another docker-remote-setup (PID %u) is running; try again when it has finished"),
                            holder);
}

/* The command line shows what matters of the journal: warnings, errors, systemd's own lines and
 * the listeners; the wizard's Journal screen has every line. */
static void print_line(_unused_ void *u, const char *message, _unused_ uint64_t usec) {
        _cleanup_free_ char *text = listen_line_text(message), *level = listen_line_level(message);
        if (!*text || (level && (streq(level, "info") || streq(level, "debug")) && !listen_match(message, NULL)))
                return;
        printf("        | %s\n", text);
        fflush(stdout);
}

struct drs_progress session_progress(bool json, bool show_journal) {
        if (json)
                return (struct drs_progress) {0};
        return (struct drs_progress) {.step = print_step, .line = show_journal ? print_line : NULL};
}

int session_open_state(struct drs_args *a, bool lenient, struct drs_engine **ret) {
        struct drs_diag d = {0};
        int r;

        if (a->user) {
                /* Root, or the user itself (engine_open_user says which it needs). */
                r = engine_open_user(a->root, a->user, lenient, ret, &d);
                if (r == -EACCES) {
                        _cleanup_free_ char *m = diag_format(&d);
                        print_error("%s", m);
                        diag_done(&d);
                        return DRS_EXIT_NOT_ROOT;
                }
        } else if (!a->root && geteuid() != 0 && !lenient) {
                print_error(_("\"%s\" changes the Docker daemon's configuration and needs root: sudo %s %s …"),
                            a->command->name, PACKAGE, a->command->name);
                return DRS_EXIT_NOT_ROOT;
        } else
                r = lenient ? engine_open_for_state(a->root, ret, &d) : engine_open(a->root, ret, &d);
        return r < 0 ? report_failure(r, &d) : 0;
}

int session_open(struct drs_args *a, struct drs_engine **ret) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        struct drs_apply_result res = {0};
        struct drs_diag d = {0};
        unsigned holder = 0;
        int r;

        r = session_open_state(a, false, &e);
        if (r > 0)
                return r;
        r = engine_lock(e, 0, &holder);
        if (r == -EBUSY) {
                session_say_busy(holder);
                return DRS_EXIT_BUSY;
        }
        if (r < 0)
                return session_lock_failed(r);
        struct drs_progress pr = session_progress(a->json, false);
        r = engine_recover(e, &pr, &res, &d);
        if (r < 0) {
                _cleanup_free_ char *m = diag_format(&d);
                print_error(_("an interrupted change (%s) was found and could not be reverted: %s"), res.id ? res.id : "?",
                            m);
                if (r == -EBADMSG || r == -ENOENT)
                        print_error(_("if its record or backup cannot be repaired, \"%s recover --discard\" sets the "
                                      "record aside (nothing is reverted then: check the files yourself)"),
                                    PACKAGE);
                apply_result_done(&res);
                diag_done(&d);
                return DRS_EXIT_REVERT_FAILED;
        }
        if (r > 0) {
                if (!a->json)
                        printf(_("An interrupted change (backup %s) was found and reverted first.\n"), res.id);
                r = engine_reload(e, &d);
                if (r < 0) {
                        apply_result_done(&res);
                        return report_failure(r, &d);
                }
        }
        apply_result_done(&res);
        *ret = TAKE_PTR(e);
        return 0;
}

int session_open_idle(struct drs_args *a, struct drs_engine **ret) {
        _cleanup_(engine_freep) struct drs_engine *e = NULL;
        int r = session_open(a, &e);

        if (r > 0)
                return r;
        r = session_refuse_pending(e);
        if (r > 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

int session_finish(struct drs_args *a, const struct drs_plan *p, const struct drs_apply_result *res,
                   struct drs_diag *d, const char *what) {
        if (d->message && !a->json) {
                _cleanup_free_ char *m = diag_format(d);
                print_error("%s", m);
        }
        diag_done(d);
        return session_report(a, p, res, what);
}

int session_refuse_pending(struct drs_engine *e) {
        struct drs_txn t = {0};

        if (engine_pending(e, &t, NULL) < 0)
                return 0;
        print_error(_("a change (backup %s) awaits confirmation: run \"confirm\" to keep it or \"rollback\" to undo "
                      "it first"),
                    t.id);
        txn_done(&t);
        return DRS_EXIT_BUSY;
}

static const char *outcome_key(enum drs_outcome o) {
        static const char *const k[] = {"kept", "pending", "nothing", "written", "rolled-back", "revert-failed",
                                        "blocked"};
        return k[o];
}

static int outcome_exit(enum drs_outcome o) {
        static const int c[] = {DRS_EXIT_OK, DRS_EXIT_OK, DRS_EXIT_NOTHING, DRS_EXIT_OK, DRS_EXIT_ROLLED_BACK,
                                DRS_EXIT_REVERT_FAILED, DRS_EXIT_PRECONDITION};
        return c[o];
}

/* The failed start's warnings, errors and systemd lines (the last 15). */
static void print_journal_excerpt(char *const *lines) {
        _cleanup_strv_free_ char **keep = xcalloc(1, sizeof(char *));
        for (size_t i = 0; lines && lines[i]; i++) {
                _cleanup_free_ char *t = listen_line_text(lines[i]), *level = listen_line_level(lines[i]);
                if (*t && !(level && (streq(level, "info") || streq(level, "debug"))))
                        strv_consume(&keep, xasprintf("%s %s", listen_line_is_error(lines[i]) ? "!" : " ", t));
        }
        size_t n = strv_length(keep);
        if (n == 0)
                return;
        printf("%s\n", _("What docker.service logged:"));
        for (size_t i = n > 15 ? n - 15 : 0; i < n; i++)
                printf("  %s\n", keep[i]);
}

static double ms(uint64_t a, uint64_t b) {
        return a && b && b >= a ? (double) (b - a) / 1000.0 : -1;
}

/* Milliseconds with one decimal, printed as such (no binary-fraction noise). */
static struct json_object *json_ms(uint64_t a, uint64_t b) {
        char buf[32];
        double v = ms(a, b);
        if (v < 0)
                return NULL;
        snprintf(buf, sizeof(buf), "%.1f", v);
        return json_object_new_double_s(v, buf);
}

static struct json_object *report_json(const struct drs_plan *p, const struct drs_apply_result *res) {
        struct json_object *o = json_object_new_object(), *t = json_object_new_object(), *j = json_object_new_array();
        enum drs_outcome oc = res->outcome;

        json_object_object_add(o, "outcome", json_object_new_string(outcome_key(oc)));
        json_object_object_add(o, "changed", json_object_new_boolean(oc == OUTCOME_KEPT || oc == OUTCOME_PENDING ||
                                                                     oc == OUTCOME_WRITTEN));
        json_object_object_add(o, "exit_code", json_object_new_int(outcome_exit(oc)));
        json_object_object_add(o, "backup_id", res->id ? json_object_new_string(res->id) : NULL);
        json_object_object_add(o, "deadline", res->deadline ? json_object_new_int64((int64_t) (res->deadline / 1000000u)) : NULL);
        json_object_object_add(o, "reason", res->reason ? json_object_new_string(res->reason) : NULL);
        json_object_object_add(o, "anonymous_refused",
                               res->anonymous_refused ? json_object_new_string(res->anonymous_refused) : NULL);
        if (res->restart_usec) {
                json_object_object_add(t, "restart_to_listen_ms", json_ms(res->restart_usec, res->listen_usec));
                json_object_object_add(t, "restart_to_verified_ms",
                                       json_ms(res->restart_usec, res->verified_usec));
        }
        json_object_object_add(o, "timing", t);
        for (size_t i = 0; res->journal && res->journal[i]; i++)
                json_object_array_add(j, json_object_new_string(res->journal[i]));
        json_object_object_add(o, "journal", j);
        if (p)
                json_object_object_add(o, "plan", plan_to_json(p));
        return o;
}

int session_report(struct drs_args *a, const struct drs_plan *p, const struct drs_apply_result *res, const char *what) {
        int code = outcome_exit(res->outcome);
        char when[32] = "";

        if (a->json) {
                struct json_object *o = report_json(p, res);
                puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE));
                json_object_put(o);
                return code;
        }
        if (res->deadline) {
                time_t t = (time_t) (res->deadline / 1000000u);
                struct tm tm;
                localtime_r(&t, &tm);
                strftime(when, sizeof(when), "%H:%M:%S", &tm);
        }
        switch (res->outcome) {
        case OUTCOME_KEPT:
                printf(_("\nVerified and kept: %s (backup %s).\n"), what, res->id);
                if (res->listen_usec)
                        printf(_("dockerd reported \"API listen on\" %.2f s after the restart; verified after %.2f s.\n"),
                               ms(res->restart_usec, res->listen_usec) / 1000, ms(res->restart_usec, res->verified_usec) / 1000);
                break;
        case OUTCOME_PENDING:
                if (a->user)
                        printf(_("\nVerified: %s. It is reverted at %s unless you run, over the new endpoint:\n"
                                 "  docker-remote-setup confirm --user %s\n"),
                               what, when, a->user);
                else
                        printf(_("\nVerified: %s. It is reverted at %s unless you run, over the new endpoint:\n"
                                 "  sudo docker-remote-setup confirm\n"),
                               what, when);
                break;
        case OUTCOME_NOTHING:
                /* "answering" only when it was asked: under another root nothing is contacted. */
                printf(res->answered ? _("Nothing to do: %s is already configured and answering.\n")
                                     : _("Nothing to do: %s is already configured.\n"),
                       what);
                break;
        case OUTCOME_WRITTEN:
                printf(_("\nFiles written (backup %s). No systemd manages this root; restart Docker there yourself,\n"
                         "for example: systemctl daemon-reload && systemctl restart docker\n"),
                       res->id);
                break;
        case OUTCOME_ROLLED_BACK:
                printf(_("\nVerification failed: %s\nThe previous configuration was restored and verified "
                         "(backup %s).\n"),
                       res->reason, res->id);
                print_journal_excerpt(res->journal);
                break;
        case OUTCOME_BLOCKED:
                print_plan(stdout, p, output_color());
                print_error(_("pre-flight found problems (BLOCK above); nothing was changed"));
                break;
        case OUTCOME_REVERT_FAILED:
                printf(_("\nVerification failed: %s\nRestoring the previous configuration did not verify either: "
                         "check \"systemctl status docker\" now. The backup is %s.\n"),
                       res->reason ? res->reason : "?", res->id ? res->id : "?");
                print_journal_excerpt(res->journal);
                break;
        }
        if (p && (res->outcome == OUTCOME_KEPT || res->outcome == OUTCOME_PENDING || res->outcome == OUTCOME_NOTHING ||
                  res->outcome == OUTCOME_WRITTEN))
                print_handoff(stdout, p);
        return code;
}
