"""A small web server on 127.0.0.1 for the tests: routes set by the test, changed between runs.

`Site.routes` maps a path to a `Route` (status, content type, body, extra headers, a delay
before the body); a test edits it to change a page or add a feed item. Nothing leaves
the machine: the server listens on loopback and serves only what the test put there.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Site:
    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def page(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.routes[path] = Route(body.encode("utf-8") if isinstance(body, str) else body, content_type)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = Route(status=status, headers={"Location": location})


def serve(site: Site) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Start serving `site` on 127.0.0.1 (a free port, written into `site.port`)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            site.hits.append(self.path)
            route = site.routes.get(self.path.split("?", 1)[0])
            if route is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(route.status)
            if route.status < 300 or route.status >= 400:
                self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for key, value in route.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if route.delay:
                time.sleep(route.delay)
            try:
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass          # the client gave up (the slow-page test)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="test-web", daemon=True)
    thread.start()
    return server, thread
