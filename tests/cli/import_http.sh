#!/bin/sh
# souk import from URLs against a loopback server (tests/cli/httpd.py, real
# HTTP/1.1 and TLS): redirects are followed up to a limit, an announced body
# over the size limit is refused before it is downloaded, and HTTPS verifies
# certificates. Each failure leaves the catalog as it was.
. "$top_srcdir/tests/cli/lib.sh"

for tool in python3 openssl sqlite3; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "$tool not installed (./bootstrap check installs it)"
		exit 77
	fi
done

samples="$top_srcdir/assets/samples"
db="$T/h.db"
# The servers' pids live in this shell (serve runs in it, never in a
# $(...) subshell), so the trap stops them however the test ends.
servers=""
stop_servers() {
	for p in $servers; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}
trap 'stop_servers; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

# serve PORTFILE [--tls CERT KEY]: starts a server, waits for its port
serve() {
	python3 "$top_srcdir/tests/cli/httpd.py" "$samples" "$@" >"$T/httpd.log" 2>&1 &
	servers="$servers $!"
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

serve "$T/port"
port=$(cat "$T/port" 2>/dev/null)
check "the loopback server started" [ -n "$port" ]
url="http://127.0.0.1:$port"

assert_status 0 "a plain download" "$SOUK" import "$url/suppliers.csv" --db "$db"
assert_contains "$(cat "$T/out")" "imported 10 of 10 rows" "all rows in"
before=$(sqlite3 "$db" "SELECT count(*) FROM products")

assert_status 0 "five redirects are followed" "$SOUK" import "$url/redirect/4" --db "$T/r.db"
assert_contains "$(cat "$T/out")" "imported 10 of 10 rows" "the redirected download imports"
assert_status 1 "six are too many" "$SOUK" import "$url/redirect/5" --db "$db"
assert_contains "$(cat "$T/err")" "souk: cannot download" "the refusal names the download"
assert_contains "$(cat "$T/err")" "redirect" "and says why"

assert_status 1 "a body over the size limit" "$SOUK" import "$url/huge.csv" --db "$db"
assert_contains "$(cat "$T/err")" "is larger than 2 GB" "the refusal says the file is too large"

# HTTPS with a certificate nobody vouches for: refused
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 2 \
	-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
serve "$T/tport" --tls "$T/cert.pem" "$T/key.pem"
tport=$(cat "$T/tport" 2>/dev/null)
check "the TLS server started" [ -n "$tport" ]
assert_status 1 "a self-signed certificate" "$SOUK" import "https://127.0.0.1:$tport/suppliers.csv" --db "$db"
assert_contains "$(cat "$T/err")" "certificate" "the refusal names the certificate"

after=$(sqlite3 "$db" "SELECT count(*) FROM products")
assert_eq "$after" "$before" "failed downloads left the catalog as it was"

# The trap can stop what the test started: both servers are known here.
set -- $servers
assert_eq "$#" 2 "both servers are known to this shell"
stop_servers
for p in $servers; do
	check "server $p is stopped" sh -c "! kill -0 $p 2>/dev/null"
done
servers=""
finish
