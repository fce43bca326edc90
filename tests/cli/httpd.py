"""A loopback HTTP(S) server for the import tests: a stand-in for a supplier's
web server, speaking real HTTP/1.1 (and TLS with --tls CERT KEY).

  python3 httpd.py DIR PORTFILE [--tls CERT KEY]

Serves the files in DIR, plus:
  /redirect/N   302 to /redirect/N-1, and /redirect/0 to /suppliers.csv
  /huge.csv     announces a 5 GB body, then stops
Writes the port it listens on to PORTFILE once it is ready.
"""
import http.server
import os
import ssl
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/redirect/"):
            n = int(self.path.rsplit("/", 1)[1])
            target = "/suppliers.csv" if n <= 0 else "/redirect/%d" % (n - 1)
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/huge.csv":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(5 * 1024 ** 3))
            self.end_headers()
            self.wfile.write(b"title,supplier,country,price\n")
            return
        super().do_GET()


def main():
    directory, portfile = sys.argv[1], sys.argv[2]
    handler = lambda *a, **k: Handler(*a, directory=directory, **k)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if len(sys.argv) == 6 and sys.argv[3] == "--tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[4], sys.argv[5])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
