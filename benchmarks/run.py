"""`make bench`: run every benchmark and write benchmarks/RESULTS.md with the machine it ran on."""
from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import build, hnsw, latency, load, startup  # noqa: E402
from benchmarks.common import ROOT, machine  # noqa: E402


def table(rows: list[tuple]) -> str:
    return "\n".join(["| measure | value | target |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)])


def report(results: dict, env: dict) -> str:
    lat, ld, bd, st, hn = (results[k] for k in ("latency", "load", "build", "startup", "hnsw"))
    b = lat["breakdown"]
    parts = [
        "# Benchmark results",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench` (`benchmarks/run.py`). "
        "Ratios are against the bare model on the same machine, so they travel better than milliseconds.",
        "## Machine", "\n".join(f"- {k}: {v}" for k, v in env.items()),
        "## 1. Answer latency (dev questions, one process)",
        table([
            ("bare `model.encode([q])` p50 / p95", f"{lat['bare_encode']['p50_ms']} / {lat['bare_encode']['p95_ms']} ms", ""),
            ("engine answer p50 / p95", f"{lat['engine_answer']['p50_ms']} / {lat['engine_answer']['p95_ms']} ms", ""),
            ("ratio p50", lat["ratio_p50"], "≤ 1.25"), ("ratio p95", lat["ratio_p95"], ""),
            ("repeated question (LRU cache) p50", f"{lat['repeated_question']['p50_ms']} ms = {lat['repeat_over_encode_p50']}× encode", "well under 1×"),
        ]),
        "Breakdown, p50 / p95 ms: " + ", ".join(f"{k} {v['p50_ms']} / {v['p95_ms']}" for k, v in b.items()) + ".",
        "## 2. Load through the Discord message handler",
        table([
            ("questions / users", f"{ld['questions']} / {ld['users']} (all sent at once, each text unique)", ""),
            ("answered / told to wait", f"{ld['answered']} / {ld['told_to_wait']} ({ld['cooldown']})", "all one or the other"),
            ("lost / answered twice", f"{ld['lost']} / {ld['answered_twice']}", "0 / 0"),
            ("time to reply p50 / p99", f"{ld['time_to_reply']['p50_ms']} / {ld['time_to_reply']['p99_ms']} ms", ""),
            ("largest event-loop lag", f"{ld['max_loop_lag_ms']} ms", "< 100 ms"),
        ]),
        "## 3. Build throughput (synthetic corpus)",
        table([
            ("documents / passages", f"{bd['documents']} / {bd['passages']}", "~10,000 passages"),
            ("`index build` / bare encode", f"{bd['build_passages_per_s']} / {bd['bare_passages_per_s']} passages/s", ""),
            ("rate ratio", bd["rate_ratio"], "≥ 0.9"),
            ("RSS before / peak after bare encode / peak after build",
             f"{bd['rss_before_mb']} / {bd['peak_rss_after_bare_encode_mb']} / {bd['peak_rss_after_build_mb']} MB",
             "build adds little to the model's own peak"),
            ("vectors held", f"{bd['vectors_mb']} MB (streamed into FAISS batch by batch)", ""),
        ]),
        "## 4. Start-up and memory",
        table([
            ("process start to ready (model + index)", f"{st['start_to_ready_s']} s", ""),
            ("resident memory of the bot", f"{st['bot_rss_mb']} MB", ""),
            ("`forumbot --help`", f"{st['help_s']} s, imports {st['help_imports']}", "no torch"),
            ("`forumbot index info`", f"{st['index_info_s']} s, imports {st['index_info_imports']}", "no torch"),
        ]),
        "## 5. Flat vs HNSW (synthetic unit vectors, dimension 384)",
        "Clustered vectors stand in for sentence embeddings (100 points per topic centre); uniform random "
        "vectors are the worst case for any approximate index and are shown once for contrast.",
        table([row for run in hn["runs"] for row in (
            (f"{run['vectors']:,} {run['data']}: HNSW recall@10", run["hnsw_recall_at_10"], ""),
            (f"{run['vectors']:,} {run['data']}: query p50 flat / HNSW", f"{run['flat_query']['p50_ms']} / {run['hnsw_query']['p50_ms']} ms", ""),
            (f"{run['vectors']:,} {run['data']}: memory flat / HNSW", f"{run['flat_memory_mb']} / {run['hnsw_memory_mb']} MB", ""),
            (f"{run['vectors']:,} {run['data']}: build flat / HNSW", f"{run['flat_build_s']} / {run['hnsw_build_s']} s", ""),
        )]),
        f"HNSW parameters: {hn['runs'][0]['hnsw_params']}. efSearch sweep (recall@10, query p50 ms): "
        + "; ".join(f"{run['vectors']:,} {run['data']}: " + ", ".join(f"ef={ef} {v['recall_at_10']} / {v['query_p50_ms']}"
                                                             for ef, v in run["ef_search_sweep"].items()) for run in hn["runs"]) + ".",
    ]
    return "\n\n".join(parts) + "\n"


def main() -> None:
    out = ROOT / "benchmarks" / "out"
    results = {
        "latency": latency.main(),
        "load": asyncio.run(load.main()),
        "build": build.main(),
        "startup": startup.main(),
    }
    cached = out / "hnsw.json"
    results["hnsw"] = json.loads(cached.read_text()) if "--reuse-hnsw" in sys.argv and cached.exists() else hnsw.main([100_000, 1_000_000])
    (ROOT / "benchmarks" / "RESULTS.md").write_text(report(results, machine()), encoding="utf-8")
    print((ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
