#!/bin/bash
# po-check.sh: the translations are complete and fit the wizard: every source file with _(),
# N_() or P_() is in po/POTFILES.in; po/zh_CN.po, merged with a freshly extracted template, has
# nothing untranslated or fuzzy and passes msgfmt --check; labels, titles and key bars keep to
# their column limits. Works on a copy in a temp dir: the source tree may be read-only.
. "$top_srcdir/tests/cli/lib.sh"

for tool in xgettext msgmerge msgfmt msgattrib msgcat wc; do
        command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
done
PO="$top_srcdir/po"
LANG_PO="$PO/zh_CN.po"

# 1. POTFILES.in lists every file that marks strings for translation (a string literal, or a
# line break, after the keyword; _cleanup_( and comments like "N_()" do not count).
grep -v -e '^#' -e '^[[:space:]]*$' "$PO/POTFILES.in" > "$TMP/potfiles" # in order, as po/Makefile uses it
(cd "$top_srcdir" && grep -rlE '(^|[^A-Za-z0-9_])[NP]?_\([[:space:]]*("|$)' --include='*.c' --include='*.h' src) |
        sort -u > "$TMP/marked"
missing=$(sort -u "$TMP/potfiles" | comm -23 "$TMP/marked" -)
if [ -n "$missing" ]; then
        fail "files with translatable strings missing from po/POTFILES.in: $(echo $missing)"
else
        echo "ok: POTFILES.in lists all $(wc -l < "$TMP/marked") files with translatable strings"
fi
while read -r f; do
        [ -f "$top_srcdir/$f" ] || fail "po/POTFILES.in names $f, which does not exist"
done < "$TMP/potfiles"

# 2. A fresh template, with the keywords of po/Makevars, merged with the translation.
opts=$(sed -n 's/^XGETTEXT_OPTIONS[[:space:]]*=[[:space:]]*//p' "$PO/Makevars")
[ -n "$opts" ] || fail "no XGETTEXT_OPTIONS in po/Makevars"
# shellcheck disable=SC2086 # the options are words
if ! xgettext $opts --directory="$top_srcdir" --files-from="$TMP/potfiles" -o "$TMP/template.pot" \
        2> "$TMP/xgettext.err"; then
        cat "$TMP/xgettext.err"
        fail "xgettext failed"
        finish
fi
msgmerge --quiet --lang=zh_CN -o "$TMP/zh_CN.po" "$LANG_PO" "$TMP/template.pot" || { fail "msgmerge failed"; finish; }

# Messages other than the header in what msgattrib selects.
count() { msgattrib "$@" "$TMP/zh_CN.po" | grep -c '^msgid ' | awk '{ print ($1 > 0 ? $1 - 1 : 0) }'; }
untranslated=$(count --untranslated --no-obsolete)
fuzzy=$(count --only-fuzzy --no-obsolete)
if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
        fail "po/zh_CN.po: $untranslated untranslated and $fuzzy fuzzy messages (run make -C po update-po):"
        msgattrib --untranslated --no-obsolete --no-wrap "$TMP/zh_CN.po" | sed -n 's/^msgid "\(..*\)"$/    untranslated: \1/p'
        msgattrib --only-fuzzy --no-obsolete --no-wrap "$TMP/zh_CN.po" | sed -n 's/^msgid "\(..*\)"$/    fuzzy: \1/p'
else
        echo "ok: zh_CN.po translates every message of the current sources"
fi
grep -q '^"Plural-Forms: nplurals=1; plural=0;\\n"' "$LANG_PO" || fail "zh_CN.po lacks Plural-Forms: nplurals=1; plural=0;"

# 3. msgfmt --check: format strings (count, order, types), header, plural forms.
for f in "po/zh_CN.po:$LANG_PO" "zh_CN.po merged:$TMP/zh_CN.po"; do
        if msgfmt --check --statistics -o "$TMP/out.mo" "${f#*:}" 2> "$TMP/msgfmt.err"; then
                echo "ok: msgfmt --check, ${f%%:*}: $(cat "$TMP/msgfmt.err")"
        else
                sed 's/^/    /' "$TMP/msgfmt.err"
                fail "msgfmt --check, ${f%%:*}"
        fi
done

# 3b. Every message with a printf directive is checked as a format (c-format), so that msgfmt
# --check compares its translation's directives with the msgid's (a "%s %s" for a one-argument
# message would crash the program); gcc's -Wformat=2 checks the msgid against the arguments.
nonformat=$(msgcat --no-wrap "$TMP/zh_CN.po" | python3 -c 'import re, sys
fmt = re.compile(r"%[-#0 +\x27]*[0-9*]*(\.[0-9*]+)?(hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcspn]")
for e in sys.stdin.read().split("\n\n"):
    m = re.search(r"^msgid \"(.*)\"$", e, re.M)
    if m and fmt.search(m.group(1)) and not re.search(r"^#,.*\bc-format\b", e, re.M):
        print(m.group(1))')
if [ -n "$nonformat" ]; then
        fail "messages with a printf directive not checked as c-format: $nonformat"
else
        echo "ok: every message with a printf directive is c-format"
fi

# 4. Column limits, "under N columns" (display columns: a CJK character takes two).
# Explicit ones (TAB-separated: limit, msgid); the rules below add the rest.
cat > "$TMP/limits" <<'EOF'
78	Enter Restore this state   Esc Back
78	Preview only: restoring needs root.   Esc Back
73	Enter  keep it      Esc  revert now      +  one more minute
61	Help
61	Quit?
61	Interrupted change
61	Restore?
61	Any key closes this help.
61	y Quit (the timer reverts)   n Stay
61	Preview only: run as root to repair it.   Esc Close
61	r Roll back   c Complete   Esc Later
61	y Restore   n Cancel
21	kept
21	generated at apply
21	not applied
21	new file
21	unchanged
21	changed
18	Interface
18	(all)
27	Address
5	up
5	down
12	Security
12	Port
12	Method
EOF
# Every message as one line: refs, TAB, extracted comments, TAB, msgid, TAB, msgstr (escapes kept).
msgcat --no-wrap "$TMP/zh_CN.po" | awk '
        function flush() { if (id != "") print refs "\t" com "\t" id "\t" str; refs = com = id = str = ""; k = "" }
        /^$/ { flush(); next }
        /^#:/ { refs = refs " " substr($0, 4); next }
        /^#\./ { com = com " " substr($0, 4); next }
        /^#/ { next }
        /^msgid_plural / { k = "p"; next }
        /^msgid / { k = "i"; id = substr($0, 8, length($0) - 8); next }
        /^msgstr(\[0\])? / { k = "s"; sub(/^msgstr(\[0\])? "/, ""); str = substr($0, 1, length($0) - 1); next }
        /^msgstr\[/ { k = ""; next }
        /^"/ { v = substr($0, 2, length($0) - 2); if (k == "i") id = id v; else if (k == "s") str = str v; next }
        END { flush() }' > "$TMP/messages"
awk -F '\t' -v src="$top_srcdir" '
        function srcline(file, n,    l, i) {
                if (!(file in loaded)) {
                        loaded[file] = 1
                        for (i = 1; (getline l < (src "/" file)) > 0; i++) text[file, i] = l
                        close(src "/" file)
                }
                return text[file, n]
        }
        FNR == 1 { pass++ }
        pass == 1 { explicit[$2] = $1; next }
        # First pass: where the TRANSLATORS notes with "each under N columns" are (a message may
        # come from several places; the note is at the one below a TRANSLATORS comment), and
        # which source lines have messages.
        pass == 2 {
                n = split($1, r, " ")
                for (i = 1; i <= n; i++) has[r[i]] = 1
                if (!match($2, /each under [0-9]+ columns/)) next
                limit = substr($2, RSTART + 11, RLENGTH - 19) + 0
                for (i = 1; i <= n; i++) {
                        file = r[i]; sub(/:[0-9]+$/, "", file); line = r[i]; sub(/^.*:/, "", line)
                        if (srcline(file, line) srcline(file, line - 1) ~ /TRANSLATORS:/) {
                                groups++; gfile[groups] = file; gfirst[groups] = line; glimit[groups] = limit
                        }
                }
                next
        }
        function note(limit, why) { if (!lim || limit < lim) { lim = limit; reason = why } }
        { lim = 0; reason = "" }
        $3 in explicit { note(explicit[$3], "column") }
        $3 ~ /^F1 / { note(78, "key bar") }
        # The Status labels, padded to 22 columns.
        $3 ~ /:$/ && $1 ~ /src\/tui\/scr-status\.c:/ { note(21, "status label") }
        # A note covers its table: the messages on its line and the lines right after it.
        {
                n = split($1, r, " ")
                for (g = 1; g <= groups; g++)
                        for (i = 1; i <= n; i++) {
                                file = r[i]; sub(/:[0-9]+$/, "", file); line = r[i]; sub(/^.*:/, "", line)
                                if (file != gfile[g] || line < gfirst[g])
                                        continue
                                for (l = gfirst[g]; l < line && (file ":" (l + 1)) in has; l++)
                                        ;
                                if (l == line) note(glimit[g], "TRANSLATORS note")
                        }
        }
        $3 in explicit { seen[$3] = 1 }
        lim { print lim "\t" reason "\t" $3 "\t" $4 }
        END { for (m in explicit) if (!(m in seen)) print "0\tgone\t" m "\t" }' "$TMP/limits" "$TMP/messages" "$TMP/messages" > "$TMP/checked"
# Screen titles: the other message on the wizard.c line of a key bar (the help text is on the next).
awk -F '\t' '
        FNR == NR { if ($3 ~ /^F1 /) { n = split($1, r, " "); for (i = 1; i <= n; i++) bar[r[i]] = 1 }; next }
        $3 !~ /^F1 / { n = split($1, r, " "); for (i = 1; i <= n; i++) if (r[i] in bar) { print 20 "\ttitle\t" $3 "\t" $4; break } }
        ' "$TMP/messages" "$TMP/messages" >> "$TMP/checked"

checked=0 wide=0
while IFS=$'\t' read -r limit why id str; do
        if [ "$why" = gone ]; then
                fail "the column limit for \"$id\" checks nothing: no such message any more (update $0)"
                continue
        fi
        [ -n "$str" ] || continue # untranslated: reported above
        text=$(printf '%s' "$str" | sed 's/\\"/"/g')
        width=$(printf '%s' "$text" | wc -L)
        checked=$((checked + 1))
        if [ "$width" -ge "$limit" ]; then
                fail "$why \"$id\": \"$text\" is $width columns, must be under $limit"
                wide=$((wide + 1))
        fi
done < "$TMP/checked"
[ "$checked" -ge 40 ] || fail "only $checked messages had a column limit; the rules no longer find them"
[ "$wide" -eq 0 ] && echo "ok: $checked messages within their column limits"
finish
