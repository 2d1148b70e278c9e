"""Build throughput: `forumbot index build` on a synthetic corpus vs bare `model.encode` of the same passages.

Run: python -m benchmarks.build   (writes benchmarks/out/build.json)
"""
from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, current_rss_mb, peak_rss_mb, save
from bot.chunking import chunk_documents
from bot.corpus import load_corpus
from bot.engine import Engine
from bot.onnx_encoder import MODELS
from bot.settings import get_settings
from bot.text import WORD

DOCUMENTS, PARAGRAPHS, SENTENCES = 100, 34, 2  # 2 sentences -> 3 passages: ~10,200 passages


def synthetic_corpus(folder: Path, seed: int = 7) -> None:
    """Documents of sentences drawn from the article's own words, so token lengths are realistic."""
    words = [w for doc in load_corpus(ROOT / "corpus") for p in doc.paragraphs for w in WORD.findall(p)]
    rng = random.Random(seed)

    def sentence() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(12, 30))).capitalize() + "."

    for d in range(DOCUMENTS):
        paragraphs = [" ".join(sentence() for _ in range(SENTENCES)) for _ in range(PARAGRAPHS)]
        (folder / f"doc{d:03d}.txt").write_text(f"Synthetic document {d}\n\n" + "\n\n".join(paragraphs), encoding="utf-8")


def main() -> dict:
    work = Path(tempfile.mkdtemp())
    (work / "corpus").mkdir()
    synthetic_corpus(work / "corpus")
    settings = get_settings().model_copy(update={"corpus_dir": work / "corpus", "index_dir": work / "index"})
    engine = Engine(settings)
    model = engine.load_model()
    texts = [p.text for doc in load_corpus(settings.corpus_dir) for p in
             chunk_documents([doc], settings.chunk_sentences, model.count_tokens, model.max_tokens)]
    rss_before = current_rss_mb()
    # The ONNX export is made once per model version and reused by every later build: timed on its own.
    started = time.perf_counter()
    model.export_onnx(settings.index_dir / MODELS)
    export_seconds = time.perf_counter() - started

    # The bare model first: its peak is the model's own working set (attention over the longest batch).
    started = time.perf_counter()
    model.model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    bare_seconds = time.perf_counter() - started
    bare_peak = peak_rss_mb()

    report = engine.rebuild(full=True)
    build_peak = peak_rss_mb()
    assert report.passages == len(texts)

    build_rate, bare_rate = report.passages / report.seconds, len(texts) / bare_seconds
    return save("build", {
        "documents": report.documents, "passages": report.passages, "build_seconds": round(report.seconds, 2),
        "bare_encode_seconds": round(bare_seconds, 2), "build_passages_per_s": round(build_rate, 1),
        "bare_passages_per_s": round(bare_rate, 1), "rate_ratio": round(build_rate / bare_rate, 3),
        "rss_before_mb": rss_before, "peak_rss_after_bare_encode_mb": bare_peak, "peak_rss_after_build_mb": build_peak,
        "vectors_mb": round(report.passages * model.dimension * 4 / 2**20, 1), "onnx_export_seconds": round(export_seconds, 2),
        "target": "rate_ratio >= 0.9",
    })


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
