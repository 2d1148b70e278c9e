"""Answer latency against the bare model: the engine's full answer vs `model.encode([question])`.

Run: python benchmarks/latency.py   (writes benchmarks/out/latency.json)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import dev_questions, percentiles, save  # noqa: E402
from bot.discord_app.embeds import answer_embed  # noqa: E402
from bot.engine import KEYWORD_WEIGHT, Engine, clean_question  # noqa: E402
from bot.retrieval import retrieve  # noqa: E402
from bot.text import content_terms, normalise_query  # noqa: E402

ROUNDS = 10


def stage_breakdown(engine: Engine, questions: list[str]) -> dict:
    """Each stage of one answer, timed on its own (uncached encode)."""
    loaded = engine._loaded
    store, answerer, model = loaded.store, loaded.answerer, engine.embedder
    stages: dict[str, list[float]] = {k: [] for k in ("normalise", "encode", "faiss", "bm25", "fusion", "selection", "rendering")}
    for _ in range(ROUNDS):
        for q in questions:
            t0 = time.perf_counter()
            query = normalise_query(clean_question(q), store.vocabulary)
            t1 = time.perf_counter()
            vector = model.encode([query])[0]
            t2 = time.perf_counter()
            store.search_dense(vector, 50)
            t3 = time.perf_counter()
            store.bm25_scores(content_terms(query))
            t4 = time.perf_counter()
            retrieval = retrieve(store, vector, query, KEYWORD_WEIGHT)  # includes FAISS and BM25 again
            t5 = time.perf_counter()
            answer = answerer.answer(q, retrieval, non_english=False)
            t6 = time.perf_counter()
            answer.to_json(), answer.to_text(), answer_embed(answer, lambda doc: None)
            t7 = time.perf_counter()
            for name, value in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, (t5 - t4) - (t4 - t2), t6 - t5, t7 - t6)):
                stages[name].append(max(value, 0.0))
    return {name: percentiles(values) for name, values in stages.items()}


def main() -> dict:
    questions = dev_questions()
    engine = Engine.load()
    model = engine.embedder.model
    for q in questions:  # warm-up: first calls allocate
        model.encode([q])
        engine.ask(q)

    bare, full, repeat = [], [], []
    for _ in range(ROUNDS):
        for q in questions:
            started = time.perf_counter()
            model.encode([q])
            bare.append(time.perf_counter() - started)
            engine.embedder._cache.clear()  # a new question: no cached embedding
            started = time.perf_counter()
            engine.ask(q)
            full.append(time.perf_counter() - started)
            started = time.perf_counter()
            engine.ask(q)  # the same question again: embedding from the LRU cache
            repeat.append(time.perf_counter() - started)

    bare_p, full_p, repeat_p = percentiles(bare), percentiles(full), percentiles(repeat)
    result = {
        "questions": len(questions), "rounds": ROUNDS,
        "bare_encode": bare_p, "engine_answer": full_p, "repeated_question": repeat_p,
        "ratio_p50": round(full_p["p50_ms"] / bare_p["p50_ms"], 3),
        "ratio_p95": round(full_p["p95_ms"] / bare_p["p95_ms"], 3),
        "repeat_over_encode_p50": round(repeat_p["p50_ms"] / bare_p["p50_ms"], 3),
        "breakdown": stage_breakdown(engine, questions),
        "target": "ratio_p50 <= 1.25",
    }
    return save("latency", result)


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
