"""`FreshAssistant`: the open assistant of a long-running process, replaced when the store changes.

An assistant answers from a snapshot of the read model. Another process writing to the same
store (a second app on one `chroma run` server, `qa ingest` beside a running app) changes the
store's revision token (`index.store`); `FreshAssistant.current()` compares the token now with
the one its assistant's snapshot was opened at, at most once every `refresh_s` seconds (0: on
every call), and on a change opens a fresh assistant and swaps it in with one assignment, so a
read in flight finishes on the old one. The token: a local index's mirrored file
(`index.revision`, one small file read), a server's collection metadata (one HTTP call).

- Only one thread checks or reopens at a time; a read that finds another thread at it answers
  from the current assistant rather than wait. The read that finds the change reopens before it
  answers (that one read pays the reopen; none waits on it).
- A dirty token (a write in progress, or one a crash cut short) keeps the current assistant
  until it is clean; so does an unknown one (no mirrored file) or a failed check (the server
  gone: the read itself reports that).
- A snapshot whose revision is unknown (`ReadModel.revision` None) is compared with the token
  read just before it was opened.
- The embedder, the spaCy parser and the word vectors are handed to each fresh assistant, not
  loaded again.

Left out: watching the store (nothing happens between reads), and writes that bypass
`index.store` (they change no token).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from index.embed import Embedder
from index.revision import read_token
from index.store import DIRTY
from qa.assistant import Assistant, open_assistant
from qa.config import Config
from qa.errors import QAError

log = logging.getLogger(__name__)


class FreshAssistant:
    """Holds the current assistant for `config`; see the module docstring."""

    def __init__(self, config: Config, embedder: Embedder, refresh_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if refresh_s < 0:
            raise ValueError("refresh_s must be 0 or more")
        self.config = config
        self.refresh_s = refresh_s
        self._clock = clock
        self._lock = threading.Lock()          # one check or reopen at a time
        self._next_check = 0.0
        self.reopens = 0                       # assistants opened after the first (for tests and reports)
        before = self._token_now(None)
        self._assistant = open_assistant(config, embedder=embedder)
        self._token = self._assistant.snapshot_revision or before
        self._next_check = clock() + refresh_s

    @property
    def token(self) -> str | None:
        """The revision token the current assistant's snapshot was opened at (None: unknown)."""
        return self._token

    def current(self) -> Assistant:
        """The assistant to answer this read with: a fresh one if the store changed since the
        current one was opened (checked at most every `refresh_s` seconds)."""
        if self._clock() >= self._next_check and self._lock.acquire(blocking=False):
            try:
                if self._clock() >= self._next_check:      # not done by the thread that held the lock
                    self._check()
                    self._next_check = self._clock() + self.refresh_s
            finally:
                self._lock.release()
        return self._assistant

    def reopen(self) -> Assistant:
        """Open a fresh assistant now (after this process's own ingest); waits for a check in progress."""
        with self._lock:
            self._open(self._token_now(self._assistant))
            self._next_check = self._clock() + self.refresh_s
            return self._assistant

    def _check(self) -> None:
        try:
            token = self._token_now(self._assistant)
        except QAError as err:              # the store is unreachable: the read will say so itself
            log.warning("could not check the index for changes (%s); answering from the open snapshot", err)
            return
        if token is None or token.startswith(DIRTY) or token == self._token:
            return
        try:
            self._open(token)
        except QAError as err:              # e.g. another writer's ingest failed half-way: try again later
            log.warning("could not open the changed index (%s); answering from the open snapshot", err)

    def _open(self, before: str | None) -> None:
        old = self._assistant
        fresh = open_assistant(self.config, embedder=old.embedder, words=old.words, parser=old.parser)
        self._token = fresh.snapshot_revision or before
        self._assistant = fresh                # one assignment: reads in flight keep the old one
        self.reopens += 1

    def _token_now(self, assistant: Assistant | None) -> str | None:
        """The store's revision token now: the local index's mirrored file, or the server's
        (through `assistant`'s store; None before the first assistant is open)."""
        if not self.config.chroma_url:
            return read_token(self.config.index_dir)
        return assistant.store_revision() if assistant is not None else None
