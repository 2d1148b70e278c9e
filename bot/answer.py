"""The Answer value: what the engine returns, and what every front end renders.

The JSON form is the contract in the README (`forumbot ask --json`); the terminal rendering is a
method here. The Discord shell renders its own embeds (bot/discord_app/embeds.py): the core knows no Discord.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum


class Kind(str, Enum):
    """Why an answer looks the way it does; not part of the JSON contract."""

    ANSWERED = "answered"
    ABSTAINED = "abstained"  # nothing in the corpus answers it
    HELP = "help"  # small talk, greetings, "what can you do?"
    LANGUAGE = "language"  # non-English question the model cannot answer confidently


@dataclass(frozen=True)
class Citation:
    n: int
    doc: str
    title: str
    paragraph: int
    quote: str  # verbatim substring of text
    text: str  # the whole paragraph
    score: float


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    latency_ms: float = 0.0
    index_version: str = ""
    kind: Kind = field(default=Kind.ANSWERED, compare=False)
    top_score: float = field(default=0.0, compare=False)  # best retrieval score, for the question log
    related: tuple[Citation, ...] = ()  # with an abstention: what the article does say nearby ("see also")

    def to_dict(self) -> dict:
        data = {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "latency_ms": round(self.latency_ms, 1),
            "index_version": self.index_version,
        }
        if self.related:
            data["related"] = [asdict(c) for c in self.related]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_text(self) -> str:
        """Plain terminal rendering: the answer, then one line per numbered citation."""
        lines = [self.answer]
        if self.citations:
            lines.append("")
            lines += [f"[{c.n}] {c.title} ¶{c.paragraph}: \"{c.quote}\"" for c in self.citations]
        if self.related:
            lines.append("")
            lines += [f"see ¶{c.paragraph} of {c.title}" for c in self.related]
        lines.append(f"({self.latency_ms:.0f} ms, index {self.index_version})")
        return "\n".join(lines)
