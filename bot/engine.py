"""The engine: loaded once, answers many questions. The CLI, the Discord bot and the tests share it.

Swapping in a new index replaces one reference, so a question in flight finishes on the index it
started with, and the next one sees the new index: no gap, no lock on the hot path.
"""
from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from bot.answer import Answer, Kind
from bot.answering import Answerer
from bot.corpus import load_corpus
from bot.batching import MAX_BATCH
from bot.embedding import Embedder, Encoder
from bot.onnx_encoder import OnnxEncoder, export_folder
from bot.retrieval import retrieve
from bot.settings import Settings, get_settings
from bot.store import BuildReport, IndexStore, build_index, read_manifest, write_calibration
from bot.text import non_latin_share, normalise_query

KEYWORD_WEIGHT = 0.4  # BM25's share of the fused score; the middle of a broad plateau on labelled questions
EXAMPLES = ["Who is Li Bohu?", "What did Yang Xiuling say about Beijing?", "What report was released at the forum?"]
_SMALL_TALK = re.compile(
    r"^(hi|hello|hey|hiya|yo|howdy|greetings|good (morning|afternoon|evening)|thanks?( you)?( so much)?|thx|ty|cheers|"
    r"ok(ay)?|cool|nice|great|bye|goodbye|help|\?+|what can you do|what do you do|what do you know|who are you|"
    r"what are you|how do i use (you|this)|how does this work|what can i ask( you)?)"
    r"( (bot|forumbot|there|everyone))?[\s!.?]*$", re.I)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_question(text: str) -> str:
    """Drop control, zero-width and direction characters and fold whitespace: they only confuse matching."""
    text = _INVISIBLE.sub("", text)
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return " ".join(text.split())


@dataclass
class Loaded:
    """One index version and what was precomputed for it; replaced whole on reload."""

    store: IndexStore
    answerer: Answerer


class Engine:
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None):
        self.settings = settings or get_settings()
        self._model, self._keep_model = embedder, embedder is not None  # sentence-transformers: builds, or answers without ONNX
        self.embedder: Encoder | None = None  # encodes questions: chosen for each index by reload()
        self._loaded: Loaded | None = None
        self._build_lock = threading.Lock()
        self.examples = EXAMPLES

    # -- index lifecycle -------------------------------------------------------------------
    @classmethod
    def load(cls, settings: Settings | None = None, embedder: Embedder | None = None) -> Engine:
        engine = cls(settings, embedder)
        engine.reload()
        return engine

    def _prepare(self, store: IndexStore) -> Loaded:
        return Loaded(store, Answerer(store, KEYWORD_WEIGHT, self.settings.max_citations,
                                      self.settings.max_answer_chars, EXAMPLES))

    def reload(self) -> str:
        """Load the index on disk and swap it in. On error the current index keeps serving."""
        encoder = self._query_encoder(read_manifest(self.settings.index_dir))
        store = IndexStore.load(self.settings.index_dir, self.settings.model, encoder.dimension)
        self.embedder, self._loaded = encoder, self._prepare(store)
        return store.version

    def _query_encoder(self, manifest: dict) -> Encoder:
        """The index's ONNX export when it has one and onnxruntime is installed (no torch), else sentence-transformers."""
        folder = export_folder(self.settings.index_dir, manifest) if self.settings.onnx else None
        if folder is None:
            return self._sentence_transformer()
        current = self.embedder
        if isinstance(current, OnnxEncoder) and current.folder == folder and current.quantized == self.settings.onnx_int8:
            return current  # the same model: loaded once, its query cache kept
        return OnnxEncoder(folder, self.settings.onnx_int8, self.settings.query_cache_size)

    def _sentence_transformer(self) -> Embedder:
        if self._model is None:
            self._model = Embedder(self.settings.model, self.settings.device, self.settings.query_cache_size)
        return self._model

    def rebuild(self, full: bool = False, on_total: Callable[[int], None] | None = None,
                on_progress: Callable[[int], None] | None = None) -> BuildReport:
        """Build from the corpus and swap the result in; questions keep using the old index meanwhile."""
        with self._build_lock:
            report = build_index(load_corpus(self.settings.corpus_dir), self._sentence_transformer(), self.settings.index_dir,
                                 sentences_per_passage=self.settings.chunk_sentences,
                                 hnsw_threshold=self.settings.hnsw_threshold, full=full,
                                 on_total=on_total, on_progress=on_progress)
            self.reload()
            if not self._keep_model and self.embedder is not self._model:
                self._model = None  # answering from ONNX: PyTorch's copy of the model is not kept
            return report

    def save_calibration(self, calibration: dict) -> None:
        """Store fitted thresholds in the current manifest and start using them."""
        write_calibration(self.settings.index_dir, calibration)
        self.reload()

    def _current(self) -> Loaded:
        """The index version in use (loaded on first need); a question reads it once and keeps it."""
        if self._loaded is None:
            self.reload()
        return self._loaded

    @property
    def store(self) -> IndexStore:
        return self._current().store

    @property
    def version(self) -> str:
        return self.store.version

    # -- questions ----------------------------------------------------------------------------
    def ask(self, question: str, context: str | None = None) -> Answer:
        """Answer one question; `context` is the earlier question of a follow-up conversation."""
        started = time.perf_counter()
        answer = self._answer(self._current(), clean_question(question), clean_question(context or ""))
        return replace(answer, latency_ms=(time.perf_counter() - started) * 1000)

    def ask_many(self, questions: Sequence[str]) -> list[Answer]:
        """Answer many questions at once, in order: asked from threads, their encodings share model calls."""
        with ThreadPoolExecutor(min(MAX_BATCH, max(len(questions), 1))) as pool:
            return list(pool.map(self.ask, questions))

    def _retrieve(self, loaded: Loaded, question: str, context: str = ""):
        query = normalise_query(f"{context} {question}" if context else question, loaded.store.vocabulary)
        return retrieve(loaded.store, self.embedder.encode_query(query), query, KEYWORD_WEIGHT)

    def assess(self, question: str) -> tuple[float, bool]:
        """(confidence, abstains whatever the threshold): what calibration fits the threshold on."""
        loaded = self._current()
        question = clean_question(question)
        retrieval = self._retrieve(loaded, question)
        unconditional = loaded.answerer.answer(question, retrieval, non_english=False, threshold=float("-inf"))
        return loaded.answerer.confidence(retrieval), unconditional.abstained

    def _answer(self, loaded: Loaded, question: str, context: str) -> Answer:
        if not question or _SMALL_TALK.match(question):
            return loaded.answerer.reply(question, Kind.HELP)
        retrieval = self._retrieve(loaded, question, context)
        non_english = non_latin_share(question) > 0.3 and not self.embedder.multilingual
        return loaded.answerer.answer(question, retrieval, non_english)
