"""Dynamic batching: questions that arrive while the model is busy are encoded together in one call.

A question that arrives alone is encoded at once, in its own thread; nothing waits on a timer. While a
batch runs, later questions queue up, and when it ends the oldest waiting question leads the next
batch of everything queued (at most MAX_BATCH). So the wait a question adds is at most one batch in
flight, a burst is encoded in a few large calls instead of many small ones, and no thread is started.
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

MAX_BATCH = 64  # questions per model call: the encoder length-sorts inside a call, so more only amortises more


class _Request:
    __slots__ = ("text", "ready", "lead", "vector", "error")

    def __init__(self, text: str):
        self.text, self.ready, self.lead, self.vector, self.error = text, threading.Event(), False, None, None


class Batcher:
    """Callable from any number of threads: `batcher(text)` returns the vector of that one text."""

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray]):
        self._encode = encode
        self._queue: deque[_Request] = deque()
        self._lock = threading.Lock()
        self._busy = False

    def __call__(self, text: str) -> np.ndarray:
        request = _Request(text)
        with self._lock:
            self._queue.append(request)
            request.lead = not self._busy
            self._busy = True
        if not request.lead:
            request.ready.wait()  # woken with a result, or to lead the next batch
        if request.lead:
            self._run_batch()
        if request.error is not None:
            raise request.error
        return request.vector

    def _run_batch(self) -> None:
        """Encode what is queued, hand out the results, then pass the lead to the oldest waiting request."""
        with self._lock:
            batch = [self._queue.popleft() for _ in range(min(MAX_BATCH, len(self._queue)))]
        try:
            for request, vector in zip(batch, self._encode([r.text for r in batch]), strict=True):
                request.vector = vector
        except BaseException as exc:  # noqa: BLE001 - each question of the batch raises it once, in its own thread
            for request in batch:
                request.error = exc
        with self._lock:
            if self._queue:
                self._queue[0].lead = True
                self._queue[0].ready.set()
            else:
                self._busy = False
        for request in batch:
            request.lead = False
            request.ready.set()
