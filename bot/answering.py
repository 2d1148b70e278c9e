"""From a retrieval to an Answer: pick the span that answers, check it is grounded, or abstain.

Everything in an answer is corpus text, [n] markers, an ellipsis, or one of the fixed phrases below.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.answer import Answer, Citation, Kind
from bot.chunking import sentence_spans
from bot.retrieval import Hit, Retrieval
from bot.store import DocumentRecord, IndexStore
from bot.text import WORD, content_terms, stem, term_set

ELLIPSIS = "…"
COVERAGE_WEIGHT = 0.5  # of term coverage in the confidence; separates labelled in/out-of-scope questions best
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "dozen", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions",
                "half", "percent", "several", "first", "second", "third"}
DATE_WORDS = {"yesterday", "today", "tomorrow", "morning", "afternoon", "evening", "night", "year", "years", "month",
              "week", "january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
              "sunday", "recent", "next", "spring", "summer", "autumn", "winter"}
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_QUANTITY_QUESTION = re.compile(r"\b(how (many|much|old|long|often|far|big|large)|what (percentage|number|amount))\b", re.I)
_DATE_QUESTION = re.compile(r"^\s*when\b|\b(what|which) (year|date|day|month|time)\b", re.I)
_ORDINAL_QUESTION = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b", re.I)


@dataclass(frozen=True)
class Calibration:
    """Confidence thresholds, fitted by `forumbot calibrate` and stored in the index manifest."""

    threshold: float = 0.7  # answer when confidence >= threshold
    strong: float = 1.2  # confidence needed to answer a non-English question with an English-only model
    calibrated: bool = False

    @classmethod
    def from_manifest(cls, manifest: dict) -> Calibration:
        stored = manifest.get("calibration") or {}
        return cls(**{k: stored[k] for k in ("threshold", "strong", "calibrated") if k in stored})


def idf_weights(documents: dict[str, DocumentRecord]) -> dict[str, float]:
    """Inverse paragraph frequency of each corpus term: rare terms say more about what a question is about."""
    frequency: dict[str, int] = {}
    paragraphs = [p for doc in documents.values() for p in doc.paragraphs]
    for paragraph in paragraphs:
        for term in set(content_terms(paragraph)):
            frequency[term] = frequency.get(term, 0) + 1
    return {term: math.log(1 + len(paragraphs) / (count + 0.5)) for term, count in frequency.items()}


def coverage(terms: tuple[str, ...], paragraph_terms: set[str], idf: dict[str, float], unseen_idf: float) -> float:
    """IDF-weighted share of the question's terms that the cited paragraph contains."""
    if not terms:
        return 0.0
    weights = [idf.get(t, unseen_idf) for t in terms]
    return sum(w for t, w in zip(terms, weights) if t in paragraph_terms) / sum(weights)


def unknown_names(question: str, vocabulary: frozenset[str]) -> list[str]:
    """Capitalised words and numbers in the question that the corpus never mentions.

    "What did Elon Musk say?" names someone the article does not: no passage can answer it.
    The first word is skipped (it is capitalised anyway), and so is a question typed all in capitals.
    """
    if question.upper() == question:
        return []
    tokens = WORD.findall(question)
    return [t for t in tokens[1:] if (t[0].isupper() or t.isdigit()) and stem(t.lower()) not in vocabulary]


def _has_number(text: str) -> bool:
    return any(w.isdigit() or w in NUMBER_WORDS for w in re.findall(r"\w+", text.lower()))


def _has_date(text: str) -> bool:
    return any(w.isdigit() or w in DATE_WORDS for w in re.findall(r"\w+", text.lower()))


def _clause_window(text: str, start: int, end: int, terms: set[str], limit: int) -> tuple[int, int]:
    """The run of clauses within [start, end) of at most `limit` characters that holds most question terms."""
    cuts = [start] + [start + m.end() for m in re.finditer(r"[,;:]\s+|\s+(?=and |or |with |which |allowing )", text[start:end])] + [end]
    clause_terms = [term_set(text[a:b]) & terms for a, b in zip(cuts, cuts[1:])]  # cuts fall between words
    best, best_score = (start, start), -1.0
    for i in range(len(cuts) - 1):
        found: set[str] = set()
        for j in range(i + 1, len(cuts)):
            s, e = cuts[i], cuts[j]
            while e > s and text[e - 1] in " ,;:":
                e -= 1
            if e - s > limit:
                break
            found |= clause_terms[j - 1]
            score = len(found) + (e - s) / (10 * limit) - 0.01 * i  # terms first, then fuller, then earlier
            if score > best_score:
                best, best_score = (s, e), score
    if best[1] <= best[0]:  # not even one clause fits: cut at a word boundary
        cut = text.rfind(" ", start, start + limit)
        best = (start, cut if cut > start else start + limit)
    return best


SPAN_SPECIFICITY_WEIGHT = 0.5  # of rare-term coverage when choosing the span; 0.25-1.0 all give the same spans
SHORT_SENTENCE = 100  # characters; a sentence this short rarely carries the whole fact
_ANAPHOR = re.compile(r"^(It|Its|This|These|That|Those|They|Their|He|His|She|Her|The report)\b")


def with_neighbour(paragraph: str, start: int, end: int, limit: int) -> tuple[int, int]:
    """Add the sentence the fact depends on: the next one after a short sentence ("released two
    achievements." -> "First, ... the report"), the previous one before a pronoun ("It has become ...")."""
    spans = sentence_spans(paragraph)
    index = next((i for i, (s, e) in enumerate(spans) if s == start and e == end), None)
    if index is None:
        return start, end
    if _ANAPHOR.match(paragraph[start:end]) and index > 0 and end - spans[index - 1][0] <= limit:
        return spans[index - 1][0], end
    if end - start < SHORT_SENTENCE and index + 1 < len(spans) and spans[index + 1][1] - start <= limit:
        return start, spans[index + 1][1]
    return start, end


def select_span(hits: list[Hit], paragraph: str, terms: tuple[str, ...], limit: int,
                specificity: Callable[[str], float]) -> tuple[int, int]:
    """The paragraph's passage that scores best and covers the question's rarest terms, narrowed to its best
    sentence or clauses when too long, widened by a neighbour sentence when it cannot stand alone.

    Retrieval ranks paragraphs; inside one, a sentence that repeats the article's common words ("smart
    industrial Internet") should not beat the one holding the specific term asked about ("user-centric")."""
    def rank(hit: Hit) -> float:
        return hit.score + SPAN_SPECIFICITY_WEIGHT * specificity(hit.passage.text)

    best = max(hits, key=rank).passage
    if best.end - best.start <= limit:
        return with_neighbour(paragraph, best.start, best.end, limit)
    inside = [h for h in hits if best.start <= h.passage.start and h.passage.end <= best.end and h.passage != best]
    narrowest = max(inside, key=rank).passage if inside else best
    start, end = narrowest.start, narrowest.end
    if end - start <= limit:
        return with_neighbour(paragraph, start, end, limit)
    return _clause_window(paragraph, start, end, set(terms), limit)


def quoted(paragraph: str, start: int, end: int) -> str:
    """A verbatim span, with an ellipsis marking where it was cut from a sentence."""
    sentences = sentence_spans(paragraph)
    begins = any(s == start for s, _ in sentences)
    finishes = any(e == end for _, e in sentences)
    return f"{'' if begins else ELLIPSIS}{paragraph[start:end]}{'' if finishes else ELLIPSIS}"


class Answerer:
    """Turns retrievals into Answers for one loaded index version."""

    def __init__(self, store: IndexStore, keyword_weight: float, max_citations: int, max_answer_chars: int,
                 examples: list[str]):
        self.store = store
        self.calibration = Calibration.from_manifest(store.manifest)
        self.keyword_weight, self.max_citations, self.max_answer_chars = keyword_weight, max_citations, max_answer_chars
        self.examples = examples
        self.idf = idf_weights(store.documents)
        self.unseen_idf = max(self.idf.values(), default=1.0)
        self.paragraph_terms = {(d.id, n): set(content_terms(p)) for d in store.documents.values()
                                for n, p in enumerate(d.paragraphs, 1)}

    # -- fixed replies ---------------------------------------------------------------
    def _topics(self) -> str:
        titles = [f'"{d.title}"' for d in self.store.documents.values()]
        return titles[0] if len(titles) == 1 else f"{len(titles)} documents, including {titles[0]}"

    def _examples(self) -> str:
        return " ".join(f"• {e}" for e in self.examples)

    def reply(self, question: str, kind: Kind) -> Answer:
        text = {
            Kind.ABSTAINED: f"I couldn't find that in {self._topics()}, so I won't guess. I can answer questions about it, for example: {self._examples()}",
            Kind.HELP: f"Hi! I answer questions about {self._topics()}, quoting the paragraphs I use. Try: {self._examples()}",
            Kind.LANGUAGE: f"I answer questions in English about {self._topics()}. For example: {self._examples()}",
        }[kind]
        return Answer(question, text, True, (), index_version=self.store.version, kind=kind)

    # -- scoring -----------------------------------------------------------------------
    def confidence(self, retrieval: Retrieval) -> float:
        """Cosine of the best passage plus how much of the question its paragraph covers."""
        if not retrieval.hits:
            return 0.0
        top = retrieval.hits[0]
        covered = coverage(retrieval.terms, self.paragraph_terms[(top.passage.doc, top.passage.paragraph)],
                           self.idf, self.unseen_idf)
        return top.dense + COVERAGE_WEIGHT * covered

    def _grounded(self, question: str, retrieval: Retrieval, quote: str) -> bool:
        """Checks that the cited text can answer this kind of question at all."""
        if unknown_names(question, self.store.vocabulary):
            return False
        top = retrieval.hits[0].passage
        paragraph_terms = self.paragraph_terms[(top.doc, top.paragraph)]
        if _QUANTITY_QUESTION.search(question):
            return _has_number(quote) and all(t in paragraph_terms for t in retrieval.terms)
        if _DATE_QUESTION.search(question):
            return _has_date(quote)
        return True

    # -- answering -----------------------------------------------------------------------
    def answer(self, question: str, retrieval: Retrieval, non_english: bool, threshold: float | None = None) -> Answer:
        """`threshold` overrides the calibrated one (calibration itself asks with none)."""
        confidence = self.confidence(retrieval)
        if non_english and confidence < self.calibration.strong:
            return self.reply(question, Kind.LANGUAGE)
        if confidence < (self.calibration.threshold if threshold is None else threshold):
            return self._abstain(question, confidence)

        groups = retrieval.by_paragraph()
        top_score = groups[0][0].score
        citations, first_span = [], (0, 0)
        for group in groups[: self.max_citations]:
            if citations and group[0].score < 0.8 * top_score:
                break
            passage = group[0].passage
            doc = self.store.documents[passage.doc]
            paragraph = doc.paragraphs[passage.paragraph - 1]
            start, end = select_span(group, paragraph, retrieval.terms, self.max_answer_chars,
                                     lambda text: coverage(retrieval.terms, term_set(text), self.idf, self.unseen_idf))
            first_span = first_span if citations else (start, end)
            citations.append(Citation(len(citations) + 1, doc.id, doc.title, passage.paragraph,
                                      paragraph[start:end], paragraph, round(group[0].score, 4)))

        first = citations[0]
        if not self._grounded(question, retrieval, first.quote):
            return self._abstain(question, confidence)
        answer = f"{quoted(first.text, *first_span)} [1]"
        ordinal = _ORDINAL_QUESTION.search(question)
        if ordinal and not re.search(rf"\b{ordinal.group(1)}", first.text, re.I):
            answer = f"The article does not say what the {ordinal.group(1).lower()} one is. It only says: {answer}"
        return Answer(question, answer, False, tuple(citations), index_version=self.store.version,
                      kind=Kind.ANSWERED, top_score=round(confidence, 4))

    def _abstain(self, question: str, confidence: float) -> Answer:
        return replace(self.reply(question, Kind.ABSTAINED), top_score=round(confidence, 4))
