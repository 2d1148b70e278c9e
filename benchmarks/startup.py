"""Start-up and memory: process start to ready (model and index loaded), resident memory of the bot,
and the light commands (`forumbot --help`, `forumbot index info`), which must not import torch.

Run: python benchmarks/startup.py   (writes benchmarks/out/startup.json)
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, save  # noqa: E402

READY = """
import json, time
from benchmarks.common import current_rss_mb
from bot import create_bot
from bot.cli import load_engine
bot = create_bot(engine=load_engine())
print(json.dumps({"ready": True, "rss_mb": current_rss_mb()}), flush=True)
"""
LIGHT = """
import sys, runpy
sys.argv = ["forumbot", *{args!r}]
try:
    runpy.run_module("bot.cli", run_name="__main__")
except SystemExit:
    pass
print("\\nHEAVY " + json.dumps({{m: m in sys.modules for m in ("torch", "sentence_transformers", "faiss", "discord")}}))
"""
RUNS = 5


def timed_run(code: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    return time.perf_counter() - started, done.stdout


def light_command(args: list[str]) -> tuple[float, dict]:
    """Seconds to run `forumbot ARGS` in a fresh process, and which heavy modules it imported."""
    seconds, output = timed_run("import json\n" + LIGHT.format(args=args))
    return seconds, json.loads(output.split("HEAVY ", 1)[1])


def main() -> dict:
    ready = []
    for _ in range(3):
        seconds, output = timed_run(READY)
        ready.append((seconds, json.loads(output.strip().splitlines()[-1])["rss_mb"]))
    result = {"start_to_ready_s": round(statistics.median(s for s, _ in ready), 2),
              "bot_rss_mb": round(statistics.median(r for _, r in ready), 1)}
    for name, args in (("help", ["--help"]), ("index_info", ["index", "info"])):
        runs = [light_command(args) for _ in range(RUNS)]
        result[f"{name}_s"] = round(statistics.median(s for s, _ in runs), 3)
        result[f"{name}_imports"] = runs[-1][1]
    return save("startup", result)


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
