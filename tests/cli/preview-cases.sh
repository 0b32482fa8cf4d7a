#!/bin/bash
# preview-cases.sh: `preview --root` on every fixture case, output compared with its expected file,
# and the tree checked to be untouched (preview writes nothing).
. "$top_srcdir/tests/cli/lib.sh"

for case in "$FIXTURES"/cases/*/; do
        name=$(basename "$case")
        root="$TMP/$name"
        make_root "$name" "$root"
        before=$(tree_hash "$root")
        # shellcheck disable=SC2046
        "$DRS" preview --root "$root" $(cat "$case/args") > "$TMP/out" 2> "$TMP/err"
        rc=$?
        {
                cat "$TMP/out"
                sed "s|$root|ROOT|g" "$TMP/err" | sed 's/^/stderr: /'
                echo "exit: $rc"
        } > "$TMP/$name.actual"
        compare "$name" "$case/expected" "$TMP/$name.actual"
        [ "$(tree_hash "$root")" = "$before" ] || fail "$name: preview changed the tree"
done
finish
