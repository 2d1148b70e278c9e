"""Flat vs HNSW at scale: recall@10 of HNSW against exact search, query latency, memory, build time.

Uses the index the store builds above its threshold (`_empty_faiss_index`), on synthetic unit vectors
of dimension 384. Random vectors are the hard case for approximate search (real embeddings cluster).
Run: python benchmarks/hnsw.py [--sizes 100000 1000000]   (writes benchmarks/out/hnsw.json)
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import faiss  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks.common import percentiles, save  # noqa: E402
from bot.store import _empty_faiss_index  # noqa: E402

DIM, QUERIES, K = 384, 500, 10


def unit_vectors(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):  # in blocks, to keep the temporary float64 small
        block = rng.standard_normal((min(100_000, n - start), DIM)).astype(np.float32)
        out[start:start + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def measure(n: int) -> dict:
    vectors, queries = unit_vectors(n, seed=n), unit_vectors(QUERIES, seed=1)
    flat, flat_kind = _empty_faiss_index(DIM, n, hnsw_threshold=n)  # at the threshold: flat
    hnsw, hnsw_kind = _empty_faiss_index(DIM, n, hnsw_threshold=n - 1)  # above it: HNSW
    assert (flat_kind, hnsw_kind) == ("flat", "hnsw")
    result = {"vectors": n, "dimension": DIM, "queries": QUERIES}
    for name, index in (("flat", flat), ("hnsw", hnsw)):
        started = time.perf_counter()
        index.add(vectors)
        result[f"{name}_build_s"] = round(time.perf_counter() - started, 2)
        result[f"{name}_memory_mb"] = round(len(faiss.serialize_index(index)) / 2**20, 1)
        single = []
        for q in queries[:200]:
            t = time.perf_counter()
            index.search(q.reshape(1, -1), K)
            single.append(time.perf_counter() - t)
        result[f"{name}_query"] = percentiles(single)
    _, exact = flat.search(queries, K)
    _, approx = hnsw.search(queries, K)
    result["hnsw_recall_at_10"] = round(float(np.mean([len(set(a) & set(e)) / K for a, e in zip(approx, exact)])), 4)
    result["hnsw_params"] = {"M": 32, "efConstruction": hnsw.hnsw.efConstruction, "efSearch": hnsw.hnsw.efSearch}
    return result


def main(sizes: list[int]) -> dict:
    return save("hnsw", {"runs": [measure(n) for n in sizes], "faiss_threads": faiss.omp_get_max_threads()})


if __name__ == "__main__":
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    print(json.dumps(main(parser.parse_args().sizes), indent=2))
