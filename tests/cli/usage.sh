#!/bin/sh
# The command line's own messages: a mistyped command gets one line with a
# suggestion, a bad option is named, each subcommand's --help is a short
# paragraph, messages are said once and counted right.
. "$top_srcdir/tests/cli/lib.sh"

assert_status 2 "a mistyped command is a usage error" "$SOUK" improt
assert_eq "$(cat "$T/err")" "souk: unknown command 'improt' (did you mean 'import'?)" "one line, with the suggestion"
assert_eq "$(cat "$T/out")" "" "and no help text"
assert_status 2 "an unknown command" "$SOUK" xyzzy
assert_eq "$(cat "$T/err")" "souk: unknown command 'xyzzy' (see souk --help)" "no suggestion when nothing is near"
assert_status 2 "a bad dashboard option" "$SOUK" --dbb x.db
assert_contains "$(cat "$T/err")" "unknown option '--dbb'" "the bad option is named"

for c in query interpret import demo shortlist; do
	assert_status 0 "souk $c --help" "$SOUK" "$c" --help
	assert_contains "$(head -n 1 "$T/out")" "usage: souk $c" "$c --help starts with its usage"
	assert_contains "$(cat "$T/out")" "Example: souk $c" "$c --help has an example"
	lines=$(wc -l <"$T/out")
	check "$c --help is a paragraph ($lines lines)" test "$lines" -ge 6
done
# every option a subcommand accepts is in its help
for o in --db --filters --limit --format; do
	"$SOUK" query --help | grep -q -- "$o" ; check "query --help names $o" test $? = 0
done
for o in --db --format --strict; do
	"$SOUK" import --help | grep -q -- "$o" ; check "import --help names $o" test $? = 0
done

assert_status 1 "a file that is not a catalog" "$SOUK" --db /etc/passwd --replay /dev/null
assert_eq "$(cat "$T/err")" "souk: /etc/passwd is not a souk catalog (build one with souk demo or souk import)" \
	"one clear message"

# plurals: one row, one supplier
printf 'title,supplier,country,price\nA,S,CN,1\n' >"$T/one.csv"
assert_status 0 "import one row" "$SOUK" import "$T/one.csv" --db "$T/one.db"
assert_contains "$(cat "$T/out")" "imported 1 of 1 row from" "1 row, not 1 rows"
assert_contains "$(cat "$T/out")" "(1 new supplier)" "1 new supplier, not suppliers"

# an escape in an unknown command's name does not reach the terminal
"$SOUK" "$(printf 'x\033]0;t\007')" 2>"$T/err"
assert_not_contains "$(cat "$T/err")" "$(printf '\033')" "messages are sanitised"

# A locale that writes decimals with a comma: souk reads its asset files
# and writes JSON and tables with '.' all the same (only the character set
# is taken from the locale).
if command -v localedef >/dev/null 2>&1 && mkdir -p "$T/loc" &&
	localedef -i de_DE -f UTF-8 "$T/loc/de_DE.UTF-8" >/dev/null 2>&1; then
	need_demo_db
	check "the test locale writes decimals with a comma" \
		sh -c "env LOCPATH='$T/loc' LC_ALL=de_DE.UTF-8 /usr/bin/printf '%.2f' 1.5 | grep -q '1,50'"
	assert_status 0 "souk query under de_DE.UTF-8" \
		env LOCPATH="$T/loc" LC_ALL=de_DE.UTF-8 "$SOUK" query --db "$DB" --filters '{"keywords":["yoga"],"price_max":5.5}' --format json
	assert_contains "$(cat "$T/out")" '"price_max":	5.5' "the filter's decimal is read and written with '.'"
	check "prices are written with '.'" grep -Eq '"price":	[0-9]+\.[0-9]' "$T/out"
else
	echo "usage.sh: no de_DE locale can be built here, skipping the decimal comma check"
fi

# Output to a terminal is sanitised; to a pipe, the data is kept as given.
if command -v script >/dev/null 2>&1; then
	printf '{"title": "ctl", "transcript": [{"role": "user", "text": "a\\u009bb\\u202ec\\u009d"}], "offers": [{"product_id": 1, "supplier": "S", "product": "p\\u202e", "price": 2, "moq": 10, "note": "n\\u009b"}]}' >"$T/ctl.json"
	"$SOUK" shortlist import "$T/ctl.json" --name ctl >/dev/null 2>&1
	"$SOUK" shortlist export ctl --out - --format json >"$T/pipe.json" 2>/dev/null
	check "a pipe gets the data as given" grep -q "$(printf '\342\200\256')" "$T/pipe.json"
	script -qec "\"$SOUK\" shortlist export ctl --out - --format json" /dev/null >"$T/tty.json" 2>&1
	check "the terminal got the export" grep -q '"offers"' "$T/tty.json"
	check "no U+202E reaches the terminal" sh -c "! grep -q \"$(printf '\342\200\256')\" '$T/tty.json'"
	check "no C1 control reaches the terminal" sh -c "! grep -q \"$(printf '\302\233')\" '$T/tty.json'"
else
	echo "usage.sh: script(1) not found, skipping the terminal output check"
fi
finish
