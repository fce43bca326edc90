# souk interpret: the JSON contract, transcripts, the catalog overview and hostile turns.
. "$top_srcdir/tests/cli/lib.sh"

# no catalog can be built (the data directory is a file): the turns are
# still interpreted, only without counts
out=$(XDG_DATA_HOME="$T/not-a-dir" sh -c 'touch "$XDG_DATA_HOME"; "$1" interpret --json "pickleball paddles for the US market under \$8, MOQ below 500"' sh "$SOUK")
check "interpret --json exits 0" [ $? -eq 0 ]
assert_contains "$out" '"keywords":	["pickleball", "paddle"]' "keywords are singular product terms"
assert_contains "$out" '"price_max":	8,' "price_max"
assert_contains "$out" '"moq_max":	500,' "moq_max"
assert_contains "$out" '"market":	"US",' "market as an ISO code"
assert_contains "$out" '"reply":	"Now: pickleball paddle, US market, at most $8/unit, MOQ at most 500.' "reply says what it understood"
assert_contains "$out" '"question":' "there is a question member"
assert_not_contains "$out" 'products from' "no counts without a catalog"

# a first run builds the demo catalog, as souk query does, and counts
check "no catalog yet" [ ! -e "$XDG_DATA_HOME/souk/catalog.db" ]
out=$("$SOUK" interpret "I want to explore the idea of pickleball")
check "the first run built the demo catalog" [ -s "$XDG_DATA_HOME/souk/catalog.db" ]
assert_contains "$out" 'Pickleball paddles:' "the overview lists the sub-categories"
assert_contains "$out" 'products from' "with counts from the catalog"
assert_contains "$out" '? ' "and asks a question"

# a bare branch keeps its name when the buyer narrows it
out=$("$SOUK" interpret --json "I want to explore the idea of pickleball" "paddles for the US under \$8")
assert_contains "$out" '"keywords":	["pickleball", "paddle"]' "paddles within pickleball"
out=$("$SOUK" interpret --json "yoga mats" "yoga blocks")
assert_contains "$out" '"keywords":	["yoga", "block"]' "another leaf replaces the product"

# turns apply in order from an empty state
out=$("$SOUK" interpret --json "dog leashes" "only from Turkey" "and under €4")
assert_contains "$out" '"supplier_countries":	["TR"]' "second turn adds a supplier country"
assert_contains "$out" '"currency":	"EUR"' "third turn sets the currency"
assert_contains "$out" '"keywords":	["dog", "leash"]' "later turns keep the product"
out=$("$SOUK" interpret --json "kids backpacks with CPSIA, under \$6" "forget the price limit")
assert_contains "$out" '"price_max":	null' "forget the price limit"
assert_contains "$out" '"certifications":	["CPSIA"]' "other fields stay"
out=$("$SOUK" interpret --json "yoga mats" "start over")
assert_contains "$out" '"keywords":	[]' "start over empties the state"

# phrasings a review found misread
out=$("$SOUK" interpret --json "dog leashes but nothing from China or Hong Kong")
assert_contains "$out" '"exclude_countries":	["CN", "HK"]' "nothing from X excludes it"
assert_contains "$out" '"supplier_countries":	[]' "and does not ask for it"
assert_contains "$out" '"keywords":	["dog", "leash"]' "no \"nothing\" among the keywords"
out=$("$SOUK" interpret --json "cosmetics ISO 22716")
assert_contains "$out" '"certifications":	["ISO 22716"]' "a numbered standard is kept as said"
assert_contains "$out" '"quantity":	null' "and is no quantity"
out=$("$SOUK" interpret --json "1.5k water bottles" "the US")
assert_contains "$out" '"quantity":	1500' "1.5k before a product is a quantity"
assert_contains "$out" '"market":	"US"' "a bare country is the market"
out=$("$SOUK" interpret --json "mugs, 500 units" "double the quantity")
assert_contains "$out" '"quantity":	1000' "double the quantity"
out=$("$SOUK" interpret --json "office chairs CIF Hamburg, from 5+ year old companies, for under 1 dollar fifty")
assert_contains "$out" '"keywords":	["office", "chair"]' "the port is no keyword"
assert_contains "$out" '"incoterm":	"CIF"' "the incoterm"
assert_contains "$out" '"min_years":	5' "years old companies"
assert_contains "$out" '"price_max":	1.5' "a dollar fifty"

# the readable transcript
out=$("$SOUK" interpret "LED strips" "for Germany" "yes")
assert_contains "$out" '> LED strips' "transcript echoes the turn"
assert_contains "$out" '? Which market' "the market matters for LED strips"
assert_contains "$out" 'usually need CE' "market knowledge for Germany"
assert_contains "$out" 'Changed: CE, RoHS' "yes takes the offer"

# hostile turns: no crash, the state kept, a sensible reply
big=$(head -c 100000 /dev/zero | tr '\0' 'x')
assert_status 0 "a 100 kB turn" "$SOUK" interpret --json "mugs under \$5" "$big"
assert_contains "$(cat "$T/out")" '"price_max":	5' "a long turn leaves the price"
assert_status 0 "invalid UTF-8" "$SOUK" interpret --json "$(printf 'mugs \377\376 under $5 \033[31m')"
assert_contains "$(cat "$T/out")" '"price_max":	5' "invalid bytes are skipped"
assert_not_contains "$(cat "$T/out")" "$(printf '\033')" "no escape bytes are echoed"
assert_status 0 "only punctuation" "$SOUK" interpret "?!?!"
assert_status 0 "a contradiction" "$SOUK" interpret --json "mugs" "under \$5 and over \$10"
assert_contains "$(cat "$T/out")" '"price_max":	null' "contradiction leaves the price unset"
assert_contains "$(cat "$T/out")" 'cannot match anything' "contradiction is explained"
assert_status 0 "a negative price" "$SOUK" interpret --json "mugs" "price -3"
assert_contains "$(cat "$T/out")" 'cannot be negative' "negative price is explained"

# usage and errors
assert_status 2 "no turns is a usage error" "$SOUK" interpret
assert_status 2 "unknown option" "$SOUK" interpret --bogus "mugs"
assert_status 1 "missing --db file" "$SOUK" interpret --db "$T/none.db" "mugs"
assert_contains "$(cat "$T/err")" 'souk: no catalog at' "the error names the problem"

# with a catalog: counts, the overview and the first question
db=$(demo_db)
if [ -s "$db" ]; then
	out=$("$SOUK" interpret --db "$db" "I want to explore the idea of pickleball")
	check "overview exits 0" [ $? -eq 0 ]
	assert_contains "$out" 'Overview of pickleball' "overview title"
	assert_contains "$out" 'Pickleball paddles:' "sub-categories are listed"
	assert_contains "$out" 'products from' "with product and supplier counts"
	assert_contains "$out" 'at 100 pcs' "price ranges at typical quantities"
	assert_contains "$out" 'typical MOQ' "typical MOQs"
	assert_contains "$out" 'Leading supplier countries' "leading supplier countries"
	assert_contains "$out" '? ' "then a question"
	out=$("$SOUK" interpret --json --db "$db" "pet beds under \$20" "cheaper")
	assert_not_contains "$out" '"price_max":	20,' "cheaper lowers the price limit"
	assert_contains "$out" 'products from' "reply carries counts"
	out=$("$SOUK" interpret --db "$db" "pickleball paddles from Iceland under \$1")
	assert_contains "$out" 'Nothing matches' "an empty result says so"
else
	fail "the demo catalog could not be built"
fi
# the config file's currency is where a conversation starts; a turn that
# names another still wins
mkdir -p "$XDG_CONFIG_HOME/souk"
printf 'currency = gbp\n' >"$XDG_CONFIG_HOME/souk/config"
assert_contains "$("$SOUK" interpret --json "yoga mats")" '"currency":	"GBP"' "the config's currency"
assert_contains "$("$SOUK" interpret --json "yoga mats under 5 euros")" '"currency":	"EUR"' "a turn's currency wins"
rm -f "$XDG_CONFIG_HOME/souk/config"

# questions about the results are answered from them and change no filter:
# the offer named cheapest has the lowest price of every match
out=$("$SOUK" interpret --json "yoga mats, 500 units" "which is cheapest?")
assert_contains "$out" '"keywords":	["yoga", "mat"]' "a question keeps the filter"
reply=$(printf '%s\n' "$out" | sed -n 's/^\t"reply":\t"\(.*\)",$/\1/p')
assert_contains "$reply" "Cheapest: row " "the cheapest offer is named with its row"
named=$(printf '%s\n' "$reply" | sed -n 's/.*, \([0-9.]*\) USD a unit at 500 pcs\.$/\1/p')
lowest=$("$SOUK" query --format json --limit 1000 --filters '{"keywords":["yoga","mat"],"quantity":500}' |
	awk -F'\t' '$4 == "\"price\":" { v = $5 + 0; if (m == "" || v < m) m = v } END { print m }')
check "the named price ($named) is the lowest of all matches ($lowest)" \
	awk -v a="$named" -v b="$lowest" 'BEGIN { exit !(a + 0 > 0 && a + 0 <= b + 0.005) }'
out=$("$SOUK" interpret "yoga mats" "who ships fastest?" "best rated?")
assert_contains "$out" "Ships fastest: row " "who ships fastest"
assert_contains "$out" "Best rated: row " "best rated"
out=$("$SOUK" interpret "yoga mats" "which has the lowest landed cost?")
assert_contains "$out" "landed costs need a market" "landed cost needs a market, and says so"

# with a quantity, offers whose MOQ is above it are set aside and counted;
# the words the reply offers bring them back, typed as they are printed
out=$("$SOUK" interpret "tote bags, 500 units")
aside=$(printf '%s\n' "$out" | sed -n 's/.* suppliers\. \([0-9,]*\) more need a larger order.*/\1/p' | tr -d ,)
shown=$(printf '%s\n' "$out" | sed -n 's/.*units: \([0-9,]*\) products from.*/\1/p' | tr -d ,)
check "the reply counts the offers set aside ($aside)" [ "${aside:-0}" -gt 0 ]
hint=$(printf '%s\n' "$out" | sed -n 's/.*(say "\([^"]*\)" to see them).*/\1/p')
check "and says what brings them back ($hint)" [ -n "$hint" ]
out=$("$SOUK" interpret --json "tote bags, 500 units" "$hint")
assert_contains "$out" '"include_larger_moq":	true' "the hint, typed back, shows them"
all=$(printf '%s\n' "$out" | sed -n 's/.*larger order too: \([0-9,]*\) products.*/\1/p' | tr -d ,)
assert_eq "$all" "$((shown + aside))" "all of them: those shown and those set aside"
out=$("$SOUK" interpret --json "tote bags, 500 units" "$hint" "hide the larger MOQs again")
assert_contains "$out" '"include_larger_moq":	false' "and other words set them aside again"

# questions worth asking: a bare branch word gets the overview; the price
# range is the middle 80% of the current results, per sub-category when
# they span several; advice follows the categories found; nothing is
# offered when nothing matches
assert_contains "$("$SOUK" interpret "pickleball")" "Overview of pickleball" "a bare branch word gets the overview"
assert_not_contains "$("$SOUK" interpret "pickleball paddles")" "Overview of" "a product does not"
out=$("$SOUK" interpret "ceramic mugs for the US, 1000 units" "no")
lo=$(printf '%s\n' "$out" | sed -n 's/.*Most offers are between \$\([0-9.]*\) and \$\([0-9.]*\)\..*/\1/p')
hi=$(printf '%s\n' "$out" | sed -n 's/.*Most offers are between \$\([0-9.]*\) and \$\([0-9.]*\)\..*/\2/p')
check "a price range is quoted ($lo-$hi)" [ -n "$lo" ] && [ -n "$hi" ]
"$SOUK" query --format json --limit 1000 --filters '{"keywords":["ceramic","mug"],"market":"US","quantity":1000}' >"$T/mugs.json"
shares=$(awk -F'\t' -v lo="$lo" -v hi="$hi" '$4 == "\"price\":" { n++; v = $5 + 0; if (v < lo - 0.005) below++; if (v > hi + 0.005) above++ }
	END { printf "%d %d", below * 100 / n, above * 100 / n }' "$T/mugs.json")
check "about a tenth of the offers below it and a tenth above ($shares %)" \
	awk -v s="$shares" 'BEGIN { split(s, a, " "); exit !(a[1] <= 12 && a[2] <= 12 && a[1] + a[2] >= 8) }'
out=$("$SOUK" interpret "pickleball things, 500 units")
assert_contains "$out" "for pickleball paddles" "one range per sub-category the results span"
assert_contains "$out" "for pickleball nets" "each one named"
assert_not_contains "$("$SOUK" interpret "phone cases for the US")" "FCC" "a phone case is no electronics: no FCC advice"
assert_contains "$("$SOUK" interpret "water bottles for the UK")" "Require" "water bottles for the UK get advice"
out=$("$SOUK" interpret "led strips for Germany under \$0.001")
assert_contains "$out" "0 products" "nothing matches"
assert_not_contains "$out" "Require" "and no certification is offered for an empty result"

# every relaxation hint souk prints works when typed back: the count it
# promises is the count the typed hint gives
for st in "mugs under \$0.01" "mugs over \$500" "mugs, MOQ below 2" "mugs, delivered within 1 day" \
	"mugs, 60 years in business" "mugs, verified, from Pakistan, FCC" "mugs for Japan, FCC" \
	"mugs, 100000 units, from Bangladesh, under \$0.30" "yoga mats, ISO 9001 or FCC, under \$0.50"; do
	out=$("$SOUK" interpret "$st")
	hint=$(printf '%s\n' "$out" | sed -n 's/.*to widen it: \(.*\): [0-9,]* offers\.$/\1/p')
	want=$(printf '%s\n' "$out" | sed -n 's/.*to widen it: .*: \([0-9,]*\) offers\.$/\1/p')
	if [ -z "$hint" ]; then
		fail "no hint for \"$st\": $out"
		continue
	fi
	got=$("$SOUK" interpret "$st" "$hint" | tail -n 2 | sed -n 's/.*: \([0-9,]*\) products\{0,1\} from.*/\1/p' | tail -n 1)
	assert_eq "$got" "$want" "\"$hint\" typed back after \"$st\""
done
out=$("$SOUK" interpret "mugs, verified only" "include unverified suppliers")
assert_contains "$out" "unverified suppliers too" "\"unverified\" is no misspelling of \"verified\""

finish
