"""`make bench`: run every benchmark and write benchmarks/RESULTS.md with the machine it ran on."""
from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from benchmarks import build, hnsw, latency, load, startup
from benchmarks.common import ROOT, machine


def table(rows: list[tuple]) -> str:
    return "\n".join(["| measure | value | target |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)])


def goals(lat: dict, ld: dict, st: dict) -> str:
    """Issue 12's goals: the answer path before (PyTorch) and now (ONNX int8, the default; fp32 in brackets),
    measured side by side in this run."""
    ratio, batch = lat["ratio_p50_by_path"], lat["batch"]["ratio"]
    return "\n".join(["| measure | before: PyTorch | now: ONNX int8 (fp32) | goal |", "|---|---|---|---|",
        f"| answer p50 / bare `encode([q])` p50 ({lat['baseline_p50_ms']} ms) "
        f"| {ratio['pytorch']} | {ratio['int8']} ({ratio['fp32']}) | ≤ 0.45 |",
        f"| `ask --json` batch of {lat['batch']['questions']} distinct questions, per question / bare encode p50 "
        f"| {batch['pytorch']} | {batch['int8']} ({batch['fp32']}) | ≤ 0.15 |",
        f"| process start → first answer / (import sentence-transformers + load + one encode) "
        f"| {st['pytorch_first_answer_ratio']} | {st['first_answer_ratio']} | ≤ 0.4 |",
        f"| resident memory of the bot | {st['pytorch_bot_rss_mb']} MB "
        f"| {st['bot_rss_mb']} MB = {st['rss_ratio']}× | ≤ 0.5× (of 482 MB) |",
        f"| 500-question burst: p99 time to reply | {ld['pytorch']['time_to_reply']['p99_ms']} ms "
        f"| {ld['time_to_reply']['p99_ms']} ms = {ld['p99_ratio']}× | ≤ 0.3× |",
        f"| burst: largest loop lag, lost / answered twice "
        f"| {ld['pytorch']['max_loop_lag_ms']} ms, {ld['pytorch']['lost']} / {ld['pytorch']['answered_twice']} "
        f"| {ld['max_loop_lag_ms']} ms, {ld['lost']} / {ld['answered_twice']} | < 100 ms, 0 / 0 |"])


def report(results: dict, env: dict, flat_vs_hnsw: str) -> str:
    lat, ld, bd, st = (results[k] for k in ("latency", "load", "build", "startup"))
    b = lat["breakdown"]
    bare, bare_1 = lat["bare_encode"], lat["bare_encode_1_thread"]
    parts = [
        "# Benchmark results",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench` (`python -m benchmarks.run`). "
        "Ratios are against the bare model on the same machine, so they travel better than milliseconds.",
        "## Machine", "\n".join(f"- {k}: {v}" for k, v in env.items()),
        "## Before and after the ONNX query path (issue 12)", goals(lat, ld, st),
        "## 1. Answer latency (dev questions, one process)",
        table([
            ("bare sentence-transformers `model.encode([q])` p50 / p95, torch's default threads",
             f"{bare['p50_ms']} / {bare['p95_ms']} ms", ""),
            ("the same on 1 thread (steady when neighbours hold a core)", f"{bare_1['p50_ms']} / {bare_1['p95_ms']} ms",
             f"ratios use the faster p50, {lat['baseline_p50_ms']} ms"),
            *((f"engine answer p50 / p95, {name}",
               f"{p['p50_ms']} / {p['p95_ms']} ms = {lat['ratio_p50_by_path'][name]}× encode", "")
              for name, p in lat["answer_by_path"].items()),
            ("the first question in Chinese in a process (loads pypinyin's dictionaries, then kept)",
             f"{lat['first_chinese_question_s']} s", "once a process"),
            ("repeated question (LRU cache) p50",
             f"{lat['repeated_question']['p50_ms']} ms = {lat['repeat_over_encode_p50']}× encode", "well under 1×"),
            *((f"batch of {lat['batch']['questions']} distinct questions, {name}",
               f"{ms} ms per question = {lat['batch']['ratio'][name]}× encode", "")
              for name, ms in lat["batch"]["per_question_ms"].items()),
        ]),
        f"Breakdown of one answer on the default path ({lat['default_path']}), p50 / p95 ms: "
        + ", ".join(f"{k} {v['p50_ms']} / {v['p95_ms']}" for k, v in b.items()) + ".",
        "## 2. Load through the Discord message handler",
        table([
            ("questions / users", f"{ld['questions']} / {ld['users']} (all sent at once, each text unique)", ""),
            ("answered / told to wait", f"{ld['answered']} / {ld['told_to_wait']} ({ld['cooldown']})", "all one or the other"),
            ("lost / answered twice", f"{ld['lost']} / {ld['answered_twice']}", "0 / 0"),
            ("time to reply p50 / p99", f"{ld['time_to_reply']['p50_ms']} / {ld['time_to_reply']['p99_ms']} ms", ""),
            ("the same burst with PyTorch: p50 / p99",
             f"{ld['pytorch']['time_to_reply']['p50_ms']} / {ld['pytorch']['time_to_reply']['p99_ms']} ms", ""),
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
            ("ONNX export (once per model version, then reused)", f"{bd['onnx_export_seconds']} s", ""),
        ]),
        "## 4. Start-up and memory",
        table([
            ("`forumbot ask \"…\"`: process start to first answer, ONNX / PyTorch",
             f"{st['first_answer_s']} / {st['pytorch_first_answer_s']} s", ""),
            ("import sentence-transformers + load the model + one encode", f"{st['bare_model_s']} s", ""),
            ("bot process start to ready (model + index), ONNX / PyTorch",
             f"{st['start_to_ready_s']} / {st['pytorch_start_to_ready_s']} s", ""),
            ("resident memory of the bot, ONNX / PyTorch", f"{st['bot_rss_mb']} / {st['pytorch_bot_rss_mb']} MB", ""),
            ("`forumbot --help`", f"{st['help_s']} s, imports {st['help_imports']}", "no torch"),
            ("`forumbot index info`", f"{st['index_info_s']} s, imports {st['index_info_imports']}", "no torch"),
        ]),
        flat_vs_hnsw,
    ]
    return "\n\n".join(parts) + "\n"


def hnsw_section(hn: dict) -> str:
    def name(run: dict) -> str:
        return f"{run['vectors']:,} {run['data']}"

    return "\n\n".join([
        "## 5. Flat vs HNSW (synthetic unit vectors, dimension 384)",
        "Clustered vectors stand in for sentence embeddings (100 points per topic centre); uniform random "
        "vectors are the worst case for any approximate index and are shown once for contrast.",
        table([row for run in hn["runs"] for row in (
            (f"{name(run)}: HNSW recall@10", run["hnsw_recall_at_10"], ""),
            (f"{name(run)}: query p50 flat / HNSW", f"{run['flat_query']['p50_ms']} / {run['hnsw_query']['p50_ms']} ms", ""),
            (f"{name(run)}: memory flat / HNSW", f"{run['flat_memory_mb']} / {run['hnsw_memory_mb']} MB", ""),
            (f"{name(run)}: build flat / HNSW", f"{run['flat_build_s']} / {run['hnsw_build_s']} s", ""),
        )]),
        f"HNSW parameters: {hn['runs'][0]['hnsw_params']}. efSearch sweep (recall@10, query p50 ms): "
        + "; ".join(f"{name(run)}: " + ", ".join(f"ef={ef} {v['recall_at_10']} / {v['query_p50_ms']}"
                                                 for ef, v in run["ef_search_sweep"].items()) for run in hn["runs"]) + ".",
    ])


def previous_hnsw_section(results_md: Path) -> str:
    """`--reuse-hnsw` without a cached run: the section of the last RESULTS.md (it measures FAISS alone, not the model)."""
    text = results_md.read_text(encoding="utf-8")
    note = "\n\n(Section 5 carried over from the previous run.)"
    return text[text.index("## 5. Flat vs HNSW"):].split(note)[0].strip() + note


def main() -> None:
    out = ROOT / "benchmarks" / "out"
    results = {
        "latency": latency.main(),
        "load": asyncio.run(load.main()),
        "build": build.main(),
        "startup": startup.main(),
    }
    cached, results_md = out / "hnsw.json", ROOT / "benchmarks" / "RESULTS.md"
    if "--reuse-hnsw" in sys.argv:
        section = hnsw_section(json.loads(cached.read_text())) if cached.exists() else previous_hnsw_section(results_md)
    else:
        section = hnsw_section(hnsw.main([100_000, 1_000_000]))
    results_md.write_text(report(results, machine(), section), encoding="utf-8")
    print((ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
