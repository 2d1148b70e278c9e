"""Helpers shared by the benchmark scripts: timing, percentiles, memory, machine facts, questions."""
from __future__ import annotations

import json
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "benchmarks" / "out"


def dev_questions() -> list[str]:
    path = SHARED_EVAL / "dev.jsonl"
    if not path.exists():
        path = ROOT / "benchmarks" / "questions" / "in_scope.jsonl"
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def percentiles(samples_s: list[float]) -> dict:
    values = np.array(samples_s) * 1000
    return {"p50_ms": round(float(np.percentile(values, 50)), 3), "p95_ms": round(float(np.percentile(values, 95)), 3),
            "p99_ms": round(float(np.percentile(values, 99)), 3), "n": len(values)}


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return round(int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    import faiss
    import onnxruntime
    import torch

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory / 2**20, 1), "python": platform.python_version(),
            "torch": torch.__version__, "torch_threads": torch.get_num_threads(), "faiss": faiss.__version__,
            "onnxruntime": onnxruntime.__version__,
            "os": platform.platform()}


def save(name: str, result: dict) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result
