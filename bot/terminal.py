"""Answers, paragraphs and day counts as the terminal shows them (rich): the answer once, then compact
numbered sources, wrapped at word boundaries by rich. `Answer.to_text()` is the same without styles."""
from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from bot.answer import RELATED_HEADING, SOURCE_QUOTE_CHARS, Answer, Citation, shorten, unquoted_related, used_citations

TITLE_CHARS = 60  # a document's title on a source line, only when an answer cites several documents
PLAIN_WIDTH = 10_000  # plain text is never wrapped: a pipe or a log gets one line per line
SPARKS = "▁▂▃▄▅▆▇█"
ZERO_DAY = "·"  # not ▁, which would read as "a few"


def _sources(citations: Sequence[Citation], answer_text: str, numbered: bool) -> Table:
    """One row per citation: `[n] ¶p` and a short quote (left out when the answer already says it).
    A title is shown only when the citations come from more than one document."""
    several_documents = len({c.doc for c in citations}) > 1
    rows = Table.grid(padding=(0, 1))
    rows.add_column(no_wrap=True, style="cyan")
    rows.add_column()
    for c in citations:
        where = (f"[{c.n}] " if numbered else "") + f"¶{c.paragraph}"
        if several_documents:
            where = f"{where} {shorten(c.title, TITLE_CHARS)}"
        quote = "" if c.quote in answer_text else f"\u201c{shorten(c.quote, SOURCE_QUOTE_CHARS)}\u201d"
        rows.add_row(where, Text(quote, style="italic"))
    return rows


def render(answer: Answer) -> RenderableType:
    """The answer, its sources (only those it uses), what the article does say when it abstains, and a dim
    footer with the latency and the index version."""
    parts: list[RenderableType] = [Text(answer.answer)]
    if answer.citations:
        parts += [Text(), _sources(used_citations(answer), answer.answer, numbered=True)]
    if related := unquoted_related(answer):
        parts += [Text(), Text(RELATED_HEADING, style="bold"), _sources(related, "", numbered=False)]
    parts.append(Text(f"{answer.latency_ms:.0f} ms · index {answer.index_version}", style="dim"))
    return Group(*parts)


def plain(answer: Answer) -> str:
    """`render` without styles or wrapping."""
    buffer = io.StringIO()
    Console(file=buffer, width=PLAIN_WIDTH, color_system=None, highlight=False).print(render(answer))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())


def paragraph(title: str, number: int, text: str) -> RenderableType:
    return Group(Text(f"¶{number} of {title}", style="bold"), Text(text))


def sparkline(values: Sequence[int]) -> str:
    """One character per value, scaled to the largest; zero is a dot, so an empty day never looks busy."""
    top = max(values, default=0)
    return "".join(ZERO_DAY if v == 0 else SPARKS[min(len(SPARKS) - 1, (v * len(SPARKS) - 1) // top)] for v in values)
