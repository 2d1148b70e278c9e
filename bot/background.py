"""Writes done on one background thread, so whoever hands one over never waits on the disk.

Bounded, so a stuck disk cannot grow memory without limit; retried with backoff, because a lock held
by a backup or a `sqlite3` shell is usually brief; counted, because a write that is dropped or fails
every try must be visible somewhere. Nothing here ever raises to the caller.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
Item = TypeVar("Item")


class BackgroundWriter(Generic[Item]):
    """Calls `write(item)` for each submitted item, in order, on its own thread; `finish()` runs there last."""

    def __init__(self, write: Callable[[Item], None], finish: Callable[[], None], *, name: str,
                 capacity: int, attempts: int, backoff: float):
        self._write, self._finish, self._name = write, finish, name
        self._capacity, self._attempts, self._backoff = capacity, attempts, backoff
        self._pending: deque[Item] = deque()  # the item being written stays here until done, so flush() waits for it
        self._changed = threading.Condition()
        self._closing = False
        self.lost = 0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, item: Item) -> bool:
        """Queue one write; False (and counted as lost) when the queue is full or closed."""
        with self._changed:
            if self._closing or len(self._pending) >= self._capacity:
                self._count_lost("the queue is full" if not self._closing else "the log is closed")
                return False
            self._pending.append(item)
            self._changed.notify_all()
            return True

    def flush(self, timeout: float) -> bool:
        """Wait until every write queued so far is done (or given up); False if `timeout` ran out first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending, timeout)

    def close(self, timeout: float) -> None:
        """Write what is queued, trying each once more at most, and stop. After `timeout`, what is left is
        counted as lost; the thread finishes the write in hand and then runs `finish()` itself."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
            drained = self._changed.wait_for(lambda: not self._pending, timeout)
            while len(self._pending) > 1:  # all but the one in hand, which is still being tried
                self._pending.pop()
                self._count_lost("closing")
        if drained:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            while True:
                with self._changed:
                    self._changed.wait_for(lambda: self._pending or self._closing)
                    if not self._pending:
                        return
                    item = self._pending[0]
                self._write_with_retries(item)
                with self._changed:
                    self._pending.popleft()
                    self._changed.notify_all()
        finally:
            self._finish()

    def _write_with_retries(self, item: Item) -> None:
        for attempt in range(self._attempts):
            try:
                self._write(item)
                return
            except Exception as exc:  # whatever the cause, the caller must not see it
                with self._changed:
                    if attempt + 1 == self._attempts or self._closing:
                        self._count_lost(f"{type(exc).__name__}: {exc}")
                        return
                    self._changed.wait(self._backoff * 2 ** attempt)  # close() cuts the wait short

    def _count_lost(self, reason: str) -> None:
        """Called with the condition held."""
        self.lost += 1
        log.warning("%s: a write was not done (%s); %d lost since start", self._name, reason, self.lost)
