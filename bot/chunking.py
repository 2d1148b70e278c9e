"""Paragraphs become passages: windows of consecutive sentences that never leave their paragraph.

Every span is kept as character offsets into the paragraph, so `paragraph[start:end] == text`
holds exactly and any quote can be traced back to the file.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from bot.corpus import Document

# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital, digit or opening quote.
_SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "jr", "sr"}
_CLAUSE_END = re.compile(r"[,;:]\s+")
# Where a quote may be cut inside a sentence: after punctuation, or before a word that opens a clause.
CLAUSE_CUT = re.compile(r"[,;:]\s+|\s+(?=and |or |with |which )")

TokenCounter = Callable[[str], int]
# Stored in the manifest: a build reuses an index's passages only when they were cut the same way.
# Bump it whenever a change here changes the passages.
CHUNKER_VERSION = 3


@dataclass(frozen=True)
class Passage:
    doc: str
    paragraph: int
    start: int
    end: int
    text: str


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _word_before(text: str, end: int, floor: int) -> str:
    """The last word before `end`, looking no further back than `floor` (the previous full stop), so
    splitting a paragraph reads each character a bounded number of times: linear, not quadratic."""
    stop = end
    while stop > floor and text[stop - 1].isspace():
        stop -= 1
    start = stop
    while start > floor and not text[start - 1].isspace():
        start -= 1
    return text[start:stop]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text, whitespace excluded."""
    spans, start, floor = [], 0, 0
    for match in _SENTENCE_END.finditer(text):
        word = _word_before(text, match.start(), floor).lower()
        floor = match.end()
        if word.strip("(\"'“") in _ABBREVIATIONS or len(word) == 1:
            continue
        spans.append(_trimmed(text, start, match.end()))
        start = match.end()
    spans.append(_trimmed(text, start, len(text)))
    return [span for span in spans if span[0] < span[1]]


def _split_to_fit(text: str, start: int, end: int, fits: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Split an over-long span at clause boundaries, then at spaces, so no piece is truncated by the model."""
    if fits(text[start:end]):
        yield start, end
        return
    cuts = [start + m.end() for m in _CLAUSE_END.finditer(text[start:end])] or \
           [start + m.end() for m in re.finditer(r"\s+", text[start:end])]
    if not cuts:  # one enormous "word": hard split by halves
        cuts = [start + (end - start) // 2]
    piece_start = start
    for previous, cut in zip([start, *cuts], [*cuts, end]):
        if previous > piece_start and not fits(text[piece_start:cut]):
            yield from _split_to_fit(text, *_trimmed(text, piece_start, previous), fits)
            piece_start = previous
    yield from _split_to_fit(text, *_trimmed(text, piece_start, end), fits)


_QUOTE_MARKS = re.compile(r'["“”]')


def clause_cuts(text: str, start: int, end: int) -> list[int]:
    """Where [start, end) may be cut between clauses, never inside a quotation ("technology, application, and
    industry" is one item of a list), unless the span's quotation marks do not pair up."""
    marks = [m.start() for m in _QUOTE_MARKS.finditer(text, start, end)]
    paired = len(marks) % 2 == 0
    return [cut for cut in (start + m.end() for m in CLAUSE_CUT.finditer(text[start:end]))
            if not (paired and sum(p < cut for p in marks) % 2)]


def clause_runs(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """The longest runs of whole clauses of [start, end) that fit in `limit` characters, one from each clause
    on: what an answer can quote from a sentence too long to quote whole."""
    cuts = [start, *clause_cuts(text, start, end), end]
    runs = []
    for i, first in enumerate(cuts[:-1]):
        fitting = [c for c in cuts[i + 1:] if len(text[first:c].rstrip(" ,;:")) <= limit]
        if fitting:
            runs.append((first, first + len(text[first:fitting[-1]].rstrip(" ,;:"))))
    return [run for run in dict.fromkeys(runs) if not any(o != run and o[0] <= run[0] and run[1] <= o[1] for o in runs)]


# A sentence longer than this is also indexed as runs of its clauses this long: short enough that a run is scored
# on the fact it holds, not the rest of a 600-character sentence. Quotes may be longer (Settings.max_answer_chars):
# indexing 600-character runs instead ranked worse on the labelled casual questions.
CLAUSE_RUN_CHARS = 400


def chunk_paragraph(doc_id: str, number: int, text: str, sentences_per_passage: int,
                    count_tokens: TokenCounter, max_tokens: int, run_chars: int | None = CLAUSE_RUN_CHARS) -> list[Passage]:
    """Windows of `sentences_per_passage` sentences (stride 1), each within max_tokens.

    Every sentence also appears as a passage of its own, so a short fact is never diluted by its neighbour,
    and a sentence longer than `run_chars` (None: no runs) also appears as the runs of clauses of at most that length (quotes
    an answer can give), so retrieval scores the part of the sentence that holds the fact.
    """
    def fits(piece: str) -> bool:
        return count_tokens(piece) <= max_tokens

    sentences = sentence_spans(text)
    units = [piece for span in sentences for piece in _split_to_fit(text, *span, fits)]
    spans: list[tuple[int, int]] = list(units)
    if run_chars:
        spans += [(a, b) for s, e in sentences if e - s > run_chars
                  for a, b in clause_runs(text, s, e, run_chars) if fits(text[a:b])]  # dense scripts: many tokens
    for size in range(2, sentences_per_passage + 1):
        for i in range(len(units) - size + 1):
            span = (units[i][0], units[i + size - 1][1])
            if fits(text[span[0]:span[1]]):
                spans.append(span)
    return [Passage(doc_id, number, s, e, text[s:e]) for s, e in sorted(set(spans))]


def chunk_documents(docs: Iterable[Document], sentences_per_passage: int,
                    count_tokens: TokenCounter, max_tokens: int, run_chars: int | None = CLAUSE_RUN_CHARS) -> list[Passage]:
    return [
        passage
        for doc in docs
        for number, paragraph in enumerate(doc.paragraphs, start=1)
        for passage in chunk_paragraph(doc.id, number, paragraph, sentences_per_passage, count_tokens, max_tokens,
                                       run_chars)
    ]
