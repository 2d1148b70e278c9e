"""Dynamic batching: questions that arrive while the model is busy are encoded together in one call.

A question that arrives alone is encoded at once, in its own thread; nothing waits on a timer. While a
batch runs, later questions queue up, and when it ends the oldest waiting question leads the next
batch of everything queued (at most MAX_BATCH). So the wait a question adds is at most one batch in
flight, a burst is encoded in a few large calls instead of many small ones, and no thread is started.
An encoder whose call takes one core has one batcher a core (`Batchers`).
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
        self.text, self.ready, self.lead = text, threading.Event(), False
        self.vector: np.ndarray | None = None
        self.error: BaseException | None = None


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
        assert request.vector is not None  # set with the batch's results, or error is
        return request.vector

    def _run_batch(self) -> None:
        """Encode what is queued, hand out the results, then pass the lead to the oldest waiting request."""
        with self._lock:
            batch = [self._queue.popleft() for _ in range(min(MAX_BATCH, len(self._queue)))]
        try:
            for request, vector in zip(batch, self._encode([r.text for r in batch]), strict=True):
                request.vector = vector
        except BaseException as exc:  # each question of the batch raises it once, in its own thread
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


class Batchers:
    """Batchers side by side, each question to the least loaded: with an encoder that runs a call on one core,
    two questions arriving together are encoded at once on two cores, not one after the other (a lone batcher
    runs one batch at a time). A burst still gathers into batches, one queue each."""

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray], count: int):
        self._batchers = [Batcher(encode) for _ in range(max(count, 1))]
        self._asked = [0] * len(self._batchers)  # questions each batcher holds, waiting or encoding
        self._lock = threading.Lock()

    def __call__(self, text: str) -> np.ndarray:
        with self._lock:  # chosen and counted at once: two questions arriving together go to two batchers
            chosen = min(range(len(self._batchers)), key=self._asked.__getitem__)
            self._asked[chosen] += 1
        try:
            return self._batchers[chosen](text)
        finally:
            with self._lock:
                self._asked[chosen] -= 1
