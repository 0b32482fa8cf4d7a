#!/bin/bash
# options-documented.sh: every long option (src/cli/args.c and --help) and every command (the command
# table) is in the man page and in --help, and "COMMAND --help" lists only real options.
. "$top_srcdir/tests/cli/lib.sh"

man="$top_srcdir/man/docker-remote-setup.8"
[ -f "$man" ] || { echo "FAIL: $man is missing"; exit 1; }

# From the source: the long_options table and the command table (wherever it lives in src/cli).
src_opts=$(sed -n '/long_options\[\] = {/,/^};/p' "$top_srcdir/src/cli/args.c" |
        sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)",.*/\1/p' | sort -u)
src_cmds=$(cat "$top_srcdir"/src/cli/*.c | sed -n '/drs_commands\[\] = {/,/^};/p' |
        sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)",.*/\1/p' | sort -u)
[ "$(wc -w <<<"$src_opts")" -ge 20 ] || fail "found only $(wc -w <<<"$src_opts") options in args.c: the parser above is out of date"
[ "$(wc -w <<<"$src_cmds")" -ge 7 ] || fail "found only $(wc -w <<<"$src_cmds") commands in src/cli: the parser above is out of date"

# From the program.
"$DRS" --help > "$TMP/help" || fail "--help exited $?"
help_opts=$(grep -oE -- '--[a-z][a-z-]*' "$TMP/help" | sed 's/^--//' | sort -u)
# The "Commands:" section, usage column (the first 46 characters).
awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on' "$TMP/help" | cut -c1-46 > "$TMP/help-cmds"

# The man page: roff with "\-" for "-"; options are item headers in OPTIONS, commands in COMMANDS.
sed 's/\\-/-/g; s/\\&//g' "$man" > "$TMP/man"
section() { awk -v s="$1" '/^\.SH / { on = ($0 == ".SH " s); next } on' "$TMP/man"; }
section OPTIONS | grep -E '^\.(B|BI|BR|IR) ' > "$TMP/man-opts"
section COMMANDS | grep -E '^\.(B|BI|BR) ' > "$TMP/man-cmds"

for o in $src_opts; do
        grep -qE -- "(^|[^a-z-])--$o([^a-z-]|\$)" "$TMP/man-opts" || fail "--$o (args.c) is not an item of OPTIONS in $man"
        grep -qxF -- "$o" <<<"$help_opts" || fail "--$o (args.c) is not in --help"
done
for o in $help_opts; do
        grep -qxF -- "$o" <<<"$src_opts" || fail "--help mentions --$o, which args.c does not have"
done
for c in $src_cmds; do
        grep -qw -- "$c" "$TMP/help-cmds" || fail "command \"$c\" is not in the Commands of --help"
        grep -qE -- "^\.(B|BI|BR) \"?$c([ \"]|\$)" "$TMP/man-cmds" || fail "command \"$c\" is not an item of COMMANDS in $man"
        # Its own help: the usage line names it, and every option listed is a real one.
        "$DRS" "$c" --help > "$TMP/cmd-help" 2>&1 || fail "$c --help exited $?"
        grep -q "^Usage: docker-remote-setup .*$c" "$TMP/cmd-help" || fail "$c --help: no usage line naming it"
        for o in $(sed -n '/^Options:/,/^$/p' "$TMP/cmd-help" | grep -oE -- '--[a-z][a-z-]*' | sed 's/^--//'); do
                grep -qxF -- "$o" <<<"$src_opts" || fail "$c --help lists --$o, which args.c does not have"
        done
done

# Exit codes: each value of include/engine/exitcode.h is an item of EXIT STATUS.
for code in $(sed -n 's/^[[:space:]]*DRS_EXIT_[A-Z_]* = \([0-9]*\),.*/\1/p' "$top_srcdir/include/engine/exitcode.h"); do
        section "EXIT STATUS" | grep -qx "\.B $code" || fail "exit code $code (exitcode.h) is not in EXIT STATUS"
done
# The journal MESSAGE_IDs of include/sys/eventlog.h.
for id in $(sed -n 's/^#define DRS_MESSAGE_[A-Z]* "\([0-9a-f]*\)"/\1/p' "$top_srcdir/include/sys/eventlog.h"); do
        grep -q "$id" "$TMP/man" || fail "MESSAGE_ID $id (eventlog.h) is not in the man page"
done

echo "checked $(wc -w <<<"$src_opts") options and $(wc -w <<<"$src_cmds") commands"
finish
