"""Measure answer quality on labelled questions, and fit the abstention threshold from them."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.answering import Calibration
from bot.errors import ForumbotError


def load_questions(path: Path) -> list[dict]:
    try:
        rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        raise ForumbotError(f"{path}: question file not found") from None
    except ValueError as exc:
        raise ForumbotError(f"{path}: not JSON lines ({exc})") from None
    if any("question" not in row for row in rows):
        raise ForumbotError(f"{path}: every line needs a \"question\" field")
    return rows


@dataclass
class Report:
    questions: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    answer_accuracy: float
    false_abstention: float
    out_of_scope: int
    out_of_scope_abstention: float | None
    verbatim_quotes: float
    latency_p50_ms: float
    latency_p95_ms: float

    def to_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _rank(answer, gold: list[str]) -> int | None:
    for citation in answer.citations:
        if any(g in citation.text for g in gold):
            return citation.n
    return None


def evaluate(engine, in_scope: list[dict], out_of_scope: list[dict] = ()) -> tuple[Report, list[dict]]:
    """Run every question once; return the metrics and a per-question record for inspection."""
    records, latencies, quotes, verbatim = [], [], 0, 0
    for row in in_scope:
        answer = engine.ask(row["question"])
        rank = _rank(answer, row.get("gold", []))
        correct = all(k in answer.answer for k in row.get("keys", []))
        latencies.append(answer.latency_ms)
        for c in answer.citations:
            quotes += 1
            verbatim += c.quote in c.text and c.text in engine.store.documents[c.doc].paragraphs
        records.append({"id": row.get("id"), "question": row["question"], "rank": rank, "correct": correct and not answer.abstained,
                        "abstained": answer.abstained, "paragraphs": [c.paragraph for c in answer.citations]})
    outside = []
    for row in out_of_scope:
        answer = engine.ask(row["question"])
        latencies.append(answer.latency_ms)
        outside.append(answer.abstained)
        records.append({"id": row.get("id"), "question": row["question"], "abstained": answer.abstained, "out_of_scope": True})
    n = max(len(in_scope), 1)
    ranks = [r["rank"] for r in records[: len(in_scope)]]
    report = Report(
        questions=len(in_scope),
        hit_at_1=sum(r == 1 for r in ranks) / n,
        hit_at_3=sum(r is not None and r <= 3 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        answer_accuracy=sum(r["correct"] for r in records[: len(in_scope)]) / n,
        false_abstention=sum(r["abstained"] for r in records[: len(in_scope)]) / n,
        out_of_scope=len(outside),
        out_of_scope_abstention=(sum(outside) / len(outside)) if outside else None,
        verbatim_quotes=(verbatim / quotes) if quotes else 1.0,
        latency_p50_ms=float(np.percentile(latencies, 50)) if latencies else 0.0,
        latency_p95_ms=float(np.percentile(latencies, 95)) if latencies else 0.0,
    )
    return report, records


ANSWER_LEANING = 0.25  # where in the gap between the two sets the threshold goes, from the unanswerable side


def fit_threshold(in_scope: list[float], out_of_scope: list[float]) -> float:
    """The confidence threshold with the fewest errors, a false abstention counting twice as much as
    answering an unanswerable question. Within the best gap it leans toward the unanswerable side,
    because labelled answerable questions are fewer and easier than real ones."""
    points = sorted(set(in_scope) | set(out_of_scope))
    if len(points) < 2:
        return points[0] if points else Calibration().threshold

    def cost(threshold: float) -> int:
        return 2 * sum(s < threshold for s in in_scope) + sum(s >= threshold for s in out_of_scope)

    low, high = min(zip(points, points[1:]), key=lambda gap: (cost(gap[1]), gap[0] - gap[1]))
    return low + ANSWER_LEANING * (high - low)


def calibrate(engine, in_scope: list[dict], out_of_scope: list[dict]) -> dict:
    """Fit the abstention threshold on the confidences of labelled questions.

    Out-of-scope questions that the grounding checks reject anyway (a name the corpus never
    mentions, a count with no number) are left out: the threshold only has to separate the rest.
    """
    inside = [engine.assess(r["question"])[0] for r in in_scope]
    outside = [confidence for confidence, rejected in map(engine.assess, (r["question"] for r in out_of_scope)) if not rejected]
    threshold = fit_threshold(inside, outside)
    return {
        "threshold": round(threshold, 4),
        "strong": round(float(np.percentile(inside, 75)), 4),  # answer non-English only when this sure
        "calibrated": True,
        "fitted_on": {"in_scope": len(inside), "out_of_scope": len(out_of_scope), "left_to_threshold": len(outside)},
        "false_abstention": round(sum(s < threshold for s in inside) / max(len(inside), 1), 4),
        "out_of_scope_abstention": round((len(out_of_scope) - sum(s >= threshold for s in outside)) / max(len(out_of_scope), 1), 4),
    }
