"""The Answer value: what the engine returns, and what every front end renders.

The JSON form is the contract in the README (`forumbot ask --json`); the terminal renders it with
bot/terminal.py, the Discord shell as embeds (bot/discord_app/embeds.py): the core knows no Discord.
What both show the same way (shortened quotes, the sources an answer uses) is here.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import Enum


# Earlier questions a follow-up may lean on, in the engine, the chat and Discord alike. A chain of follow-ups
# ("what did he say", "tell me more", "what else", "how old is he?") leans back turn by turn to the one that
# named who "he" is; much older turns are rarely what a pronoun means.
MAX_HISTORY = 5
SOURCE_QUOTE_CHARS = 90  # a source line points at the passage; the whole paragraph is one command away
RELATED_HEADING = "The article does say:"  # above what an abstention points to instead


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"


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
        """The terminal rendering without styles (bot/terminal.py), for pipes and logs."""
        from bot.terminal import plain

        return plain(self)


def unquoted_related(answer: Answer) -> tuple[Citation, ...]:
    """The related citations the answer text does not already quote: shown apart, they would be said twice."""
    return tuple(c for c in answer.related if c.quote not in answer.answer)


def used_citations(answer: Answer) -> tuple[Citation, ...]:
    """The citations the answer text refers to by its [n] markers (all of them if it has none)."""
    used = tuple(c for c in answer.citations if f"[{c.n}]" in answer.answer)
    return used or answer.citations


_MARKER = re.compile(r"\[(\d+)\]")


def combined(question: str, answers: Sequence[Answer]) -> Answer:
    """The answers to the questions of one message ("who is li bohu? and what did yang say?"), in order, as one:
    each part's text with its [n] markers renumbered after the citations before it; a passage two parts cite is
    listed once. Abstained only if every part is; a part the article doesn't answer still says so."""
    citations: list[Citation] = []
    texts: list[str] = []
    for answer in answers:
        if answer.citations and all(_shown(c, citations) for c in answer.citations):
            continue  # "when did it start and who wrote it?": the first quote holds the byline too
        numbers: dict[int, int] = {}
        for citation in answer.citations:
            same = next((c for c in citations if (c.doc, c.paragraph, c.quote) == (citation.doc, citation.paragraph,
                                                                                   citation.quote)), None)
            if same is None:
                same = replace(citation, n=len(citations) + 1)
                citations.append(same)
            numbers[citation.n] = same.n
        texts.append(_renumbered(answer.answer, numbers))
    abstained = all(a.abstained for a in answers)
    related = tuple(dict.fromkeys(r for a in answers for r in a.related))
    return Answer(question, "\n".join(texts), abstained, tuple(citations), index_version=answers[0].index_version,
                  kind=answers[0].kind if abstained else Kind.ANSWERED, top_score=max(a.top_score for a in answers),
                  related=tuple(replace(r, n=n) for n, r in enumerate(related, 1)))


def _renumbered(text: str, numbers: dict[int, int]) -> str:
    """The text with its [n] markers given the numbers of the combined answer."""
    return _MARKER.sub(lambda m: f"[{numbers.get(int(m.group(1)), int(m.group(1)))}]", text) if numbers else text


def _shown(citation: Citation, shown: Sequence[Citation]) -> bool:
    """The passage is inside one already cited."""
    return any((c.doc, c.paragraph) == (citation.doc, citation.paragraph) and citation.quote in c.quote for c in shown)
