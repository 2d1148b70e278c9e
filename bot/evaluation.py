"""Measure answer quality on labelled questions, per cause, and fit the abstention thresholds from them.

Three kinds of question file (see ../shared/eval/README.md), told apart by their rows:
answerable (`gold`), unanswerable (no `gold`; `kind` near/far when known) and conversations (`turns`).
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from bot.answer import Answer, Citation
from bot.errors import ForumbotError

# Why an answer is counted wrong, so a report says what to fix, not only how much is broken.
CORRECT, REFUSED, WRONG_PARAGRAPH, WRONG_SPAN, ANSWERED_UNANSWERABLE = (
    "correct", "refused", "wrong paragraph", "wrong span", "answered but unanswerable")


def load_questions(path: Path) -> list[dict]:
    try:
        rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        raise ForumbotError(f"{path}: question file not found") from None
    except IsADirectoryError:
        raise ForumbotError(f"{path}: is a folder; pass a .jsonl question file") from None
    except ValueError as exc:
        raise ForumbotError(f"{path}: not JSON lines ({exc})") from None
    if any(not isinstance(row, dict) or ("question" not in row and "turns" not in row) for row in rows):
        raise ForumbotError(f"{path}: every line needs a \"question\" (or a \"turns\" list for a conversation)")
    return rows


def judge(answer: Answer, row: dict) -> str:
    """The cause for one answer to one labelled question (or conversation turn)."""
    if "gold" not in row or row.get("unanswerable"):
        return CORRECT if answer.abstained else ANSWERED_UNANSWERABLE
    if answer.abstained:
        return REFUSED
    if not answer.citations or not any(_holds(answer, answer.citations[0], g) for g in row["gold"]):
        return WRONG_PARAGRAPH
    return CORRECT if all(k in answer.answer for k in row.get("keys", [])) else WRONG_SPAN


def _holds(answer: Answer, citation: Citation, gold: str) -> bool:
    """The cited paragraph holds the gold, or the gold is of the document's title and the answer quotes the title
    ("what's the headline?": the title line is no paragraph, so a paragraph alone could never hold it)."""
    return gold in citation.text or (gold in citation.title and citation.title in answer.answer)


def rank(answer: Answer, gold: Sequence[str]) -> int | None:
    """The number of the first citation whose paragraph (or quoted title) holds a gold string."""
    return next((c.n for c in answer.citations if any(_holds(answer, c, g) for g in gold)), None)


@dataclass
class Report:
    questions: int  # answerable ones (single questions and conversation turns)
    hit_at_1: float
    hit_at_3: float
    mrr: float
    answer_accuracy: float
    false_abstention: float
    out_of_scope: int  # unanswerable ones
    out_of_scope_abstention: float | None
    near_abstention: float | None
    far_abstention: float | None
    verbatim_quotes: float
    latency_p50_ms: float
    latency_p95_ms: float
    turn_accuracy: float | None = None  # conversations only
    follow_up_accuracy: float | None = None  # turns after the first
    causes: dict[str, int] = field(default_factory=dict)
    refused_pointing_to_answer: int = 0  # refusals whose "closest it comes" paragraph holds the answer

    def to_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else 0.0


def _items(rows: Iterable[dict]) -> Iterable[tuple[dict, list[str]]]:
    """(row, earlier questions) for every single question and conversation turn."""
    for row in rows:
        if "turns" not in row:
            yield row, []
            continue
        history: list[str] = []
        for number, turn in enumerate(row["turns"]):
            yield {**turn, "id": f"{row.get('id')}.{number + 1}", "conversation": True}, list(history)
            history.append(turn["question"])


def evaluate(engine, rows: Iterable[dict], out_of_scope: Iterable[dict] = (),
             on_progress: Callable[[], None] | None = None) -> tuple[Report, list[dict]]:
    """Ask every question (and every turn, with its earlier turns) once; metrics and per-question records."""
    records, latencies, quotes, verbatim = [], [], 0, 0
    items = list(_items(rows)) + [({**r, "unanswerable": True}, []) for r in out_of_scope]
    for row, history in items:
        answer = engine.ask(row["question"], history)
        latencies.append(answer.latency_ms)
        for c in answer.citations:
            quotes += 1
            verbatim += c.quote in c.text and c.text in engine.store.documents[c.doc].paragraphs
        answerable = "gold" in row and not row.get("unanswerable")
        records.append({"id": row.get("id"), "question": row["question"], "answerable": answerable,
                        "kind": row.get("kind"), "follow_up": bool(history), "conversation": row.get("conversation", False),
                        "cause": judge(answer, row), "rank": rank(answer, row["gold"]) if answerable else None,
                        "abstained": answer.abstained, "paragraphs": [c.paragraph for c in answer.citations],
                        "points_to_answer": answerable and any(g in c.text for c in answer.related[:1] for g in row["gold"]),
                        "answer": answer.answer})
        if on_progress:
            on_progress()
    inside = [r for r in records if r["answerable"]]
    outside = [r for r in records if not r["answerable"]]
    turns = [r for r in records if r["conversation"]]
    n = max(len(inside), 1)
    ranks = [r["rank"] for r in inside]
    report = Report(
        questions=len(inside),
        hit_at_1=sum(r == 1 for r in ranks) / n,
        hit_at_3=sum(r is not None and r <= 3 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        answer_accuracy=sum(r["cause"] == CORRECT for r in inside) / n,
        false_abstention=sum(r["abstained"] for r in inside) / n,
        out_of_scope=len(outside),
        out_of_scope_abstention=_share([r["abstained"] for r in outside]),
        near_abstention=_share([r["abstained"] for r in outside if r["kind"] == "near"]),
        far_abstention=_share([r["abstained"] for r in outside if r["kind"] == "far"]),
        verbatim_quotes=(verbatim / quotes) if quotes else 1.0,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        turn_accuracy=_share([r["cause"] == CORRECT for r in turns]),
        follow_up_accuracy=_share([r["cause"] == CORRECT for r in turns if r["follow_up"]]),
        causes=dict(Counter(r["cause"] for r in records)),
        refused_pointing_to_answer=sum(r["cause"] == REFUSED and r["points_to_answer"] for r in records),
    )
    return report, records


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """ROC AUC: the chance that a random positive scores above a random negative (ties count half)."""
    if not positives or not negatives:
        return None
    wins = sum((p > q) + 0.5 * (p == q) for p in positives for q in negatives)
    return wins / (len(positives) * len(negatives))


# What `index build` and `forumbot calibrate` fit on, relative to the calibration folder. The held-out
# half (holdout/) is never read here: it measures whether the fit generalises.
ANSWERABLE_FILES = ("in_scope.jsonl", "tune/casual.jsonl", "validation/casual.jsonl", "tune2/casual.jsonl", "tune3/casual.jsonl",
                    "tune5/casual.jsonl")
UNANSWERABLE_FILES = ("off_topic.jsonl", "near_topic.jsonl", "tune/near_topic.jsonl", "validation/near_topic.jsonl",
                      "tune2/near_topic.jsonl", "tune3/near_topic.jsonl", "tune5/near_topic.jsonl")
FALSE_ABSTENTION_COST = 1  # a refusal and a wrong answer cost the same: both break the promise of a checkable answer
FAR_ANSWER_COST = 10  # an answer to a question about something else entirely is the worst error: fit to avoid any
# Far off-topic questions sit below 0.25 (FAR_ANSWER_COST keeps the fit from letting one in); vague casual
# in-scope ones ("did it start in the morning?") around 0.25.
CONFIDENCE_GRID = (0.2, 0.25, 0.3, 0.4, 0.5)


def calibration_files(folder: Path) -> tuple[list[Path], list[Path]]:
    return ([folder / f for f in ANSWERABLE_FILES if (folder / f).exists()],
            [folder / f for f in UNANSWERABLE_FILES if (folder / f).exists()])


def answerability(assessed: tuple[float, float, bool]) -> float:
    """One number for how answerable a question looks, as the bot decides: the share of it the cited paragraph
    holds, and below every such share when a check rejects it (a name never mentioned, the thing asked missing)."""
    _, unsupported, rejected = assessed
    return (1 - unsupported) - 2 * rejected


def calibrate(engine, answerable: Sequence[dict], unanswerable: Sequence[dict],
              on_progress: Callable[[], None] | None = None) -> dict:
    """Fit the confidence threshold and the unsupported-share limit with the fewest weighted errors.

    A question abstains when its confidence is below the threshold, its cited paragraph lacks more than
    the limit of what it asks, or it names something the corpus never mentions (whatever the thresholds)."""
    def assess(rows: Sequence[dict]) -> list[tuple[float, float, bool]]:
        out = []
        for row in rows:
            out.append(engine.assess(row["question"]))
            if on_progress:
                on_progress()
        return out

    inside, outside = assess(answerable), assess(unanswerable)

    def abstains(item: tuple[float, float, bool], threshold: float, limit: float) -> bool:
        confidence, unsupported, rejected = item
        return rejected or confidence < threshold or unsupported > limit

    limits = sorted({round(u, 4) for _, u, _ in inside + outside} | {0.0, 1.0})
    costs = [FAR_ANSWER_COST if row.get("kind") == "far" else 1 for row in unanswerable]
    best = min(((FALSE_ABSTENTION_COST * sum(abstains(i, t, u) for i in inside)
                 + sum(cost for o, cost in zip(outside, costs) if not abstains(o, t, u)), -u, t, u)
                for t in CONFIDENCE_GRID for u in limits))
    _, _, threshold, limit = best
    return {
        "threshold": threshold,
        "unsupported": limit,
        "calibrated": True,
        "fitted_on": {"answerable": len(inside), "unanswerable": len(outside)},
        "false_abstention": round(sum(abstains(i, threshold, limit) for i in inside) / max(len(inside), 1), 4),
        "unanswerable_abstention": round(sum(abstains(o, threshold, limit) for o in outside) / max(len(outside), 1), 4),
        "answerability_auc": _round(auc([answerability(i) for i in inside], [answerability(o) for o in outside])),
    }
