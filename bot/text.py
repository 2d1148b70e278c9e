"""Word-level text helpers shared by BM25 indexing, query normalisation and answer selection."""
from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# Question and filler words carry no topic: leaving them out keeps BM25 and overlap scores on content.
STOPWORDS = frozenset(STOPWORDS_EN) | {
    "what", "who", "whom", "whose", "which", "when", "where", "why", "how", "does", "did", "do", "has", "have",
    "had", "was", "were", "been", "being", "can", "could", "would", "should", "will", "shall", "may", "might",
    "about", "according", "tell", "me", "you", "your", "i", "we", "our", "us", "its", "his", "her", "she", "he",
    "they", "them", "their", "any", "some", "kind", "kinds", "say", "said", "says", "also", "from", "than",
    "so", "up", "out", "all", "this", "these", "those", "there", "here", "many", "much", "very",
}
_stemmer = Stemmer.Stemmer("english")
# English irregular verb forms, which a suffix stemmer cannot join to their verb ("led" and "leading").
# Forms that are as often other words or names ("left", "saw", "rose", "felt", "won", "ran") are left out.
IRREGULAR_VERBS = {form: verb for verb, *forms in (group.split() for group in """
be was were been, begin began begun, bring brought, build built, buy bought, choose chose chosen, come came,
do did done, drive drove driven, eat ate eaten, fall fell fallen, find found, fly flew flown,
forget forgot forgotten, get got gotten, give gave given, go went gone, grow grew grown, have had, hear heard,
hold held, keep kept, know knew known, lead led, lend lent, lose lost, make made, mean meant, meet met, pay paid,
rise risen, say said, see seen, seek sought, sell sold, send sent, shake shook shaken, show shown,
speak spoke spoken, spend spent, stand stood, steal stole stolen, take took taken, teach taught,
tell told, think thought, throw threw thrown, understand understood, wear wore worn, write wrote written
""".split(",")) for form in forms}
# Nouns whose verb a suffix stemmer cannot reach ("speech" and "spoke" are one deed: "who spoke?" is answered by
# "in his speech").
IRREGULAR_NOUNS = {form: verb for verb, *forms in (group.split() for group in """
speak speech speeches speaker speakers, choose choice choices, lose loss losses, sell sale sales, prove proof,
grow growth, fly flight flights, die death deaths, believe belief beliefs, decide decision decisions,
divide division divisions, describe description descriptions, explain explanation explanations,
succeed success, fail failure failures, pursue pursuit, respond response responses, defend defence defense,
applaud applause, laugh laughter, analyse analysis analyze
""".split(",")) for form in forms}
STEMS_VERSION = 4  # stored with the BM25 settings: a change here changes every index's terms


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(IRREGULAR_VERBS.get(word) or IRREGULAR_NOUNS.get(word, word))


def words(text: str) -> list[str]:
    """Lower-cased words, possessive 's dropped."""
    return [w[:-2] if w.endswith(("'s", "’s")) else w for w in WORD.findall(text.lower())]


def looks_plural(word: str) -> bool:
    """An English plural by its ending: "companies", "zones"; not "consensus", "class", "analysis"."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def content_terms(text: str) -> list[str]:
    """Stemmed words that carry topic: what BM25 indexes and what overlap scores count."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


@lru_cache(maxsize=8192)
def term_set(text: str) -> frozenset[str]:
    """content_terms of a passage, cached: the same passages come up question after question."""
    return frozenset(content_terms(text))
