"""`ChatClient`: POST ``{base}/chat/completions`` to an OpenAI-compatible server (Ollama, vLLM,
llama.cpp's server, LM Studio, a hosted API), streamed as server-sent events or whole.

One deadline covers the whole reply (connecting, the first token and every later one): a
server that is down, slow, or stalls mid-stream raises `ModelError` within `timeout` seconds.
Every failure is one line naming the endpoint and the cause (refused the key, rate-limited,
failed, not JSON, empty, cut off); the API key is read from ``$QA_LLM_API_KEY`` only, sent as a
bearer token, and never appears in a message (the URL's user:password part is dropped too).

Left out: retries (the caller falls back to the extractive answer), tools, anything but text.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from qa.errors import QAError

KEY_ENV = "QA_LLM_API_KEY"


class ModelError(QAError):
    """The language model's endpoint failed; the message is one line, safe to show."""


@dataclass(frozen=True)
class ModelSettings:
    """Where the model is and how long to wait for it. `url` is the API's base (…/v1)."""

    url: str
    model: str = ""
    timeout: float = 60.0           # seconds for the whole reply
    max_tokens: int = 400
    temperature: float = 0.0        # greedy: the same evidence gives the same answer


@dataclass
class Reply:
    """What the model wrote, and why it stopped ("stop", "length", ...; "" when not said)."""

    text: str = ""
    finish_reason: str = ""


def _shown(url: str) -> str:
    """The URL as messages show it: no user:password part.

    >>> _shown("https://me:secret@api.example.org/v1")
    'https://api.example.org/v1'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}".rstrip("/")


_STATUS = {401: "refused the API key", 403: "refused the request", 404: "has no such model or path",
           429: "is rate-limiting requests", 503: "is overloaded"}


class ChatClient:
    """Talks to one endpoint. Thread-safe: each call opens its own connection."""

    def __init__(self, settings: ModelSettings) -> None:
        parts = urlsplit(settings.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--llm-url must be an http(s) URL such as http://127.0.0.1:11434/v1, "
                             f"not {_shown(settings.url)!r}")
        if not settings.timeout > 0:
            raise ValueError("--llm-timeout must be more than 0 seconds")
        self.settings = settings
        self.where = _shown(settings.url)
        self._parts = parts

    def _fail(self, cause: str) -> ModelError:
        key = os.environ.get(KEY_ENV, "")
        line = f"the language model at {self.where} {cause}".replace("\n", " ")
        return ModelError(line.replace(key, "***") if key else line)

    def _request(self, messages: list[dict[str, str]], stream: bool, deadline: float) -> http.client.HTTPResponse:
        p = self._parts
        kind = http.client.HTTPSConnection if p.scheme == "https" else http.client.HTTPConnection
        conn = kind(p.hostname, p.port, timeout=max(0.05, deadline - time.monotonic()))
        body = {"model": self.settings.model, "messages": messages, "stream": stream,
                "max_tokens": self.settings.max_tokens, "temperature": self.settings.temperature}
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream" if stream else "application/json"}
        key = os.environ.get(KEY_ENV)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        try:
            conn.request("POST", p.path.rstrip("/") + "/chat/completions", json.dumps(body), headers)
            response = conn.getresponse()
        except (TimeoutError, socket.timeout):
            conn.close()
            raise self._fail(f"did not answer within {self.settings.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as err:
            conn.close()
            raise self._fail(f"is unreachable ({type(err).__name__}: {getattr(err, 'strerror', None) or err})") from None
        if response.status != 200:
            conn.close()
            cause = _STATUS.get(response.status, "failed" if response.status >= 500 else "rejected the request")
            raise self._fail(f"{cause} (HTTP {response.status})")
        return response

    def complete(self, messages: list[dict[str, str]]) -> Reply:
        """The whole reply at once (no streaming)."""
        deadline = time.monotonic() + self.settings.timeout
        response = self._request(messages, False, deadline)
        try:
            raw = self._read(response, deadline, lambda r: r.read())
        finally:
            response.close()
        try:
            choice = json.loads(raw)["choices"][0]
            reply = Reply(choice["message"]["content"] or "", choice.get("finish_reason") or "")
        except (ValueError, KeyError, IndexError, TypeError):
            raise self._fail("answered with something that is not an OpenAI-style JSON reply") from None
        return self._checked(reply)

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """The reply's text as it comes (server-sent events); returns the whole `Reply` at the end
        (``reply = yield from client.stream(...)``)."""
        deadline = time.monotonic() + self.settings.timeout
        response = self._request(messages, True, deadline)
        reply, done = Reply(), False
        try:
            if "text/event-stream" not in (response.getheader("Content-Type") or ""):
                raise self._fail("answered with something that is not an event stream")
            while not done:
                line = self._read(response, deadline, lambda r: r.readline())
                if not line:
                    break                       # connection closed
                line = line.strip()
                if not line.startswith(b"data:"):
                    continue                    # comments, event names, blank separators
                data = line[5:].strip()
                if data == b"[DONE]":
                    done = True
                    break
                try:
                    choice = json.loads(data)["choices"][0]
                    piece = (choice.get("delta") or {}).get("content") or ""
                except (ValueError, KeyError, IndexError, TypeError, AttributeError):
                    raise self._fail("streamed something that is not an OpenAI-style JSON event") from None
                if choice.get("finish_reason"):
                    reply.finish_reason = choice["finish_reason"]
                if piece:
                    reply.text += piece
                    yield piece
        finally:
            response.close()
        if not done and not reply.finish_reason:
            raise self._fail("stopped in the middle of its answer (the reply was cut off)")
        return self._checked(reply)

    def _read(self, response: http.client.HTTPResponse, deadline: float, read) -> bytes:  # type: ignore[no-untyped-def]
        left = deadline - time.monotonic()
        if left <= 0:
            raise self._fail(f"did not finish its answer within {self.settings.timeout:g} s")
        sock = getattr(response.fp, "raw", None)
        sock = getattr(sock, "_sock", None)
        if sock is not None:
            sock.settimeout(left)
        try:
            return read(response)
        except (TimeoutError, socket.timeout):
            raise self._fail(f"did not finish its answer within {self.settings.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as err:
            raise self._fail(f"dropped the connection ({type(err).__name__})") from None

    def _checked(self, reply: Reply) -> Reply:
        if not reply.text.strip():
            raise self._fail("returned an empty answer")
        return reply
