"""Hybrid retrieval: dense (FAISS) and keyword (BM25) scores over passages, fused, grouped by paragraph.

Fusion is a weighted sum of cosine similarity and BM25 scaled by the query's best BM25 score.
On this corpus it beats reciprocal-rank fusion: ranks throw away how far ahead the leader is.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.chunking import Passage
from bot.store import IndexStore
from bot.text import content_terms

CANDIDATES = 50  # per ranking; the whole corpus when it is smaller


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # fused
    dense: float  # cosine similarity


@dataclass(frozen=True)
class Retrieval:
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]  # best first

    def by_paragraph(self) -> list[list[Hit]]:
        """Hits grouped by (doc, paragraph), groups ordered by their best hit."""
        groups: dict[tuple[str, int], list[Hit]] = {}
        for hit in self.hits:
            groups.setdefault((hit.passage.doc, hit.passage.paragraph), []).append(hit)
        return list(groups.values())


def retrieve(store: IndexStore, query_vector: np.ndarray, query: str, keyword_weight: float) -> Retrieval:
    terms = tuple(content_terms(query))
    k = min(CANDIDATES, len(store.passages))
    dense_ids, dense_scores = store.search_dense(query_vector, k)
    cosine = dict(zip(map(int, dense_ids), map(float, dense_scores)))

    bm25 = store.bm25_scores(terms)
    best = float(bm25.max()) if len(bm25) else 0.0
    keyword: dict[int, float] = {}
    if best > 0:
        top = np.argpartition(-bm25, min(k, len(bm25) - 1))[:k]
        keyword = {int(i): float(bm25[i]) / best for i in top if bm25[i] > 0}

    hits = []
    for i in cosine.keys() | keyword.keys():
        dense = cosine[i] if i in cosine else store.dense_score(i, query_vector)
        hits.append(Hit(store.passages[i], dense + keyword_weight * keyword.get(i, 0.0), dense))
    hits.sort(key=lambda h: -h.score)
    return Retrieval(terms, tuple(hits))
