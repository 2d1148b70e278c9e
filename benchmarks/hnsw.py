"""Flat vs HNSW at scale: recall@10 of HNSW against exact search, query latency, memory, build time.

Uses the index a build makes above its threshold (`bot.builder.empty_faiss_index`), on synthetic unit vectors
of dimension 384 that cluster like sentence embeddings do (points scattered around topic centres, queries
drawn from the same topics). Uniformly random vectors, where every point is almost equally far from
every other, are reported once at 100k as the worst case. efSearch is swept to show recall vs latency.
Run: python -m benchmarks.hnsw [--sizes 100000 1000000]   (writes benchmarks/out/hnsw.json)
"""
from __future__ import annotations

import argparse
import time
from typing import Any

import faiss
import numpy as np

from benchmarks.common import percentiles, save
from bot.builder import HNSW_M, empty_faiss_index

DIM, QUERIES, K = 384, 500, 10
POINTS_PER_TOPIC, SPREAD = 100, 0.05  # noise per dimension around a topic centre (norm ~1 vs the centre's 1)
EF_SEARCH = (32, 64, 128, 256)


def _normalised(block: np.ndarray) -> np.ndarray:
    return (block / np.linalg.norm(block, axis=1, keepdims=True)).astype(np.float32)


def unit_vectors(n: int, seed: int, centres: np.ndarray | None = None) -> np.ndarray:
    """Uniform on the sphere, or (with centres) scattered around randomly chosen topic centres."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):  # in blocks, to keep the temporaries small
        size = min(100_000, n - start)
        noise = rng.standard_normal((size, DIM)).astype(np.float32)
        block = noise if centres is None else centres[rng.integers(len(centres), size=size)] + SPREAD * noise
        out[start:start + size] = _normalised(block)
    return out


def measure(n: int, clustered: bool = True) -> dict:
    centres = unit_vectors(max(n // POINTS_PER_TOPIC, 1), seed=0) if clustered else None
    vectors, queries = unit_vectors(n, seed=n, centres=centres), unit_vectors(QUERIES, seed=1, centres=centres)
    flat, flat_kind = empty_faiss_index(DIM, n, hnsw_threshold=n)  # at the threshold: flat
    hnsw, hnsw_kind = empty_faiss_index(DIM, n, hnsw_threshold=n - 1)  # above it: HNSW
    assert (flat_kind, hnsw_kind) == ("flat", "hnsw")
    result: dict[str, Any] = {"vectors": n, "data": "clustered" if clustered else "uniform", "dimension": DIM, "queries": QUERIES}
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
    result["hnsw_recall_at_10"] = recall(hnsw, queries, exact)
    result["hnsw_params"] = {"M": HNSW_M, "efConstruction": hnsw.hnsw.efConstruction, "efSearch": hnsw.hnsw.efSearch}
    default_ef = hnsw.hnsw.efSearch
    sweep = {}
    for ef in EF_SEARCH:
        hnsw.hnsw.efSearch = ef
        single = []
        for q in queries[:200]:
            t = time.perf_counter()
            hnsw.search(q.reshape(1, -1), K)
            single.append(time.perf_counter() - t)
        sweep[ef] = {"recall_at_10": recall(hnsw, queries, exact), "query_p50_ms": percentiles(single)["p50_ms"]}
    hnsw.hnsw.efSearch = default_ef
    result["ef_search_sweep"] = sweep
    return result


def recall(index, queries: np.ndarray, exact: np.ndarray) -> float:
    _, approx = index.search(queries, K)
    return round(float(np.mean([len(set(a) & set(e)) / K for a, e in zip(approx, exact)])), 4)


def main(sizes: list[int]) -> dict:
    runs = [measure(n) for n in sizes] + [measure(min(sizes), clustered=False)]
    return save("hnsw", {"runs": runs, "faiss_threads": faiss.omp_get_max_threads()})


if __name__ == "__main__":
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    print(json.dumps(main(parser.parse_args().sizes), indent=2))
