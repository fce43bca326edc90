# souk interpret, souk query and souk llm check through the loopback model
# server (tests/llm/server.py): each server family's stream, refused
# filters, every failure and its offline fallback, capability fallbacks,
# hostile replies, the key's hygiene and the config rules.
. "$top_srcdir/tests/cli/lib.sh"

need_demo_db
KEY="sk-loopback-$$-Zq8v"
SERVER_PID=
stop_all() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
	[ -n "${BG_PID:-}" ] && kill "$BG_PID" 2>/dev/null
	[ -n "${HOLE_PID:-}" ] && kill "$HOLE_PID" 2>/dev/null
	[ -n "${ONE_PID:-}" ] && kill "$ONE_PID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap stop_all EXIT INT TERM

# a server on a free port the kernel picks; it writes the port when ready
# (the key goes to it in the environment, so that no command line holds it)
LOOPBACK_KEY=$KEY STALL_SECONDS=6 python3 "$top_srcdir/tests/llm/server.py" "$T/port" --log "$T/server.log" &
SERVER_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/port" ] || { fail "the loopback server did not start"; finish; }
export SOUK_LLM_URL="http://127.0.0.1:$(cat "$T/port")/v1" SOUK_LLM_KEY="$KEY"
export SOUK_LLM_IDLE_TIMEOUT=1

# j MODEL TURN...: souk interpret --json through the model; the JSON in $T/j.json
j() {
	m=$1
	shift
	SOUK_LLM_MODEL=$m "$SOUK" interpret --db "$DB" --json "$@" >"$T/j.json" 2>"$T/j.err"
}
# field EXPR: a Python expression over the JSON object d
field() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/j.json" "$1"
}
offline_filters() {
	"$SOUK" interpret --engine offline --db "$DB" --json "$@" |
		python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["filters"], sort_keys=True))'
}

# ---- every server family's way of streaming a tool call ----
for m in tools tools-ollama tools-llamacpp tools-vllm whole-json; do
	j "$m" "yoga mats under 8 dollars from vietnam"
	assert_eq "$(field 'd["engine"], d["notices"]')" "('llm', [])" "$m: answered by the model"
	assert_eq "$(field 'd["tool_calls"][0]["name"], d["tool_calls"][0]["applied"]')" \
		"('update_filters', True)" "$m: update_filters applied"
	assert_eq "$(field 'd["filters"]["keywords"]')" "['yoga', 'mat']" "$m: keywords from the model"
	# the reply's count is the count souk sent back, not one the model made up
	offers=$(field 'd["tool_calls"][0]["result"]["offers"]')
	assert_contains "$(field 'd["reply"]')" "$offers offers" "$m: the reply quotes the tool result"
done
assert_eq "$(field 'd["filters"]["price_max"]')" "None" "whole-json: only keywords were set"
assert_contains "$(grep 'POST.*model=tools ' "$T/server.log" | head -n 1)" "system=prompt+catalog+filters" \
	"the system message holds the prompt, the catalog summary and the filters"
j tools "yoga mats under 8 dollars from vietnam"
assert_eq "$(field 'd["filters"]["price_max"], d["filters"]["supplier_countries"]')" "(8, ['VN'])" \
	"fragmented arguments assembled"

# compare_offers with marked true and nothing marked: refused with the reason
j compare-marked "compare the ones I marked"
assert_contains "$(field 'd["tool_calls"][0]["result"]["error"]')" "marked no offers" \
	"compare-marked: no marks, the reason goes back"
assert_contains "$(field 'd["reply"]')" "name ranks instead" "compare-marked: the model read it"

# ---- figures from nowhere: the reply stays, a line points them out ----
j ungrounded "yoga mats"
assert_eq "$(field 'd["engine"], len(d["notices"])')" "('llm', 1)" "ungrounded: the model's reply, one notice"
assert_contains "$(field 'd["notices"][0]')" "no tool result gave (98765, 4321)" "ungrounded: names the made-up figures"
assert_contains "$(field 'd["reply"]')" "98765 offers" "ungrounded: the reply is not rewritten"

# ---- a server with one model that takes any name (llama-server) ----
LOOPBACK_ONE_MODEL=qwen2.5-7b-instruct-q4_k_m.gguf python3 "$top_srcdir/tests/llm/server.py" \
	"$T/one" --log "$T/one.log" &
ONE_PID=$!
i=0
while [ ! -s "$T/one" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
SOUK_LLM_URL="http://127.0.0.1:$(cat "$T/one")/v1" j any-name-at-all "yoga mats"
assert_eq "$(field 'd["notices"], d["tool_calls"][0]["applied"]')" "([], True)" "any model name: answered by the model"
(
	unset SOUK_LLM_MODEL
	SOUK_LLM_URL="http://127.0.0.1:$(cat "$T/one")/v1" "$SOUK" interpret --db "$DB" --json "yoga mats" >"$T/j.json" 2>"$T/j.err"
)
assert_eq "$(field 'd["notices"], d["model"]')" "([], 'qwen2.5-7b-instruct-q4_k_m.gguf')" \
	"no llm_model: the server's only model is used"
assert_contains "$(grep POST "$T/one.log" | tail -n 1)" "model=qwen2.5-7b-instruct-q4_k_m.gguf" \
	"no llm_model: the request names that model"
kill "$ONE_PID" 2>/dev/null
wait "$ONE_PID" 2>/dev/null
ONE_PID=

# ---- refused filters: the reason goes back, nothing absurd is applied ----
j bad-filters "yoga mats"
assert_eq "$(field '[c["applied"] for c in d["tool_calls"]]')" "[False, False, False, False, True]" \
	"four refusals, then the corrected call"
assert_contains "$(field 'd["tool_calls"][0]["result"]["error"]')" "0 or more" "price -3 refused"
assert_contains "$(field 'd["tool_calls"][1]["result"]["error"]')" "'XQ' is not a country code" "XQ refused"
assert_contains "$(field 'd["tool_calls"][2]["result"]["error"]')" 'unknown filter "colour"' "unknown key refused"
assert_contains "$(field 'd["tool_calls"][3]["result"]["error"]')" "expected a number" "wrong type refused"
assert_eq "$(field 'd["filters"]["price_max"], d["filters"]["supplier_countries"]')" "(8, [])" \
	"only the valid change is in the state"

# ---- the read-only tools ----
j compare "yoga mats"
assert_eq "$(field '[c["name"] for c in d["tool_calls"]]')" \
	"['update_filters', 'compare_offers', 'similar_offers', 'search_summary']" "tool sequence"
assert_eq "$(field '[o["rank"] for o in d["tool_calls"][1]["result"]["offers"]]')" "[1, 2]" "compare_offers by rank"
assert_eq "$(field 'len(d["tool_calls"][2]["result"]["offers"])')" "3" "similar_offers count"
assert_eq "$(field 'd["filters"]["price_max"]')" "None" "search_summary changed nothing"
assert_contains "$(field 'd["reply"]')" "Under 2 there would be $(field 'd["tool_calls"][3]["result"]["offers"]') offers" \
	"search_summary's count reached the model"

# ---- every failure: one line why, then the offline answer for that turn ----
want=$(offline_filters "yoga mats under 8 dollars")
while read -r m why; do
	j "$m" "yoga mats under 8 dollars"
	assert_eq "$(field 'd["engine"]')" "llm" "$m: engine"
	assert_contains "$(field 'd["notices"]')" "$why" "$m: says why"
	assert_contains "$(field 'd["notices"]')" "Answered offline" "$m: says offline"
	assert_eq "$(field 'json.dumps(d["filters"], sort_keys=True)')" "$want" "$m: the offline filters"
done <<'EOF2'
err-object HTTP 400: This model's maximum context length
err-string HTTP 500: model runner has unexpectedly stopped
err-detail HTTP 422: field required
err-vllm HTTP 400: The engine is dead
err-event error mid-stream: Overloaded
err-data error mid-stream: slot unavailable
cut the reply stopped before its end
drop the connection to the model server broke
stall sent nothing for 1 s
busy-long HTTP 503: Service Unavailable
llama3.2 model 'llama3.2' not found; the server has: tools, tools-ollama
EOF2

# the next turn tries the server again
j err-string "yoga mats" "under 8 dollars"
assert_eq "$(grep -c 'model=err-string' "$T/server.log")" "3" "err-string was asked on every turn"
assert_eq "$(field 'len(d["notices"])')" "2" "one line per failed turn"

# connection refused: no server on the port
SOUK_LLM_URL="http://127.0.0.1:9/v1" j tools "yoga mats"
assert_contains "$(field 'd["notices"]')" "cannot connect to the model server" "connection refused"

# connect timeout: a server that never takes the connection (the idle
# limit is raised above the 5 s connect limit so that this one is the cause)
python3 "$top_srcdir/tests/llm/server.py" "$T/hole" --no-accept &
HOLE_PID=$!
i=0
while [ ! -s "$T/hole" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
SOUK_LLM_IDLE_TIMEOUT=30 SOUK_LLM_URL="http://127.0.0.1:$(cat "$T/hole")/v1" j tools "yoga mats under 8 dollars"
assert_contains "$(field 'd["notices"]')" "no connection to the model server within 5 s" "connect timeout"
assert_eq "$(field 'json.dumps(d["filters"], sort_keys=True)')" "$want" "connect timeout: the offline filters"
kill "$HOLE_PID" 2>/dev/null
wait "$HOLE_PID" 2>/dev/null
HOLE_PID=

# ---- 429 and 503 with Retry-After or retry-after-ms: honoured, then success ----
for m in busy busy-ms busy-503; do
	j "$m" "yoga mats"
	assert_eq "$(field 'd["notices"]')" "[]" "$m: no fallback"
	assert_contains "$(field 'd["reply"]')" "Answered after" "$m: the retry's answer"
	assert_eq "$(grep -c "model=$m bearer" "$T/server.log")" "2" "$m: one retry"
done
assert_eq "$(grep -c 'model=busy-long' "$T/server.log")" "1" "Retry-After 120 s is not waited for"
j busy-always "yoga mats"
assert_contains "$(field 'd["notices"]')" "HTTP 429: Rate limit reached" "busy-always: falls back with the 429"
assert_eq "$(grep -c 'model=busy-always' "$T/server.log")" "3" "busy-always: two retries, no more"

# ---- servers without tools: JSON output, then offline; said once ----
j notools "yoga mats" "from vietnam"
assert_eq "$(field 'd["notices"]')" "['Model server: it does not support tools; souk asks it for JSON instead.']" \
	"notools: said once over two turns"
assert_eq "$(field 'd["filters"]["price_max"]')" "8" "notools: the JSON output's filters applied"
assert_contains "$(grep 'POST.*model=notools ' "$T/server.log" | tail -n 1)" "user_turns=2" \
	"the second turn's request carries the conversation so far"
# a server that calls a tool but cannot take its result: the turn starts
# over in JSON output, without the call's change
j no-tool-role "yoga mats under 8 dollars"
assert_eq "$(field 'd["notices"]')" "['Model server: it does not support tools; souk asks it for JSON instead.']" \
	"no-tool-role: said once, not answered offline"
assert_eq "$(field 'd["filters"]["price_max"], d["filters"]["supplier_countries"]')" "(8, [])" \
	"no-tool-role: the JSON output's filters, not the tool call's (which set VN)"
assert_eq "$(grep -c 'model=no-tool-role' "$T/server.log")" "3" "no-tool-role: the call, its refused result, the JSON request"
j notools-llamacpp "yoga mats" "from vietnam"
assert_eq "$(field 'len(d["notices"])')" "2" "notools-llamacpp: two lines in two turns"
assert_contains "$(field 'd["notices"][1]')" "neither tools nor JSON output" "notools-llamacpp: offline"
assert_eq "$(grep -c 'model=notools-llamacpp' "$T/server.log")" "2" "no request after the server proved it cannot"

# ---- hostile and runaway replies ----
SOUK_LLM_MODEL=escape "$SOUK" interpret --db "$DB" "yoga mats" >"$T/esc.out" 2>&1
assert_contains "$(cat "$T/esc.out")" "Safe text" "escape: the text is there"
if LC_ALL=C grep -q "$(printf '\033')" "$T/esc.out" || LC_ALL=C grep -q "$(printf '\342\200\256')" "$T/esc.out" ||
	LC_ALL=C grep -q "$(printf '\302\233')" "$T/esc.out" || LC_ALL=C grep -q "$(printf '\007')" "$T/esc.out"; then
	fail "escape: an escape, C1 control, bell or bidi control reached the output"
else ok; fi
j huge "yoga mats"
assert_contains "$(field 'd["reply"][-60:]')" "cut here" "huge: cut with a note"
len=$(field 'len(d["reply"])')
[ "$len" -lt 20000 ] && ok || fail "huge: reply of $len bytes"

# ---- the non-blocking turn in a select() loop; Esc (llm_cancel) mid-stream ----
"$top_builddir/tests/llm/llm_turn" "$SOUK_LLM_URL" tools 2 "yoga mats" "yoga mats" >"$T/turn.out" 2>&1
assert_contains "$(cat "$T/turn.out")" "turn 1: done=1 cancelled=1 offline=0 texts=2 tools=1 price_max=-1 empty=1" \
	"a cancelled turn stops at once and takes back the filters its tool applied"
assert_contains "$(cat "$T/turn.out")" "turn 2: done=1 cancelled=0 offline=0" "the next turn runs"
assert_contains "$(cat "$T/turn.out")" "tools=1 price_max=8 empty=0" "the next turn applies its change"

# ---- souk query --engine ----
SOUK_LLM_MODEL=tools "$SOUK" query --db "$DB" --format json --limit 3 yoga mats >"$T/q.json" 2>"$T/q.err"
assert_contains "$(cat "$T/q.json")" '"country":	"VN"' "query: the model's filters rank the offers"
before=$(wc -l <"$T/server.log")
"$SOUK" query --engine offline --db "$DB" --format csv --limit 1 yoga mats >/dev/null
assert_eq "$(wc -l <"$T/server.log")" "$before" "--engine offline sends nothing"
SOUK_LLM_MODEL=err-string "$SOUK" query --db "$DB" --format csv --limit 1 yoga mats >/dev/null 2>"$T/q.err"
assert_contains "$(cat "$T/q.err")" "Answered offline" "query: the fallback line on stderr"

# ---- souk llm check ----
assert_status 0 "llm check: a good server" env SOUK_LLM_MODEL=tools "$SOUK" llm check
assert_contains "$(cat "$T/out")" "tool calls:  ok" "llm check: tool calls work"
assert_contains "$(cat "$T/out")" "tool result: ok" "llm check: the model answers from a tool result"
assert_status 0 "llm check: a server that answers whole" env SOUK_LLM_MODEL=whole-json "$SOUK" llm check
assert_contains "$(cat "$T/out")" "tool result: ok" "llm check: whole replies pass as the conversation reads them"
assert_status 0 "llm check: tool results refused" env SOUK_LLM_MODEL=no-tool-role "$SOUK" llm check
assert_contains "$(cat "$T/out")" "tool result: FAIL  the model server answered HTTP 500: Unsupported message role: tool" \
	"llm check: a template without tool results is named"
assert_contains "$(cat "$T/out")" "usable without tools" "llm check: no tool results: the JSON verdict"
assert_contains "$(cat "$T/out")" "JSON output: ok" "llm check: JSON output works"
assert_status 1 "llm check: a wrong model" env SOUK_LLM_MODEL=llama3.2 "$SOUK" llm check
assert_contains "$(cat "$T/out")" "model 'llama3.2' not found; the server has: tools" "llm check: names the models"
assert_status 0 "llm check: no tools" env SOUK_LLM_MODEL=notools "$SOUK" llm check
assert_contains "$(cat "$T/out")" "usable without tools" "llm check: no tools verdict"
assert_status 1 "llm check: wrong key" env SOUK_LLM_MODEL=tools SOUK_LLM_KEY=sk-wrong-key-1234 "$SOUK" llm check
assert_not_contains "$(cat "$T/out" "$T/err")" "sk-wrong-key-1234" "llm check: the refused key is not echoed"

# ---- the key: OPENAI_API_KEY when SOUK_LLM_KEY is not set ----
(
	unset SOUK_LLM_KEY
	OPENAI_API_KEY=$KEY j tools "yoga mats"
)
assert_eq "$(field 'd["notices"]')" "[]" "OPENAI_API_KEY: the server took the key"
assert_eq "$(field 'd["tool_calls"][0]["name"]')" "update_filters" "OPENAI_API_KEY: the model answered"

# ---- the key: 401, the header, nowhere else ----
SOUK_LLM_KEY=sk-wrong-key-1234 j tools "yoga mats"
assert_contains "$(field 'd["notices"]')" "refused the key" "401 names the key as the problem"
assert_not_contains "$(cat "$T/j.json" "$T/j.err")" "sk-wrong-key-1234" "401: the key is not echoed"
assert_contains "$(grep 'model=tools' "$T/server.log" | head -1)" "bearer=yes" "the key went in the Authorization header"
# a stalled turn in the background: its command line must not hold the key
STALL_SECONDS=6 SOUK_LLM_IDLE_TIMEOUT=5 SOUK_LLM_MODEL=stall "$SOUK" interpret --db "$DB" "yoga mats" >/dev/null 2>&1 &
BG_PID=$!
sleep 1
ps -eo pid=,args= >"$T/ps.txt"
assert_contains "$(cat "$T/ps.txt")" "$BG_PID" "the stalled turn is running"
if grep -F -e "$KEY" "$T/ps.txt" >/dev/null; then fail "the key is in the process list"; else ok; fi
rm -f "$T/ps.txt"
kill "$BG_PID" 2>/dev/null
wait "$BG_PID" 2>/dev/null
BG_PID=
if grep -rF -e "$KEY" "$HOME" >/dev/null 2>&1; then
	fail "the key was written under \$HOME: $(grep -rlF -e "$KEY" "$HOME")"
else ok; fi
assert_not_contains "$(cat "$T"/*.json "$T"/*.err "$T"/*.out 2>/dev/null)" "$KEY" "the key is in no output"

# ---- configuration ----
mkdir -p "$XDG_CONFIG_HOME/souk"
cfg="$XDG_CONFIG_HOME/souk/config"
printf 'llm_url = %s\nllm_model = tools\nllm_key = %s\n' "$SOUK_LLM_URL" "$KEY" >"$cfg"
chmod 644 "$cfg"
assert_status 1 "a key in a readable config file" env -u SOUK_LLM_KEY -u SOUK_LLM_URL "$SOUK" interpret "yoga mats"
assert_contains "$(cat "$T/err")" "chmod 600 $cfg" "says how to fix the mode"
assert_not_contains "$(cat "$T/err")" "$KEY" "the mode error does not show the key"
chmod 600 "$cfg"
before=$(grep -c 'bearer=yes' "$T/server.log")
assert_status 0 "the config's server and key" env -u SOUK_LLM_KEY -u SOUK_LLM_URL -u SOUK_LLM_MODEL "$SOUK" interpret --db "$DB" --json "yoga mats"
assert_contains "$(cat "$T/out")" '"engine":	"llm"' "llm_url set and no engine: the llm engine"
assert_eq "$(grep -c 'bearer=yes' "$T/server.log")" "$((before + 2))" "the config's key was sent (tool round and answer)"
printf 'engine = offline\n' >>"$cfg"
before=$(wc -l <"$T/server.log")
assert_status 0 "engine = offline" env -u SOUK_LLM_URL "$SOUK" interpret --db "$DB" --json "yoga mats"
assert_contains "$(cat "$T/out")" '"engine":	"offline"' "engine = offline wins over llm_url"
assert_eq "$(wc -l <"$T/server.log")" "$before" "engine = offline sends nothing"
rm -f "$cfg"
before=$(wc -l <"$T/server.log")
assert_status 0 "no llm_url: offline" env -u SOUK_LLM_URL "$SOUK" interpret --db "$DB" "yoga mats"
assert_eq "$(wc -l <"$T/server.log")" "$before" "nothing is sent without llm_url"
assert_status 2 "--engine llm without llm_url" env -u SOUK_LLM_URL "$SOUK" interpret --engine llm "yoga mats"
assert_contains "$(cat "$T/err")" "needs a model server" "--engine llm without a server says so"
assert_status 2 "--engine nonsense" "$SOUK" interpret --engine gpt "yoga mats"
assert_status 2 "souk --engine nonsense" "$SOUK" --engine gpt
assert_contains "$(cat "$T/err")" "offline or llm" "souk --engine names the choices"

finish
