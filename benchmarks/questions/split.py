"""Split the combined question files into a tuning half and a held-out half.

Reads benchmarks/questions/all/<kind>.jsonl and writes benchmarks/questions/tune/<kind>.jsonl and
benchmarks/questions/holdout/<kind>.jsonl. Each kind is shuffled on its own with a fresh
random.Random(SEED); the first half (rounded down) goes to tune, the rest to holdout. Lines are
copied unchanged and each output file keeps the original id order, so re-running gives the
same files byte for byte.

Usage: python benchmarks/questions/split.py
"""

import random
from pathlib import Path

SEED = 20261125
KINDS = ("casual", "near_topic", "conversations", "multilingual")
HERE = Path(__file__).resolve().parent


def split_kind(kind: str) -> tuple[int, int]:
    lines = [ln for ln in (HERE / "all" / f"{kind}.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
    order = list(range(len(lines)))
    random.Random(SEED).shuffle(order)
    half = len(order) // 2
    parts = {"tune": sorted(order[:half]), "holdout": sorted(order[half:])}
    for name, idx in parts.items():
        out = HERE / name / f"{kind}.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(lines[i] + "\n" for i in idx), encoding="utf-8")
    return len(parts["tune"]), len(parts["holdout"])


if __name__ == "__main__":
    for kind in KINDS:
        tune, holdout = split_kind(kind)
        print(f"{kind}: {tune} tune, {holdout} holdout")
