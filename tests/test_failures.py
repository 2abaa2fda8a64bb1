"""Failures typed: what a fetch came to is a kind the crawler decides on (retry, skip, mark
removed), while its message stays the one people read."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from podium.config import Config
from podium.fetch import Fetcher, FetchKind

PAGE = b"<html><head><title>A talk</title></head><body><p>Words were said.</p></body></html>"


class ScriptedSite:
    """127.0.0.1 answering each path with its script, one step per request: a status, or
    "drop" (the connection closed before any reply). The last step repeats; robots.txt is 404."""

    def __init__(self, scripts: dict[str, list]):
        self.scripts = scripts
        self.served: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                site.served.append(self.path)
                script = site.scripts.get(self.path, [404])
                step = script.pop(0) if len(script) > 1 else script[0]
                if step == "drop":
                    self.close_connection = True
                    return
                body = PAGE if step == 200 else b"no"
                self.send_response(step)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> ScriptedSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def fetcher() -> Fetcher:
    return Fetcher(Config(retries=3, backoff=0.01), delay=0, allow_private=True,
                   sleep=lambda seconds: None)  # fmt: skip


def test_what_a_fetch_came_to_is_its_kind():
    with ScriptedSite({"/gone": [410], "/broken": [500], "/dropped": ["drop"]}) as site:
        got = {path: fetcher().get(site.base + path) for path in ("/gone", "/broken", "/dropped")}
    assert got["/gone"].kind is FetchKind.GONE
    assert got["/broken"].kind is FetchKind.HTTP_ERROR
    assert got["/broken"].error == "HTTP 500 Internal Server Error"
    assert got["/dropped"].kind is FetchKind.CONNECTION_FAILED
    assert got["/dropped"].error.endswith("(after 3 attempts)")
