/* udiff.c: unified diff of two texts (Myers' linear-space O(ND) algorithm), printed like `diff -u`. */
#include "udiff.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "macro.h"
#include "util.h"

/* One side of the comparison: the lines of a text (each with its '\n', if any), their
 * equivalence classes, and which lines are changed. changed[-1] and changed[n] exist and
 * are false so that scans need no bounds checks. */
struct side {
        const char **line;
        size_t *len;
        long *id;
        bool *changed_mem;
        bool *changed;
        long n;
        long lo, hi;   /* lines [lo, hi) are compared; the rest is common prefix and suffix */
        long *kept;    /* the lines of [lo, hi) that occur in the other file's [lo, hi) */
        long *kept_id; /* and their equivalence classes */
        long n_kept;
};

struct myers {
        const long *a, *b;  /* equivalence classes of the kept old and new lines */
        long *fwd, *bwd;    /* furthest x per diagonal, indexed by diagonal + offset */
        long offset;
        long too_expensive; /* give up on a minimal script beyond this cost */
};

static void side_init(struct side *s, const char *text) {
        long n = 0, cap = 0;

        *s = (struct side) {0};
        for (const char *p = text ? text : ""; *p;) {
                const char *nl = strchr(p, '\n');
                size_t l = nl ? (size_t) (nl - p) + 1 : strlen(p);
                if (n == cap) {
                        cap = cap ? cap * 2 : 64;
                        s->line = xrealloc(s->line, (size_t) cap * sizeof(char *));
                        s->len = xrealloc(s->len, (size_t) cap * sizeof(size_t));
                }
                s->line[n] = p;
                s->len[n] = l;
                n++;
                p += l;
        }
        s->n = n;
        s->id = xcalloc((size_t) n + 1, sizeof(long));
        s->changed_mem = xcalloc((size_t) n + 2, sizeof(bool));
        s->changed = s->changed_mem + 1;
}

static void side_done(struct side *s) {
        free(s->line);
        free(s->len);
        free(s->id);
        free(s->changed_mem);
        free(s->kept);
        free(s->kept_id);
}

static uint64_t hash_line(const char *s, size_t n) {
        uint64_t h = 14695981039346656037ull; /* FNV-1a */
        for (size_t i = 0; i < n; i++)
                h = (h ^ (unsigned char) s[i]) * 1099511628211ull;
        return h;
}

/* Gives equal lines (a missing final newline makes a line different) the same small
 * number, so that the search compares integers. */
static long assign_ids(struct side *s0, struct side *s1) {
        size_t cap = 16, next = 1;
        struct side *sides[2] = {s0, s1};

        while (cap < 2 * (size_t) (s0->n + s1->n))
                cap *= 2;
        _cleanup_free_ long *slot = xcalloc(cap, sizeof(long)); /* id, 0 = empty */
        _cleanup_free_ const char **rep = xcalloc(cap, sizeof(char *));
        _cleanup_free_ size_t *replen = xcalloc(cap, sizeof(size_t));

        for (size_t f = 0; f < 2; f++)
                for (long i = 0; i < sides[f]->n; i++) {
                        const char *l = sides[f]->line[i];
                        size_t n = sides[f]->len[i], k = hash_line(l, n) & (cap - 1);

                        while (slot[k] != 0 && (replen[k] != n || memcmp(rep[k], l, n) != 0))
                                k = (k + 1) & (cap - 1);
                        if (slot[k] == 0) {
                                slot[k] = (long) next++;
                                rep[k] = l;
                                replen[k] = n;
                        }
                        sides[f]->id[i] = slot[k];
                }
        return (long) next - 1;
}

/* Finds a point (x, y) on a shortest edit path from (x0, y0) to (x1, y1) by running the
 * search from both corners until the paths overlap (Myers 1986, section 4b). The first and
 * last lines of the two ranges are known to differ. */
static void find_middle(struct myers *m, long x0, long x1, long y0, long y1, long *ret_x, long *ret_y) {
        long *F = m->fwd + m->offset, *B = m->bwd + m->offset;
        const long kmin = x0 - y1, kmax = x1 - y0; /* diagonals k = x - y inside the box */
        const long fk = x0 - y0, bk = x1 - y1;     /* start diagonals of the two searches */
        const bool odd = (fk - bk) & 1;
        long flo = fk, fhi = fk, blo = bk, bhi = bk;

        F[fk] = x0;
        B[bk] = x1;
        for (long d = 1;; d++) {
                /* One more edit forwards: the range of reachable diagonals widens by one on
                 * each side, or steps inward when it already touches the edge of the box. */
                if (flo > kmin)
                        F[--flo - 1] = -1;
                else
                        flo++;
                if (fhi < kmax)
                        F[++fhi + 1] = -1;
                else
                        fhi--;
                for (long k = fhi; k >= flo; k -= 2) {
                        long x = F[k - 1] < F[k + 1] ? F[k + 1] : F[k - 1] + 1, y = x - k;

                        while (x < x1 && y < y1 && m->a[x] == m->b[y])
                                x++, y++;
                        F[k] = x;
                        if (odd && k >= blo && k <= bhi && B[k] <= x) {
                                *ret_x = x;
                                *ret_y = y;
                                return;
                        }
                }

                /* One more edit backwards, from the far corner. */
                if (blo > kmin)
                        B[--blo - 1] = LONG_MAX;
                else
                        blo++;
                if (bhi < kmax)
                        B[++bhi + 1] = LONG_MAX;
                else
                        bhi--;
                for (long k = bhi; k >= blo; k -= 2) {
                        long x = B[k - 1] < B[k + 1] ? B[k - 1] : B[k + 1] - 1, y = x - k;

                        while (x > x0 && y > y0 && m->a[x - 1] == m->b[y - 1])
                                x--, y--;
                        B[k] = x;
                        if (!odd && k >= flo && k <= fhi && x <= F[k]) {
                                *ret_x = x;
                                *ret_y = y;
                                return;
                        }
                }

                if (d < m->too_expensive)
                        continue;

                /* Too costly for a minimal script: split at the forward point that got
                 * furthest (x + y), clipped to the box. The result stays a correct diff. */
                long bx = -1, by = -1;
                for (long k = fhi; k >= flo; k -= 2) {
                        long x = F[k] < x1 ? F[k] : x1, y = x - k;
                        if (y > y1) {
                                y = y1;
                                x = y1 + k;
                        }
                        if (x + y > bx + by) {
                                bx = x;
                                by = y;
                        }
                }
                if ((bx == x0 && by == y0) || (bx == x1 && by == y1)) {
                        bx = x0 + 1; /* never happens after d >= 1 edits, but never loop */
                        by = y0;
                }
                *ret_x = bx;
                *ret_y = by;
                return;
        }
}

static void compare(struct myers *m, struct side *s0, struct side *s1, long x0, long x1, long y0, long y1) {
        for (;;) {
                while (x0 < x1 && y0 < y1 && m->a[x0] == m->b[y0])
                        x0++, y0++;
                while (x0 < x1 && y0 < y1 && m->a[x1 - 1] == m->b[y1 - 1])
                        x1--, y1--;

                if (x0 == x1) {
                        for (long y = y0; y < y1; y++)
                                s1->changed[s1->kept[y]] = true;
                        return;
                }
                if (y0 == y1) {
                        for (long x = x0; x < x1; x++)
                                s0->changed[s0->kept[x]] = true;
                        return;
                }

                long xm, ym;
                find_middle(m, x0, x1, y0, y1, &xm, &ym);
                compare(m, s0, s1, x0, xm, y0, ym);
                x0 = xm; /* the second half without recursion */
                y0 = ym;
        }
}

/* A line that occurs nowhere in the other file is certainly changed; leaving it out of the
 * search makes the search cheaper and the result closer to what GNU diff prints. */
static void keep_matched_lines(struct side *s, const struct side *o, long n_ids) {
        _cleanup_free_ bool *in_other = xcalloc((size_t) n_ids + 1, sizeof(bool));

        for (long i = o->lo; i < o->hi; i++)
                in_other[o->id[i]] = true;
        s->kept = xcalloc((size_t) (s->hi - s->lo) + 1, sizeof(long));
        s->kept_id = xcalloc((size_t) (s->hi - s->lo) + 1, sizeof(long));
        for (long i = s->lo; i < s->hi; i++) {
                if (!in_other[s->id[i]]) {
                        s->changed[i] = true;
                        continue;
                }
                s->kept[s->n_kept] = i;
                s->kept_id[s->n_kept++] = s->id[i];
        }
}

/* Where a run of changed lines could equally be placed elsewhere (identical lines around
 * it), move it down as far as possible, merging with neighbouring runs, then back up to
 * line up with a change in the other file if one was passed on the way. This is what makes
 * an inserted block between repeated lines come out the way people (and GNU diff) write it. */
static void shift_boundaries(struct side *s, const struct side *o) {
        bool *ch = s->changed + s->lo;
        const bool *och = o->changed + s->lo;
        const long *id = s->id + s->lo, n = s->hi - s->lo;
        long i = 0, j = 0; /* j: the line of the other file paired with line i */

        for (;;) {
                while (i < n && !ch[i]) {
                        while (och[j])
                                j++;
                        i++, j++;
                }
                if (i == n)
                        return;

                long start = i, runlen, aligned;
                while (ch[i])
                        i++;
                while (och[j])
                        j++;

                do {
                        runlen = i - start;

                        while (start > 0 && id[start - 1] == id[i - 1]) {
                                ch[--start] = true;
                                ch[--i] = false;
                                while (ch[start - 1])
                                        start--;
                                do
                                        j--;
                                while (och[j]);
                        }

                        aligned = och[j - 1] ? i : n; /* n: no change in the other file here */

                        while (i < n && id[start] == id[i]) {
                                ch[start++] = false;
                                ch[i++] = true;
                                while (ch[i])
                                        i++;
                                for (j++; och[j]; j++)
                                        aligned = i;
                        }
                } while (runlen != i - start);

                while (aligned < i) {
                        ch[--start] = true;
                        ch[--i] = false;
                        do
                                j--;
                        while (och[j]);
                }
        }
}

static char char_at(const char *t, size_t len, size_t i) {
        return i < len ? t[i] : '\n'; /* a missing final newline reads as present */
}

static long count_newlines(const char *t, size_t len, size_t end) {
        long n = 0;
        for (size_t i = 0; i < end; i++)
                n += char_at(t, len, i) == '\n';
        return n;
}

/* GNU diff leaves the common start and end of the files out of the comparison, except for
 * `horizon` lines on each side (one more at the end when the common tail starts mid-line),
 * so a change is never shifted further than that into them. Computed the same way, on
 * bytes, so that ambiguous changes land where `diff -u` puts them. */
static void set_window(struct side *s0, const char *t0, struct side *s1, const char *t1, long horizon) {
        size_t l0 = strlen(t0), l1 = strlen(t1);
        bool miss0 = l0 > 0 && t0[l0 - 1] != '\n', miss1 = l1 > 0 && t1[l1 - 1] != '\n';
        size_t n0 = l0 + miss0, n1 = l1 + miss1, p = 0, q0 = n0, q1 = n1;

        while (p < n0 && p < n1 && char_at(t0, l0, p) == char_at(t1, l1, p))
                p++;
        if ((n0 - miss0 < p) != (n1 - miss1 < p))
                p--; /* "x" and "x\n" differ in their last line */
        for (long h = horizon; p > 0 && (char_at(t0, l0, p - 1) != '\n' || h-- > 0);)
                p--;

        if (miss0 == miss1) {
                size_t beg = p + (n0 < n1 ? 0 : n0 - n1);
                while (q0 != beg)
                        if (char_at(t0, l0, --q0) != char_at(t1, l1, --q1)) {
                                beg = ++q0;
                                q1++;
                                break;
                        }
                bool midline = (q0 > 0 && char_at(t0, l0, q0 - 1) != '\n') ||
                               (q1 > 0 && char_at(t1, l1, q1 - 1) != '\n');
                for (long k = horizon + midline; k > 0 && q0 != n0; k--)
                        while (char_at(t0, l0, q0++) != '\n')
                                ;
                q1 += q0 - beg;
        }

        s0->lo = s1->lo = count_newlines(t0, l0, p);
        s0->hi = count_newlines(t0, l0, q0);
        s1->hi = count_newlines(t1, l1, q1);
}

static void emit_line(struct drs_buf *out, char prefix, const struct side *s, long i) {
        buf_append_c(out, prefix);
        buf_append_n(out, s->line[i], s->len[i]);
        if (s->len[i] == 0 || s->line[i][s->len[i] - 1] != '\n')
                buf_append(out, "\n\\ No newline at end of file\n");
}

/* GNU diff's ranges: "a" for one line, "a,0" (a = the line before) for none, else "a,count". */
static void emit_range(struct drs_buf *out, long first, long end) {
        if (end - first == 1)
                buf_appendf(out, "%ld", first + 1);
        else
                buf_appendf(out, "%ld,%ld", end - first == 0 ? first : first + 1, end - first);
}

/* Prints the hunk whose first change starts at old line *i0 / new line *i1 and advances both
 * past its last change. Changes closer than 2 * context unchanged lines share a hunk. */
static void emit_hunk(struct drs_buf *out, const struct side *s0, const struct side *s1, long *i0, long *i1,
                      long context) {
        long first0 = *i0 - context > 0 ? *i0 - context : 0, first1 = *i1 - (*i0 - first0);
        long e0 = *i0, e1 = *i1; /* end of the last change so far */

        for (;;) {
                while (s0->changed[e0])
                        e0++;
                while (s1->changed[e1])
                        e1++;
                long gap = 0;
                while (e0 + gap < s0->n && !s0->changed[e0 + gap] && !s1->changed[e1 + gap] &&
                       gap <= 2 * context)
                        gap++;
                if (e0 + gap >= s0->n && e1 + gap >= s1->n)
                        break; /* nothing changes after this */
                if (gap > 2 * context)
                        break;
                e0 += gap;
                e1 += gap;
        }
        long end0 = e0 + context < s0->n ? e0 + context : s0->n, end1 = e1 + (end0 - e0);

        buf_append(out, "@@ -");
        emit_range(out, first0, end0);
        buf_append(out, " +");
        emit_range(out, first1, end1);
        buf_append(out, " @@\n");

        long x = first0, y = first1;
        while (x < end0 || y < end1) {
                if (!s0->changed[x] && !s1->changed[y]) {
                        emit_line(out, ' ', s0, x++);
                        y++;
                        continue;
                }
                while (s0->changed[x])
                        emit_line(out, '-', s0, x++);
                while (s1->changed[y])
                        emit_line(out, '+', s1, y++);
        }
        *i0 = e0;
        *i1 = e1;
}

char *udiff(const char *old_label, const char *old_text, const char *new_label, const char *new_text,
            unsigned context) {
        struct side s0, s1;
        struct drs_buf out = {0};

        side_init(&s0, old_text);
        side_init(&s1, new_text);
        long n_ids = assign_ids(&s0, &s1);
        set_window(&s0, old_text ? old_text : "", &s1, new_text ? new_text : "", (long) context);
        keep_matched_lines(&s0, &s1, n_ids);
        keep_matched_lines(&s1, &s0, n_ids);

        /* Bounded memory: two vectors over all diagonals, reused by every step. */
        long ndiag = s0.n_kept + s1.n_kept + 3;
        struct myers m = {
                .a = s0.kept_id,
                .b = s1.kept_id,
                .fwd = xcalloc((size_t) ndiag, sizeof(long)),
                .bwd = xcalloc((size_t) ndiag, sizeof(long)),
                .offset = s1.n_kept + 1,
        };
        /* About the square root of the problem size, but never below 4096 edits, so that
         * files of a few thousand lines always get a minimal diff. */
        m.too_expensive = 1;
        for (long d = ndiag; d > 0; d >>= 2)
                m.too_expensive <<= 1;
        if (m.too_expensive < 4096)
                m.too_expensive = 4096;

        compare(&m, &s0, &s1, 0, s0.n_kept, 0, s1.n_kept);
        free(m.fwd);
        free(m.bwd);
        shift_boundaries(&s0, &s1);
        shift_boundaries(&s1, &s0);

        long i0 = 0, i1 = 0;
        while (i0 < s0.n || i1 < s1.n) {
                if (!s0.changed[i0] && !s1.changed[i1]) {
                        i0++, i1++;
                        continue;
                }
                if (out.len == 0)
                        buf_appendf(&out, "--- %s\n+++ %s\n", old_label ? old_label : "/dev/null",
                                    new_label ? new_label : "/dev/null");
                emit_hunk(&out, &s0, &s1, &i0, &i1, (long) context);
        }

        side_done(&s0);
        side_done(&s1);
        return buf_steal(&out);
}
