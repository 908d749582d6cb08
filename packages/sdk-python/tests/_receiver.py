"""A real HTTP receiver on 127.0.0.1 for the integration tests: it records every request
(headers and the raw body bytes) and answers 200, or the status set for a path."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Optional, TypeVar

T = TypeVar("T")


def until(what: str, probe: Callable[[], Optional[T]], timeout: float = 20.0, interval: float = 0.05) -> T:
    """Polls `probe` until it returns something other than None; fails naming `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Request:
    def __init__(self, method: str, path: str, headers, body: bytes) -> None:
        self.method = method
        self.path = path
        self.headers = headers  # http.client.HTTPMessage, as real Python receivers get
        self.body = body


class Receiver:
    def __init__(self) -> None:
        self.requests: List[Request] = []
        self.status: Dict[str, int] = {}
        self._changed = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                status = outer.status.get(self.path, 200)
                reply = b"ok" if status < 300 else b"receiver says no"
                self.send_response(status)
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
                with outer._changed:
                    outer.requests.append(Request(self.command, self.path, self.headers, body))
                    outer._changed.notify_all()

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def at(self, path: str) -> List[Request]:
        with self._changed:
            return [r for r in self.requests if r.path == path]

    def wait_for(self, path: str, n: int = 1, timeout: float = 20.0) -> List[Request]:
        """The first `n` requests to `path`, waiting for them to arrive (no blind sleeps)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                got = [r for r in self.requests if r.path == path]
                if len(got) >= n:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"receiver: {len(got)} of {n} requests to {path} after {timeout} s")
                self._changed.wait(left)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
