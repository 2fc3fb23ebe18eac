"""Fetch one web resource safely: httpx with timeouts, a size cap, few redirects, checked types.

`Fetcher.fetch(url)` returns the final URL, the content type and the body, or raises
`BadArticle` (a `RefusedURL` for what `index.url_guard` refuses) naming the URL and the cause.
Every hop, the first and each redirect, passes `check_url`, and the connection goes to the
address that was checked (the request carries the host name in its Host header and, for
https, as the TLS server name, so certificates are verified against the name). Limits:
connect and read timeouts, a total time per resource (a page that trickles is cut off), a
body cap counted after decompression (a gzip bomb stops at the cap), at most
`max_redirects` redirects, and only the content types an article or feed comes in.

Left out: cookies, authentication, proxies (environment proxy settings are ignored),
robots.txt, JavaScript-rendered pages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from index.errors import BadArticle
from index.url_guard import Target, check_url

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml", "application/feed+json")
PDF_TYPES = ("application/pdf",)
DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
TEXT_TYPES = ("text/plain", "text/markdown")
ARTICLE_TYPES = HTML_TYPES + FEED_TYPES + PDF_TYPES + DOCX_TYPES + TEXT_TYPES
USER_AGENT = "article-qa/0.1 (offline question answering over saved articles)"


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_seconds: float = 30.0      # per resource, redirects included
    max_bytes: int = 20_000_000      # after decompression
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    url: str                 # the final URL, after redirects, without a #fragment
    content_type: str        # e.g. "text/html", lower case, no parameters
    body: bytes


class Fetcher:
    """One HTTP client for a run (connections reused); use as a context manager."""

    def __init__(self, allow_private: bool = False, limits: FetchLimits = FetchLimits()) -> None:
        import httpx  # imported only when something is fetched

        self.allow_private = allow_private
        self.limits = limits
        timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                                    headers={"User-Agent": USER_AGENT})

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, accept: tuple[str, ...] = ARTICLE_TYPES) -> Fetched:
        """The resource at `url` (see the module docstring); `BadArticle` naming `url` otherwise."""
        import httpx

        deadline = time.monotonic() + self.limits.total_seconds
        current = url.strip().split("#", 1)[0]
        try:
            for _hop in range(self.limits.max_redirects + 1):
                target = check_url(current, self.allow_private)
                response = self._open(target)
                try:
                    if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                        current = str(httpx.URL(current).join(response.headers["location"])).split("#", 1)[0]
                        continue
                    if response.status_code >= 400:
                        raise BadArticle(url, f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
                                         + (f" (from {current})" if current != url else ""))
                    content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
                    if content_type not in accept:
                        raise BadArticle(url, f"content type {content_type or 'unknown'} is not an article "
                                              "(HTML, PDF, Word, plain text, RSS or Atom)")
                    return Fetched(current, content_type, self._read(response, url, deadline))
                finally:
                    response.close()
            raise BadArticle(url, f"more than {self.limits.max_redirects} redirects")
        except httpx.TimeoutException:
            raise BadArticle(url, "timed out") from None
        except httpx.HTTPError as err:
            raise BadArticle(url, f"cannot fetch ({type(err).__name__}: {' '.join(str(err).split())[:120]})") from None

    def _open(self, target: Target):  # type: ignore[no-untyped-def]
        """A streamed GET to the first checked address that accepts a connection."""
        import httpx

        request_url = httpx.URL(target.url.split("#", 1)[0])
        default = 443 if target.scheme == "https" else 80
        host_header = target.host if target.port == default else f"{target.host}:{target.port}"
        if ":" in target.host and target.port == default:
            host_header = f"[{target.host}]"
        elif ":" in target.host:
            host_header = f"[{target.host}]:{target.port}"
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        last: Exception | None = None
        for address in target.addresses:
            request = self._client.build_request("GET", request_url.copy_with(host=address),
                                                 headers={"Host": host_header}, extensions=extensions)
            try:
                return self._client.send(request, stream=True)
            except httpx.ConnectError as err:
                last = err
        assert last is not None      # addresses is never empty (check_url)
        raise last

    def _read(self, response, url: str, deadline: float) -> bytes:  # type: ignore[no-untyped-def]
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise BadArticle(url, f"{int(declared) / 1e6:.1f} MB: over the {cap / 1e6:g} MB limit")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise BadArticle(url, f"more than {cap / 1e6:g} MB: over the limit")
            if time.monotonic() > deadline:
                raise BadArticle(url, f"timed out (over {self.limits.total_seconds:g} s in all)")
            chunks.append(chunk)
        return b"".join(chunks)
