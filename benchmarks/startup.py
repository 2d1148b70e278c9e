"""Start-up and memory: process start to the first answer of `forumbot ask` against importing
sentence-transformers, loading the model and encoding one question; resident memory of the bot
(ONNX, and PyTorch as before); the light commands (`forumbot --help`, `forumbot index info`), which must not import torch.

Run: python benchmarks/startup.py   (writes benchmarks/out/startup.json)
"""
from __future__ import annotations

import json
import os
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
BARE = """
import os
os.environ["HF_HUB_OFFLINE"] = "1"
from sentence_transformers import SentenceTransformer
from bot.embedding import resolve_model_path
from bot.settings import DEFAULT_MODEL
SentenceTransformer(resolve_model_path(DEFAULT_MODEL), device="cpu", local_files_only=True).encode(["Who is Li Bohu?"])
"""
FIRST_ANSWER = """
import sys
sys.argv = ["forumbot", "ask", "--json", "Who is Li Bohu?"]
from bot.cli import main
main()
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


def timed_run(code: str, **env: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})
    return time.perf_counter() - started, done.stdout


def light_command(args: list[str]) -> tuple[float, dict]:
    """Seconds to run `forumbot ARGS` in a fresh process, and which heavy modules it imported."""
    seconds, output = timed_run("import json\n" + LIGHT.format(args=args))
    return seconds, json.loads(output.split("HEAVY ", 1)[1])


def ready(**env: str) -> tuple[float, float]:
    """Median seconds to a ready bot and its resident memory."""
    runs = []
    for _ in range(3):
        seconds, output = timed_run(READY, **env)
        runs.append((seconds, json.loads(output.strip().splitlines()[-1])["rss_mb"]))
    return round(statistics.median(s for s, _ in runs), 2), round(statistics.median(r for _, r in runs), 1)


def main() -> dict:
    first, pytorch_first, bare = [], [], []
    for _ in range(RUNS):  # alternated, so all three see the same machine
        first.append(timed_run(FIRST_ANSWER)[0])
        pytorch_first.append(timed_run(FIRST_ANSWER, FORUMBOT_ONNX="false")[0])
        bare.append(timed_run(BARE)[0])
    result = {"first_answer_s": round(statistics.median(first), 2), "pytorch_first_answer_s": round(statistics.median(pytorch_first), 2),
              "bare_model_s": round(statistics.median(bare), 2)}
    result["first_answer_ratio"] = round(result["first_answer_s"] / result["bare_model_s"], 3)
    result["pytorch_first_answer_ratio"] = round(result["pytorch_first_answer_s"] / result["bare_model_s"], 3)
    result["start_to_ready_s"], result["bot_rss_mb"] = ready()
    result["pytorch_start_to_ready_s"], result["pytorch_bot_rss_mb"] = ready(FORUMBOT_ONNX="false")
    result["rss_ratio"] = round(result["bot_rss_mb"] / result["pytorch_bot_rss_mb"], 3)
    for name, args in (("help", ["--help"]), ("index_info", ["index", "info"])):
        runs = [light_command(args) for _ in range(RUNS)]
        result[f"{name}_s"] = round(statistics.median(s for s, _ in runs), 3)
        result[f"{name}_imports"] = runs[-1][1]
    return save("startup", result)


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
