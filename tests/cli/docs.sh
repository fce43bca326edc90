# The design map names every source file of core/ and tui/, and names no
# file that is gone: doc/ARCHITECTURE.md is updated with the code. The
# layering rules it states hold: tui/ never sees SQLite, core/ never curses.
. "$top_srcdir/tests/cli/lib.sh"

map="$top_srcdir/doc/ARCHITECTURE.md"
[ -f "$map" ] || { fail "doc/ARCHITECTURE.md is missing"; finish; }
n=0
for f in "$top_srcdir"/core/*.[ch] "$top_srcdir"/tui/*.[ch]; do
	rel=${f#"$top_srcdir"/}
	n=$((n + 1))
	if grep -q "\`$rel\`" "$map"; then ok; else fail "$rel is not in doc/ARCHITECTURE.md's module map"; fi
done
[ "$n" -gt 20 ] && ok || fail "only $n source files found under $top_srcdir"
# every path the map lists exists
for rel in $(grep -o '`\(core\|tui\)/[a-z_0-9]*\.[ch]`' "$map" | tr -d '`' | sort -u); do
	if [ -f "$top_srcdir/$rel" ]; then ok; else fail "doc/ARCHITECTURE.md lists $rel, which does not exist"; fi
done
# the dependency rule: SQL lives in core/, the screen in tui/
for f in "$top_srcdir"/tui/*.[ch]; do
	if grep -n 'sqlite3' "$f" >/dev/null; then fail "${f#"$top_srcdir"/} uses SQLite directly"; else ok; fi
done
for f in "$top_srcdir"/core/*.[ch]; do
	if grep -n 'curses\.h' "$f" >/dev/null; then fail "${f#"$top_srcdir"/} includes curses"; else ok; fi
done
finish
