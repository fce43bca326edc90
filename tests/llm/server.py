"""A loopback model server for the tests: it speaks the OpenAI-compatible
wire format (GET /v1/models, POST /v1/chat/completions with "stream" true
or false, Server-Sent Events over chunked HTTP/1.1) the way Ollama,
llama.cpp's llama-server, vLLM and OpenAI do, including their differences.
It imitates a model server, never souk.

  [LOOPBACK_KEY=KEY] python3 server.py PORTFILE [--log FILE]
  LOOPBACK_ONE_MODEL=NAME python3 server.py PORTFILE [--log FILE]
  python3 server.py PORTFILE --no-accept

With LOOPBACK_ONE_MODEL the server is like llama-server: it lists that one
model and answers any model name with the "tools" behaviour.

--no-accept is a server too busy to take a connection: it listens but never
accepts, and its queue is full, so a client's connect times out.

The model name picks the behaviour (see SCENARIOS); an unknown name gets
Ollama's 404. With LOOPBACK_KEY set, requests without "Authorization: Bearer KEY"
get OpenAI's 401 (the key comes in the environment, not on the command
line, where the tests look for leaks of it). --log appends one line per request: method, path, model,
whether the key came in the Authorization header, what the system message
holds and how many of the buyer's turns the conversation carries.
"""
import http.server
import json
import os
import socket
import sys
import threading
import time

KEY = None
LOG = None
ONE_MODEL = None
COUNTS = {}
LOCK = threading.Lock()

SCENARIOS = [
    "tools", "tools-ollama", "tools-llamacpp", "tools-vllm", "bad-filters",
    "compare", "err-object", "err-string", "err-detail", "err-vllm", "err-event",
    "err-data", "cut", "drop", "stall", "slow", "busy", "busy-ms", "busy-long",
    "notools", "notools-llamacpp", "escape", "huge", "whole-json", "plain",
    "tools-slow", "busy-503", "ungrounded", "no-tool-role", "busy-always",
    "compare-marked",
]


def chunk(content=None, tool_calls=None, finish=None, role=False, family="openai"):
    delta = {}
    if role:
        delta["role"] = "assistant"
    if content is not None or family == "llamacpp":
        delta["content"] = content
    if tool_calls is not None:
        delta["tool_calls"] = tool_calls
    c = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
         "model": "m", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return c


def last_tool_result(body):
    msgs = body.get("messages", [])
    if msgs and msgs[-1].get("role") == "tool":
        try:
            return json.loads(msgs[-1].get("content") or "{}")
        except ValueError:
            return {"error": "not JSON"}
    return None


def system_parts(body):
    """What the system message holds, for the log: the prompt, the catalog
    summary (size, prices, categories, countries, certifications) and the
    buyer's filters."""
    msgs = (body or {}).get("messages") or [{}]
    text = msgs[0].get("content") or "" if msgs[0].get("role") == "system" else ""
    parts = [name for name, marks in (
        ("prompt", ["update_filters", "search_summary", "compare_offers", "similar_offers"]),
        ("catalog", ["offers from", "Unit prices:", "Categories (offers): ",
                     "Supplier countries (offers): ", "Certifications (offers): "]),
        ("filters", ["## The buyer's filters now"]),
    ) if all(m in text for m in marks)]
    return "+".join(parts) or "-"


def tool_round(body):
    """Tool results since the buyer's last line: this turn's round."""
    n = 0
    for m in body.get("messages", []):
        n = 0 if m.get("role") == "user" else n + (m.get("role") == "tool")
    return n


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    # ---- plumbing ----
    def send_json(self, status, obj, headers=()):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def start_sse(self):
        if not self.streaming:  # "stream": false gets one chat.completion
            self.acc = {"role": "assistant", "content": None}
            self.fin = None
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def raw(self, text):
        data = text.encode() if isinstance(text, str) else text
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def collect(self, obj):
        for ch in obj.get("choices", [])[:1]:
            d = ch.get("delta", {})
            if d.get("content"):
                self.acc["content"] = (self.acc["content"] or "") + d["content"]
            for tc in d.get("tool_calls", []):
                calls = self.acc.setdefault("tool_calls", [])
                i = tc.get("index", len(calls))
                if i == len(calls):
                    calls.append({"id": tc.get("id"), "type": "function",
                                  "function": {"name": "", "arguments": ""}})
                f = tc.get("function", {})
                calls[i]["function"]["name"] += f.get("name") or ""
                calls[i]["function"]["arguments"] += f.get("arguments") or ""
            self.fin = ch.get("finish_reason") or self.fin

    def event(self, obj, name=None):
        if not self.streaming:
            self.collect(obj)
            return
        head = "event: %s\n" % name if name else ""
        self.raw(head + "data: " + json.dumps(obj) + "\n\n")

    def done(self, marker=True):
        if not self.streaming:
            self.send_json(200, {"id": "chatcmpl-1", "object": "chat.completion",
                                 "choices": [{"index": 0, "message": self.acc,
                                              "finish_reason": self.fin or "stop"}]})
            return
        if marker:
            self.raw("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def log(self, model, body=None):
        if LOG:
            auth = self.headers.get("Authorization", "")
            with LOCK, open(LOG, "a") as f:
                f.write("%s %s model=%s bearer=%s system=%s user_turns=%d\n" % (
                    self.command, self.path, model,
                    "yes" if KEY and auth == "Bearer " + KEY else "no",
                    system_parts(body),
                    sum(1 for m in (body or {}).get("messages", []) if m.get("role") == "user")))

    def authorised(self):
        if not KEY or self.headers.get("Authorization") == "Bearer " + KEY:
            return True
        got = self.headers.get("Authorization", "")[7:]
        # OpenAI names the key it refused (here whole, so souk must hide it)
        self.send_json(401, {"error": {"message": "Incorrect API key provided: %s." % got,
                                       "type": "invalid_request_error",
                                       "code": "invalid_api_key"}})
        return False

    # ---- endpoints ----
    def do_GET(self):
        self.log("-")
        if not self.authorised():
            return
        if self.path.rstrip("/") == "/v1/models":
            self.send_json(200, {"object": "list", "data": [
                {"id": s, "object": "model", "owned_by": "loopback"}
                for s in ([ONE_MODEL] if ONE_MODEL else SCENARIOS)]})
        else:
            self.send_json(404, {"detail": "Not Found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.send_json(400, {"error": {"message": "body is not JSON"}})
            return
        model = body.get("model", "")
        self.streaming = bool(body.get("stream"))
        self.log(model, body)
        if not self.authorised():
            return
        if self.path.rstrip("/") != "/v1/chat/completions":
            self.send_json(404, {"detail": "Not Found"})
            return
        if ONE_MODEL:
            model = "tools"  # llama-server serves its one model under any name
        if model not in SCENARIOS:
            self.send_json(404, {"error": {
                "message": 'model "%s" not found, try pulling it first' % model,
                "type": "api_error", "param": None, "code": None}})
            return
        with LOCK:
            COUNTS[model] = COUNTS.get(model, 0) + 1
            n = COUNTS[model]
        if "response_format" in body and model.startswith(("tools", "no-tool-role")) \
                and not tool_round(body):
            self.json_answer()  # JSON-schema output, as a server with tools also does
            return
        getattr(self, "s_" + model.replace("-", "_"))(body, n)

    # ---- a reply grounded in the tool result, as a model should write it ----
    def answer(self, body, family="openai"):
        res = last_tool_result(body) or {}
        if "offers" in res:
            text = "I found %d offers from %d suppliers for that." % (
                res["offers"], res.get("suppliers", 0))
        else:
            text = "Tell me more about what you need."
        self.start_sse()
        first = "" if family == "openai" else None
        self.event(chunk(first, role=True, family=family))
        words = text.split(" ")
        for i, w in enumerate(words):
            self.event(chunk(w + (" " if i + 1 < len(words) else ""), family=family))
        self.event(chunk(None, finish="stop", family=family) if family != "vllm"
                   else {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if family in ("openai", "vllm"):
            self.event({"id": "chatcmpl-1", "object": "chat.completion.chunk",
                        "choices": [], "usage": {"prompt_tokens": 9, "total_tokens": 20}})
        self.done()

    def fragmented_call(self, args, family="openai", name="update_filters"):
        """OpenAI, llama-server and vLLM: id and name in the first fragment,
        the arguments in pieces that split anywhere, even inside a string."""
        text = json.dumps(args)
        self.start_sse()
        self.event(chunk("" if family == "openai" else None, role=True, family=family))
        self.event(chunk(tool_calls=[{"index": 0, "id": "call_abc", "type": "function",
                                      "function": {"name": name, "arguments": ""}}],
                         family=family))
        pieces = [text[i:i + 7] for i in range(0, len(text), 7)]
        for i, p in enumerate(pieces):
            last = i + 1 == len(pieces)
            c = chunk(tool_calls=[{"index": 0, "function": {"arguments": p}}], family=family,
                      finish="tool_calls" if last and family == "vllm" else None)
            self.event(c)
        if family != "vllm":
            self.event(chunk(finish="tool_calls", family=family))
        self.done()

    def s_tools(self, body, n, family="openai"):
        if tool_round(body) == 0:
            self.fragmented_call({"set": {"keywords": ["yoga", "mat"], "price_max": 8,
                                          "supplier_countries": ["VN"]},
                                  "clear": [], "reset": False}, family)
        else:
            self.answer(body, family)

    def s_tools_slow(self, body, n):
        """update_filters at once, then a reply that takes SLOW_CHUNKS *
        SLOW_GAP seconds and ends with wEND: the grid must refine first."""
        if tool_round(body) == 0:
            self.fragmented_call({"set": {"keywords": ["yoga", "mat"], "price_max": 8,
                                          "supplier_countries": ["VN"]},
                                  "clear": [], "reset": False})
            return
        self.start_sse()
        self.event(chunk("", role=True))
        for i in range(int(os.environ.get("SLOW_CHUNKS", "10"))):
            self.event(chunk("w%d " % i))
            time.sleep(float(os.environ.get("SLOW_GAP", "0.1")))
        self.event(chunk("wEND"))
        self.event(chunk(finish="stop"))
        self.done()

    def s_ungrounded(self, body, n):
        """A model that makes up a count after the tool gave it the real one."""
        if tool_round(body) == 0:
            self.fragmented_call({"set": {"keywords": ["yoga", "mat"]}, "clear": [],
                                  "reset": False})
        else:
            self.plain("I found 98765 offers from 4321 suppliers.")

    def s_no_tool_role(self, body, n):
        """A chat template that calls tools but cannot read their results
        (JSON-schema output works)."""
        if tool_round(body):
            self.send_json(500, {"error": {"code": 500, "type": "server_error",
                                           "message": "Unsupported message role: tool"}})
        else:
            self.s_tools(body, n)

    def s_tools_llamacpp(self, body, n):
        self.s_tools(body, n, "llamacpp")

    def s_tools_vllm(self, body, n):
        self.s_tools(body, n, "vllm")

    def s_tools_ollama(self, body, n):
        """Ollama: the whole call in one chunk, no index, finish_reason stop."""
        if tool_round(body):
            self.answer(body, "ollama")
            return
        self.start_sse()
        args = {"keywords": ["yoga", "mat"], "price_max": 8}  # flat, as small models write
        self.event({"id": "chatcmpl-7", "object": "chat.completion.chunk", "choices": [{
            "index": 0, "delta": {"role": "assistant", "content": "", "tool_calls": [{
                "id": "call_x1", "type": "function", "function": {
                    "name": "update_filters", "arguments": json.dumps(args)}}]},
            "finish_reason": None}]})
        self.event(chunk("", finish="stop", family="ollama"))
        self.done()

    def s_bad_filters(self, body, n):
        """Absurd values first; each refusal's reason must come back."""
        steps = [{"set": {"price_max": -3}, "clear": [], "reset": False},
                 {"set": {"supplier_countries": ["XQ"]}, "clear": [], "reset": False},
                 {"set": {"colour": "red"}, "clear": [], "reset": False},
                 {"set": {"quantity": "lots"}, "clear": [], "reset": False},
                 ]
        r = tool_round(body)
        res = last_tool_result(body)
        if r < len(steps) and (r == 0 or "error" in res):
            self.fragmented_call(steps[r])
        elif r == len(steps) and "error" in res:
            self.fragmented_call({"set": {"keywords": ["yoga", "mat"], "price_max": 8},
                                  "clear": [], "reset": False})
        else:
            self.answer(body)

    def s_compare(self, body, n):
        r = tool_round(body)
        if r == 0:
            self.fragmented_call({"set": {"keywords": ["yoga", "mat"]}, "clear": [],
                                  "reset": False})
        elif r == 1:
            self.fragmented_call({"ranks": [1, 2]}, name="compare_offers")
        elif r == 2:
            self.fragmented_call({"rank": 1, "count": 3}, name="similar_offers")
        elif r == 3:
            self.fragmented_call({"set": {"price_max": 2}, "clear": [], "reset": False},
                                 name="search_summary")
        else:
            res = last_tool_result(body)
            self.start_sse()
            self.event(chunk("Under 2 there would be %d offers." % res.get("offers", -1)))
            self.done()

    def s_compare_marked(self, body, n):
        """The offers the buyer marked, compared by their suppliers' countries."""
        if tool_round(body) == 0:
            self.fragmented_call({"ranks": [], "marked": True}, name="compare_offers")
            return
        res = last_tool_result(body)
        if "error" in res:
            self.plain("The tool said: %s" % res["error"])
        else:
            self.plain("Marked: %d offers from %s." % (
                len(res["offers"]), " and ".join(o["country"] for o in res["offers"])))

    # ---- errors ----
    def s_err_object(self, body, n):
        self.send_json(400, {"error": {"message": "This model's maximum context length "
                                       "is 8192 tokens", "type": "invalid_request_error"}})

    def s_err_string(self, body, n):
        self.send_json(500, {"error": "model runner has unexpectedly stopped"})

    def s_err_detail(self, body, n):
        self.send_json(422, {"detail": [{"loc": ["body", "messages"],
                                         "msg": "field required", "type": "missing"}]})

    def s_err_vllm(self, body, n):
        self.send_json(400, {"object": "error", "message": "The engine is dead",
                             "type": "BadRequestError", "param": None, "code": 400})

    def s_err_event(self, body, n):
        self.start_sse()
        self.event(chunk("Let me", role=True))
        self.event({"error": {"message": "Overloaded", "type": "overloaded_error"}}, "error")
        self.done(marker=False)

    def s_err_data(self, body, n):
        self.start_sse()
        self.event(chunk("Let me", role=True))
        self.event({"error": {"code": 500, "message": "slot unavailable",
                              "type": "server_error"}})
        self.done(marker=False)

    def s_cut(self, body, n):
        self.start_sse()
        self.event(chunk("Half a rep", role=True))
        self.done(marker=False)

    def s_drop(self, body, n):
        self.start_sse()
        self.event(chunk("Half a rep", role=True))
        self.wfile.write(b"400\r\ndata: {\"choi")  # a chunk that never ends
        self.wfile.flush()
        self.close_connection = True

    def s_stall(self, body, n):
        self.start_sse()
        self.event(chunk("Thinking", role=True))
        time.sleep(float(os.environ.get("STALL_SECONDS", "8")))
        self.done()

    def s_slow(self, body, n):
        self.start_sse()
        for i in range(int(os.environ.get("SLOW_CHUNKS", "10"))):
            self.event(chunk("w%d " % i, role=(i == 0)))
            time.sleep(float(os.environ.get("SLOW_GAP", "0.1")))
        self.event(chunk(finish="stop"))
        self.done()

    def busy(self, n, header, value, status=429):
        if n % 2 == 1:
            self.send_json(status, {"error": {"message": "Rate limit reached",
                                              "type": "rate_limit_error"}},
                           headers=[(header, value)])
            return True
        return False

    def plain(self, text):
        self.start_sse()
        self.event(chunk("", role=True))
        self.event(chunk(text))
        self.event(chunk(finish="stop"))
        self.done()

    def s_busy(self, body, n):
        if not self.busy(n, "Retry-After", "1"):
            self.plain("Answered after waiting.")

    def s_busy_ms(self, body, n):
        if not self.busy(n, "retry-after-ms", "200"):
            self.plain("Answered after the retry-after-ms wait.")

    def s_busy_503(self, body, n):
        if not self.busy(n, "Retry-After", "1", status=503):
            self.plain("Answered after the Service Unavailable wait.")

    def s_busy_always(self, body, n):
        self.busy(1, "retry-after-ms", "100")

    def s_busy_long(self, body, n):
        self.send_json(503, {"error": {"message": "Service Unavailable"}},
                       headers=[("Retry-After", "120")])

    # ---- capabilities ----
    def s_notools(self, body, n):
        """Ollama with a model without tool support; JSON-schema output works."""
        if "tools" in body:
            self.send_json(400, {"error": {"message": "registry.ollama.ai/library/gemma:2b "
                                           "does not support tools", "type": "api_error"}})
            return
        self.json_answer()

    def json_answer(self):
        out = {"set": {"keywords": ["yoga", "mat"], "price_max": 8}, "clear": [],
               "reset": False}
        text = json.dumps(out)
        self.start_sse()
        self.event(chunk("", role=True))
        for i in range(0, len(text), 5):
            self.event(chunk(text[i:i + 5]))
        self.event(chunk(finish="stop"))
        self.done()

    def s_notools_llamacpp(self, body, n):
        if "tools" in body:
            self.send_json(500, {"error": {"code": 500, "message": "tools param requires "
                                           "--jinja flag", "type": "server_error"}})
        else:
            self.send_json(400, {"error": {"code": 400, "message": "response_format type "
                                           "json_schema is not supported",
                                           "type": "invalid_request_error"}})

    # ---- hostile or odd replies ----
    def s_escape(self, body, n):
        self.plain("Safe \x1b[2J\x1b]0;pwned\x07text \u202eevil\u202c and \x9b31m end.")

    def s_huge(self, body, n):
        self.start_sse()
        self.event(chunk("", role=True))
        block = "x" * 4096
        try:
            for _ in range(5 * 256):  # 5 MB
                self.event(chunk(block))
            self.event(chunk(finish="stop"))
            self.done()
        except (BrokenPipeError, ConnectionResetError):
            pass  # souk stopped reading, as it should

    def s_whole_json(self, body, n):
        """A server that ignores "stream": one chat.completion document."""
        if tool_round(body) == 0:
            msg = {"role": "assistant", "content": None, "tool_calls": [{
                "id": "call_w", "type": "function", "function": {
                    "name": "update_filters",
                    "arguments": json.dumps({"set": {"keywords": ["yoga", "mat"]},
                                             "clear": [], "reset": False})}}]}
            fin = "tool_calls"
        else:
            res = last_tool_result(body)
            msg = {"role": "assistant", "content": "Whole: %d offers." % res.get("offers", -1)}
            fin = "stop"
        self.send_json(200, {"id": "chatcmpl-w", "object": "chat.completion",
                             "choices": [{"index": 0, "message": msg, "finish_reason": fin}]})

    def s_plain(self, body, n):
        self.plain("Hello from the loopback model.")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # souk hanging up on a stalled or runaway reply is what it should do
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def write_port(portfile, port):
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, portfile)


def no_accept(portfile):
    """Listens with a backlog of none and fills it: the kernel drops every
    further SYN, as with a server host that does not answer."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(0)
    port = s.getsockname()[1]
    held = []
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        held.append(c)
    time.sleep(0.3)
    write_port(portfile, port)
    while True:
        time.sleep(60)


def main():
    global KEY, LOG, ONE_MODEL
    portfile = sys.argv[1]
    args = sys.argv[2:]
    if args == ["--no-accept"]:
        no_accept(portfile)
    KEY = os.environ.get("LOOPBACK_KEY") or None
    ONE_MODEL = os.environ.get("LOOPBACK_ONE_MODEL") or None
    while args:
        if args[0] == "--log":
            LOG = args[1]
        args = args[2:]
    server = Server(("127.0.0.1", 0), Handler)
    write_port(portfile, server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
