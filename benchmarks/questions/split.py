"""Split the combined question files into a tuning half and a held-out half.

Reads benchmarks/questions/all/<kind>.jsonl and writes benchmarks/questions/tune/<kind>.jsonl and
benchmarks/questions/holdout/<kind>.jsonl (or SOURCE, TUNE and HOLDOUT given as arguments: all3 tune3
fresh3 split a set a helper session wrote later). Each kind is shuffled on its own with a fresh
random.Random(SEED); the first half (rounded down) goes to tune, the rest to holdout. Lines are
copied unchanged and each output file keeps the original id order, so re-running gives the
same files byte for byte.

Usage: python benchmarks/questions/split.py [SOURCE TUNE HOLDOUT]
"""

import random
import sys
from pathlib import Path

SEED = 20261125
KINDS = ("casual", "near_topic", "conversations", "multilingual")
HERE = Path(__file__).resolve().parent


def split_kind(kind: str, source: str = "all", tune: str = "tune", holdout: str = "holdout") -> tuple[int, int]:
    path = HERE / source / f"{kind}.jsonl"
    if not path.exists():
        return 0, 0
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    order = list(range(len(lines)))
    random.Random(SEED).shuffle(order)
    half = len(order) // 2
    parts = {tune: sorted(order[:half]), holdout: sorted(order[half:])}
    for name, idx in parts.items():
        out = HERE / name / f"{kind}.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(lines[i] + "\n" for i in idx), encoding="utf-8")
    return len(parts[tune]), len(parts[holdout])


if __name__ == "__main__":
    folders = sys.argv[1:4] or ["all", "tune", "holdout"]
    for kind in KINDS:
        tune, holdout = split_kind(kind, *folders)
        print(f"{kind}: {tune} {folders[1]}, {holdout} {folders[2]}")
