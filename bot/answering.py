"""From an analysed question and a retrieval to an Answer: answer only when the cited text holds what was asked.

Every answer is corpus text, [n] markers, an ellipsis, or one of the fixed phrases below. When the article
covers the topic but not the asked-for fact, the answer says what it doesn't say and points to what it does.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from bot.answer import Answer, Citation, Kind, shorten
from bot.chunking import clause_cuts, sentence_spans
from bot.question import (CURRENCIES, DATE_MEASURES, GENERIC_HEADS, LAST_PARAGRAPH, LIGHT_VERBS, PERSON_NOUNS, Focus, Question,
                          proper_nouns, specificity)
from bot.retrieval import Hit, Retrieval
from bot.store import DocumentRecord, IndexStore
from bot.text import STOPWORDS, WORD, content_terms, looks_plural, stem, term_set, words

ELLIPSIS = "…"
COVERAGE_WEIGHT = 0.5  # of term coverage in the confidence; separates labelled in/out-of-scope questions best
NAME_WEIGHT = 0.1  # of a name's words when deciding to answer: "what did yang xiuling study" asks about study
SPECIFICITY_POWER = 2  # squared: the one rare word asked about outweighs a polite sentence's everyday ones
SUPPORT_WEIGHT = 2.0  # a paragraph's missing share of the question against retrieval's score: 1.5-2 rank best (0.5, 3+ worse)
CANDIDATE_PARAGRAPHS = 3  # paragraphs weighed against each other for support before one is cited
CANDIDATE_CUTOFF = 0.6  # ... when they score this close to the best one; only those are cited
SECOND_PARAGRAPH = 0.95  # another one is quoted when this close and as well supported (or it names someone else)
TOPIC_HELD = 0.5  # share of what a question says something is "about" the text must hold
DEED_SEARCH = 6  # paragraphs read for the deed of "who spoke?" when the closest ones don't say who did it
SYNONYM_LOW, SYNONYM_HIGH = 0.5, 0.75  # word-vector cosine: below LOW a word is not there, above HIGH it is
HELD = 0.5  # how well a word must be matched to count as in the text: literally, or a cosine of 0.625
BRIDGE_WEIGHT = 0.5  # of a paragraph word standing in for a question word, against the word itself (0.25-1 swept)
# Of a word for the answer's form ("topics", "purpose") a text lacks, counted as held: at full weight it would
# dilute what else a question lacks ("what topics did she study at university" answered); 0.25-1 swept.
FORM_WORD_WEIGHT = 0.5
# For a follow-up, added to the score of a paragraph the answer before cited, among those that hold the question as
# well: a conversation stays on what it was just shown unless the question points elsewhere. Swept 0.1-0.5 on the
# tuning conversations.
CONTINUITY = 0.3
# A paragraph holding the kind of thing asked for (a year, a name) is preferred to one holding more of the
# question only when it holds nearly as much: "in which year did X show Y?" is not answered by another year.
FOCUS_MARGIN = 0.3
HEAD_HELD = 0.3  # the word naming what is asked for must be this well matched: a cosine of 0.575
HEAD_COSINE = SYNONYM_LOW + HEAD_HELD * (SYNONYM_HIGH - SYNONYM_LOW)
DEED_COSINE = 0.7  # a deed's stand-in must be closer: "organized" is 0.65 from "structure", "released" 0.41 from "issued"
NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve dozen hundred hundreds thousand
thousands million millions billion billions half percent several""".split())  # counts: "first" counts nothing
DATE_WORDS = frozenset("""yesterday today tomorrow morning afternoon evening night year years month week january february
march april may june july august september october november december monday tuesday wednesday thursday friday
saturday sunday spring summer autumn winter""".split())
# Who wrote a piece is stated by its byline: "(reporter Zhang Qin)", "By Jane Doe", "correspondent ...".
BYLINE = re.compile(r"\b(reporter|correspondent|by|editor|writer|journalist|author)\s+[A-Z]", re.I)
# What the title and byline answer about the document itself.
# Words asking about the article itself (by stem: "authored", "reporters"): who wrote it, where it appeared, what
# it is about as a whole. Such a question is answered from the byline and the lead.
AUTHOR_STEMS = frozenset(stem(w) for w in "author writer wrote written write journalist journo byline reporter reported "
                         "correspondent publish publication headline title covered paper newspaper".split())
SUMMARY_STEMS = frozenset(stem(w) for w in "summary summarize summarise sum gist takeaway tldr tl dr overview nutshell "
                          "main key point points sentence sentences line lines words short shortly briefly quick "
                          "quickly".split())  # "sum it up in one sentence", "briefly"


@dataclass(frozen=True)
class Calibration:
    """Thresholds fitted at `index build` (and by `forumbot calibrate`), stored in the index manifest."""

    threshold: float = 0.3  # answer only when confidence >= threshold: keeps far off-topic questions out
    unsupported: float = 0.3  # answer only when at most this share of the question is missing from the cited text
    calibrated: bool = False

    @classmethod
    def from_manifest(cls, manifest: dict) -> Calibration:
        stored = manifest.get("calibration") or {}
        return cls(**{k: stored[k] for k in ("threshold", "unsupported", "calibrated") if k in stored})


def idf_weights(documents: dict[str, DocumentRecord]) -> dict[str, float]:
    """Inverse paragraph frequency of each corpus term: rare terms say more about what a question is about."""
    frequency: dict[str, int] = {}
    paragraphs = [p for doc in documents.values() for p in doc.paragraphs]
    for paragraph in paragraphs:
        for term in set(content_terms(paragraph)):
            frequency[term] = frequency.get(term, 0) + 1
    return {term: math.log(1 + len(paragraphs) / (count + 0.5)) for term, count in frequency.items()}


def coverage(terms: Sequence[str], paragraph_terms: set[str] | frozenset[str], idf: dict[str, float],
             unseen_idf: float) -> float:
    """IDF-weighted share of the question's terms that the text contains."""
    if not terms:
        return 0.0
    weights = [idf.get(t, unseen_idf) for t in terms]
    total = sum(weights)  # zero when every term weighs nothing ("what 3 ...")
    return sum(w for t, w in zip(terms, weights) if t in paragraph_terms) / total if total else 0.0


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")


def _has_number(text: str) -> bool:
    """A count or amount: a year ("the 2020 forum") answers "when", not "how many"."""
    return any(_is_count(w) for w in words(text))


def _has_date(text: str) -> bool:
    return any((w.isdigit() and len(w) == 4) or w in DATE_WORDS for w in words(text))


# A place: "in/at/from <Name>", a named kind of place ("Haidian District", "Main Hall"), or a web address.
PLACE = re.compile(r"\b(in|at|from|near|inside|outside)\s+(the\s+)?[A-Z][a-z]+|"
                   r"\b[A-Z][a-z]+\s+(District|City|County|Province|Hall|Centre|Center|Street|Road|Avenue|Park|Square|"
                   r"Building|Stadium|Hotel|Campus|Village|Town)\b|https?://|\bwww\.")


# Where someone works is told by the body they hold a post at: "Deputy Secretary-General of the Beijing Municipal
# People's Government", "professor at the University of X".
WORK_ASKED = re.compile(r"\bwhere (?:does|did|do|is|was) .{1,40}?\b(work|works|worked|working|employed|based)\b", re.I)
ORGANISATION = re.compile(r"\b(?:of|at|for|with) the (?:[A-Z][\w’'-]*,? ){1,8}?(?:Government|Bureau|Ministry|Academy|"
                          r"University|Institute|Department|Office|Committee|Commission|Company|Corporation|Group|"
                          r"Association|Council|Agency|Administration)\b")


def _has_place(text: str) -> bool:
    return bool(PLACE.search(text))


ASKED_AS = {Focus.PLACE: "where", Focus.PERSON: "who", Focus.REASON: "why"}  # what a reply says isn't said
# "Why ...?" is answered only by a paragraph giving a reason or aim; "what is it for" may be by "for the ...".
WHY_ASKED = re.compile(r"\b(?:why|how come)\b", re.I)
FOCUS_CHECKS: dict[Focus, Callable[[str], bool]] = {Focus.NUMBER: _has_number, Focus.DATE: _has_date,
                                                    Focus.PLACE: _has_place}
# A number of the kind asked for: general English forms, not any particular document's.
MEASURE_PATTERNS = {
    "age": re.compile(r"\baged?\s+\d+|\b\d+[- ]years?[- ]old\b|,\s*\d{2},", re.I),
    "money": re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s*(yuan|dollars?|usd|rmb|euros?|pounds?)\b|\bfree of charge\b|"
                       r"\b(for|is|are|was|were|be) free\b|\bfree (admission|entry|tickets?)\b", re.I),  # not "free trade"
    "duration": re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|many)\s+"
                           r"(years?|months?|weeks?|days?|hours?|minutes?)\b|\bsince\b", re.I),
    "percent": re.compile(r"\d\s?%|\bper ?cent\b", re.I),
    "calendar": re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
                          r"\b\d{1,2}(st|nd|rd|th)? (of )?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|"
                          r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|"
                          r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I),
    "month": re.compile(r"\b(january|february|march|april|june|july|august|september|october|november|december|"
                       r"(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.|may \d|in may)\b|\b\d{4}-\d{2}\b|"
                       r"\b(this|last|next) month\b", re.I),  # not the verb "may"
    "year": re.compile(r"\b(1[89]|20)\d{2}\b|\b(this|last|next) year\b", re.I),
}


# A "why" is better answered by a paragraph that gives a reason or a stake (a preference, never a requirement).
REASON_MARKERS = re.compile(r"\b(because|since|so that|in order to|due to|as a result|thanks to|significan\w*|"
                            r"important|importance|aims?|purpose|goals?)\b", re.I)
# How a measure is asked: never what the article "doesn't give an age for".
MEASURE_WORDS = frozenset("old age cost costs price prices long percent percentage much date exact exactly month year".split()) \
    | CURRENCIES
MEASURE_NAMES = {"age": "an age", "money": "a price or sum", "duration": "a length of time", "percent": "a percentage",
                 "calendar": "an exact date", "month": "a month", "year": "a year"}


# Words that ask for something a text states by its form rather than by that word: a role by a title after a
# name ("Li Bohu, academician of ..."), importance by saying what it is significant or important for.
GENDERS = (("she|her|hers|herself", "woman|women|female|lady|ladies|girl|madam|mrs|ms"),
           ("he|him|his|himself", "man|men|male|gentleman|gentlemen|guy|guys|dude|mr"))
# A person introduced by name and title, as news does: "Li Bohu, academician of ...", "Yang Xiuling, Deputy
# Secretary-General of ...".
INTRODUCED = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)+), (?:[A-Za-z-]+ ){1,4}(?:of|at|for)\b")
# "What are Beijing's plans going forward?", "what's next?": what someone will do, told in news prose as "in the
# next step", "in the future", "in the coming years".
FUTURE_ASKED = re.compile(r"\b(plans?|planning|going forward|future|next|gonna|going to|how will|"
                          r"intends?|ambitions?|roadmap|from now on)\b", re.I)
FUTURE_TOLD = re.compile(r"\b(next steps?|in the future|going forward|from now on|in the coming \w+|will (?:next|then))\b",
                         re.I)
SPOKE = re.compile(r"\b(spoke|speak|speaks|speaker|speakers|speech|speeches|talk|talked|talks|presented|"
                   r"presentations?|lectures?)\b", re.I)
WHO_SPOKE = re.compile(rf"\bwho(?:\s+[a-z]+){{0,2}}?\s+{SPOKE.pattern}", re.I)  # "who gave a *speech*", not "presented as"
# Someone saying something, in general English news prose: "X said", "pointed out", "in her speech".
ATTRIBUTION = re.compile(r"\b(said|says|pointed out|stated|noted|explained|added|stressed|emphasi[sz]ed|told|"
                         r"in (?:his|her|their) (?:speech|remarks|talk|address|keynote))\b", re.I)
WHICH_ONES_ASKED = re.compile(r"\bwhich\b", re.I)  # asks to be told which ones, by name or a list
# Talk reported of a group, no one of them named ("academicians discussed the future"): what was said, not who said it.
DISCUSSED = re.compile(r"\b(discussed|debated|talked about|spoke about|exchanged views)\b", re.I)
# Deeds asked about in other words than a text's, in general English news prose: "who *published* it" is answered
# by "issued", "when did it *start*" by "kicked off", "why did li *stress* it" by "pointed out".
DEEDS_IN_OTHER_WORDS = (
    (re.compile(r"\b(publish(?:es|ed)?|issue[sd]?|release[sd]?|put out|unveil(?:s|ed)?)\b", re.I),
     re.compile(r"\b(published|issued|released|put out|unveiled|launched)\b", re.I)),
    (re.compile(r"\b(emphasi[sz]e[sd]?|stress(?:es|ed)?|argue[sd]?|claim(?:ed)?|propose[sd]?|suggest(?:s|ed)?|"
                r"highlight(?:ed)?|urge[sd]?|call(?:s|ed)? for)\b", re.I), ATTRIBUTION),  # not the nouns "highlights", "claims"
    (re.compile(r"\b(start(?:s|ed)?|begin|begins|began|begun|open(?:s|ed)?|launch(?:es|ed)?|commence[sd]?)\b", re.I),
     re.compile(r"\b(kick(?:s|ed)? off|start(?:s|ed)|beg[au]n|opened|launched|commenced|got under ?way)\b", re.I)),
)
# A deed with no object after it: "… kicked off." / "was released," (a particle may follow a phrasal verb's match).
CLAUSE_CLOSES = re.compile(r"(?:\s+(?:off|up|out))?\s*(?:[.;,!?]|$)")
DEEDS_STATED_AS = ((SPOKE, ATTRIBUTION), *DEEDS_IN_OTHER_WORDS)  # "who *talked*": "pointed out in her speech"
ROLE_WORDS = re.compile(r"\b(jobs?|positions?|roles?|occupation|posts?|profession|title(?! of\b))\b", re.I)  # not "title of
# the speech"; a second title after the first one of an introduction: "Yang Xiuling, Deputy Secretary-General of the
# ... Government *and Secretary of* the ...".
FURTHER_TITLE = re.compile(r" and (?:[A-Z][\w-]* ){1,4}(?:of|at|for)\b")
STATED_AS = (  # (how a question asks, its group 1 the word asked with, how a text states it)
    (ROLE_WORDS, INTRODUCED),
    (re.compile(r"\b(matters?|importance|important|significant|significance|crucial|vital|big|deal|care|priority)\b", re.I),
     re.compile(r"\b(significan\w*|important|importance|crucial|critical|vital|priority)\b", re.I)),
    *((re.compile(rf"\b({person})\b", re.I), re.compile(rf"\b({pronoun})\b", re.I)) for pronoun, person in GENDERS),
    (re.compile(r"\b(year|years|yr|edition)\b", re.I), re.compile(r"\b(1[89]|20)\d\d\b")),  # "what year is it for?": "2020 ..."
    (re.compile(r"\b(plans?|planning|roadmap)\b", re.I), FUTURE_TOLD),  # "beijing's plans?": "In the next step, Beijing will"
    (WORK_ASKED, ORGANISATION),  # "where does she work?": "Deputy Secretary-General of the ... Government"
    (re.compile(r"\b(presentations?|lectures?|talks?)\b", re.I),  # "li's lecture": his speech; not "address"
     re.compile(r"\b(speech|speeches|talks?|presentations?|lectures?|keynotes?|remarks)\b", re.I)),
    (WHO_SPOKE, ATTRIBUTION),  # "who talked about beijing?": "Yang Xiuling ... pointed out in her speech"
    *DEEDS_IN_OTHER_WORDS,
)
# Who a text speaks of by gender: "what did *she* say" is not answered by "in *his* speech".
GENDERED = tuple((pronoun, re.compile(rf"\b({pronoun}|{person})\b", re.I)) for pronoun, person in GENDERS)
# A question about another time than the one reported ("what did she do before", "next year") is answered only
# by a text that speaks of another time.
OTHER_TIME = re.compile(r"\b(before|previously|formerly|used to|prior to|in the past|last year|next year|years ago|"
                        r"afterwards|since then)\b", re.I)  # not "now", "these days": the time it reports
TIME_TOLD = re.compile(r"\b(before|previous\w*|former\w*|earlier|past|last|next|after\w*|since|ago|history|used to|"
                       r"now|current\w*|recent\w*|today|will)\b", re.I)
# Another one of something recurring than the one a text reports: "the next edition", "previous versions".
OTHER_EDITION = re.compile(r"\b(?:next|previous|last|earlier|past|upcoming|future) "
                           r"(?:editions?|rounds?|sessions?|issues?|versions?|installments?)\b", re.I)
ARITHMETIC = re.compile(r"\d\s*(?:[+*×÷^=]|plus|minus|times|divided by|multiplied by)\s*\d", re.I)  # not "2020-21"
OPINION_REPLY = "I don't give opinions of my own: I quote what the article says."
WRITING_REPLY = "I don't write text of my own: I quote what the article says."
# "What did the official say?", "what did li talk about?": what someone said, of no topic in particular, is
# answered where the article reports them saying it, not by a paragraph that only mentions their office.
# "How is X doing?", "is X any good?": how far something has come, told in news prose by what it has become or
# shown, or how it has improved.
STATE_ASKED = re.compile(r"\b(how(?:'s| is| are) .{1,60}? (?:doing|going|getting on|coming along)|doing (?:well|ok|good|badly)|"
                         r"how (?:has|have) .{1,60}? (?:changed|developed|grown|evolved|progressed|improved)|"
                         r"any good|how good|how well|progress|status|state of|how far along|rank\w*)\b", re.I)
STATE_TOLD = re.compile(r"\b(has|have) (?:become|shown|grown|improved|achieved|reached|risen|made)\b|"
                        r"\b(?:improvement|enhancement|progress)\b", re.I)
SAYING_ASKED = re.compile(r"\b(say|said|says|talk|talked|speak|spoke|mention|mentioned)\b(?:\W+about)?\W*$", re.I)
PERSON_NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")  # a name of two words, or an organisation's
WHO_SAID_IT = re.compile(r"\bwho\s+(?:said|says|stated|claimed|argued|thinks|believes|pointed out|mentioned)\b", re.I)
NEAREST_SPEAKER = "The nearest speaker the article names before that passage: "
# Who came when: "who spoke first", "the second speaker", "who spoke after li".
ORDER = re.compile(r"\b(first|second|third|fourth|fifth|last)\b|\b(after|before) ([a-z]+)\b", re.I)
# "the first speaker the article mentions": the order of the article's telling, which it does state.
ARTICLE_ORDER = re.compile(r"\b(article|story|piece|writeup)\b|\b(mentions|mentioned|named|quotes|quoted|lists|listed)\b",
                           re.I)  # not "introduced" ("at the forum") or "report" (one of the article's own things)
ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4}  # "last": the last one
# Everyone the article names asked for, not a particular one: "list every person mentioned", "who are the people".
PEOPLE_ASKED = re.compile(
    r"\b(?:list|name) (?:all |every )?(?:the )?(?:people|persons|names|one|person|everyone|everybody)\b|"
    r"\bevery ?(?:one|body|person) (?:mentioned|named|quoted|in (?:the|this) (?:article|story|piece))\b|"
    r"\b(?:who|which|what) (?:are|were) (?:all )?the (?:people|persons|names)\b|"
    r"\b(?:which|what) people (?:are |were |does |did )?(?:mentioned|named|quoted|in|it|the)\b", re.I)
# All that may follow: "... mentioned in this article". Anything else narrows who is asked for ("the people who
# organised it", "which people attended"), which a list of everyone named doesn't answer.
PEOPLE_ASKED_ENDS = frozenset("in the this article story piece mention mentions mentioned named quoted listed by it does "
                              "did all of there please pls".split())
ORDERED_PERSON = re.compile(r"\b(?:first|second|third|fourth|fifth|last) (?:speaker|person|academician|official|guy|"
                            r"lady|woman|man)\b", re.I)
SPEAKING = re.compile(r"\b(spoke|speak|speaks|speaker|speakers|speech|speeches|talk|talked|talks|presented|mentioned|named|"
                      r"names|mentions|quoted|introduced|up)\b", re.I)
# Words before a noun that point at it without naming it: "our newspaper", "all parties".
# "What *exactly* were his recommendations?" asks what they say; a text naming them only by what they are for
# ("recommendations for the development of ...") does not say it.
DETAIL_ASKED = re.compile(r"\b(exactly|specifically|one by one|in detail|precisely|spell (?:them|it) out)\b", re.I)
PURPOSE_AFTER = frozenset("for on about regarding concerning".split())
# ... unless what they are for is what is asked: "recommendations for what exactly?", "aimed at what?"
FOR_WHAT = re.compile(r"\b(?:for|on|about|at|towards?) what\b|\baim(?:ed|s)?\b|\bwhat\b.*\b(?:for|on|about|at)\W*"
                      r"(?:exactly|specifically|precisely)?\W*$", re.I)


def only_described(text: str, thing: str) -> bool:
    """Every mention of the (plural) thing is followed by what it is for or about, never by what it is."""
    tokens = words(text)
    target = stem(thing)
    found = [i for i, t in enumerate(tokens) if stem(t) == target]
    return bool(found) and all(i + 1 < len(tokens) and tokens[i + 1] in PURPOSE_AFTER for i in found)


UNNAMING = frozenset("our their his her its all some many various other these those several any leading typical key "
                     "relevant certain numerous multiple".split())


CALLED = frozenset("titled entitled called named".split())
SPEECH_STEMS = frozenset(stem(w) for w in "speech talk presentation lecture remarks".split())  # one thing


# "the characteristics of A, B, and C": the things named one by one, as a list of at least this many short items
# that say nothing of their own ("the joint efforts of all parties, the development ... *has* shown ..." is no list).
LISTED_ITEMS, LIST_ITEM_WORDS = 3, 8
_FINITE = frozenset("is are was were has have had will would can could shall should may might must does did".split())


def _noun_form(word: str, thing: str, targets: set[str] | frozenset[str]) -> bool:
    """`word` is the noun `thing` (or one of several nouns for it), singular or plural: not another word of its
    stem ("Industrial" is not "industries")."""
    if targets is SPEECH_STEMS:
        return True
    return word.removesuffix("s") == thing.removesuffix("s") or f"{word.removesuffix('ies')}y" == thing \
        or f"{thing.removesuffix('ies')}y" == word or word.removesuffix("es") == thing.removesuffix("es")


def names_it(text: str, thing: str, also: Iterable[str] = ()) -> bool:
    """The text gives `thing` a name: a capitalised or quoted name next to it ("the Beijing Municipal Bureau",
    "Academician Li Bohu", "his speech titled "..."") or the thing capitalised as part of one ("Development Report"),
    or lists them after it ("the characteristics of A, B, and C"); `also`: the text's own words for the thing."""
    tokens = re.findall(r"[\w’']+|[\"“”]", text)  # "Secretary-General": "General", a name's word
    targets = SPEECH_STEMS if stem(thing) in SPEECH_STEMS else {stem(thing)}  # "li's *lecture*": "his speech titled"
    words_for_it = set(also)  # as written: "industry" is not "industrial" (one stem)
    for listed in re.finditer(r"\b([\w’'-]+) of (?=([^.;:]+))", text):
        items = [item.split() for item in listed.group(2).split(",")]
        if stem(listed.group(1).lower()) in targets and len(items) >= LISTED_ITEMS \
                and all(len(item) <= LIST_ITEM_WORDS and not _FINITE & set(item) for item in items):
            return True

    def a_name(token: str) -> bool:
        return token[0].isupper() or token in "\"“”"

    for i, token in enumerate(tokens):
        if not (stem(token.lower()) in targets and _noun_form(token.lower(), thing, targets)) \
                and token.lower() not in words_for_it:
            continue
        after = tokens[i + 1:i + 2]
        if after and after[0].lower() in CALLED:  # "titled "Research ...""
            after = tokens[i + 2:i + 3]
        if (token[0].isupper() and i > 0) or any(map(a_name, tokens[max(i - 1, 0):i] + after)):
            return True
    return False


def _names_several(text: str, things: str) -> bool:
    """The text says which `things` (a plural) it means: names them ("the fields of edge, network, ..."), or calls
    them by a word of their own kind ("basic support *capabilities*", "*opportunities of* expanding ..."). "Insist on
    standards", "typical industries" say no more than the word."""
    if names_it(text, things) or _listed(text, things):
        return True
    tokens = words(text)
    return any(i and (tokens[i - 1] not in STOPWORDS or tokens[i + 1:i + 2] == ["of"]) and tokens[i - 1] not in UNNAMING
               for i, t in enumerate(tokens) if _noun_form(t, things, frozenset()))


def _role_asked(question: Question) -> tuple[str, ...] | None:
    """"Who is the reporter", "who were the *foreign* academicians": a person in that role, to be named, and the
    words saying which of them (a paragraph naming a Chinese academician does not answer it); None for any other."""
    if question.focus != Focus.PERSON or not question.head:
        return None
    role = re.search(rf"\bwho(?:'s| is| was| are| were)\s+(?:the|their|its|his|her)\s+((?:[a-z'-]+\s+){{0,2}})"
                     rf"{re.escape(question.head)}\b(?=\W*$|\s+(?:of|at|in|for|from|on|with|that|who|whose)\b)",
                     question.text)  # "who is the service cloud *designed* around" asks no one in a role
    return tuple(role.group(1).split()) if role else None


QUALIFIER_SPECIFICITY = 0.7  # "foreign" (0.76), "chinese" (0.73) say which ones; "big" (0.32), "main" (0.67) how big


def _qualifiers(question: Question, thing: str) -> tuple[str, ...]:
    """The terms saying which of a thing a question asks about: "the names of the *foreign* academicians"."""
    said = re.search(rf"\b(?:the|of|which|what)\s+((?:[a-z'-]+\s+){{1,2}}){re.escape(thing)}\b", question.text)
    return tuple(stem(w) for w in said.group(1).split() if w in question.words and w not in UNNAMING
                 and specificity(w) >= QUALIFIER_SPECIFICITY) if said else ()


def only_unnamed(text: str, thing: str) -> bool:
    """The text mentions `thing` only as "our newspaper" or "all parties": "which" one is not said."""
    tokens = words(text)
    target = stem(thing)
    found = [i for i, t in enumerate(tokens) if stem(t) == target]
    return bool(found) and all(i > 0 and tokens[i - 1] in UNNAMING for i in found)


COUNTED_WITHIN = 3  # content words between a number and what it counts: "four types of new technologies"
COUNTED_SIMILAR = 0.45  # cosine at which the counted word is the thing asked about ("visitors" for "people")
Closest = Callable[[str, Sequence[str]], float]  # a word's best cosine to some words, under the model


def _counts(text: str, thing: str, closest: Closest | None = None) -> bool:
    """The text gives a count of `thing`: "how many platforms" is not answered by "two achievements". A thing
    the text calls by another word is counted when a counted word is close to it ("3,000 visitors" for "how
    many people"); with no word vectors to tell, any count will do."""
    tokens = [t for t in words(text) if t not in STOPWORDS or _is_count(t)]
    counted = [t for i, w in enumerate(tokens) if _is_count(w) for t in tokens[i + 1:i + 1 + COUNTED_WITHIN]]
    target = stem(thing)
    if any(stem(t) == target for t in tokens):  # named in the text: it must be what is counted
        return any(stem(t) == target for t in counted)
    if closest is None:
        return bool(counted)
    return bool(counted) and closest(thing, counted) >= COUNTED_SIMILAR


def _listed(text: str, thing: str) -> bool:
    """The text names each of several `thing`s, so a reader counts them: the word after different qualifiers
    ("macro recommendations ... and specific recommendations"), or one person introduced by more than one title for
    "how many positions". Within one sentence, as a list is."""
    sentences = [text[start:end] for start, end in sentence_spans(text)]
    if ROLE_WORDS.fullmatch(thing):
        return any(INTRODUCED.search(sentence) and FURTHER_TITLE.search(sentence) for sentence in sentences)
    target = stem(thing)
    for tokens in map(words, sentences):
        qualifiers = {tokens[i - 1] for i, t in enumerate(tokens) if i and stem(t) == target and tokens[i - 1] not in STOPWORDS}
        if len(qualifiers) > 1:
            return True
    return False


def _is_count(word: str) -> bool:
    return (word.isdigit() and not _is_year(word)) or word in NUMBER_WORDS


def holds_focus(question: Question, text: str, closest: Closest | None = None) -> bool:
    """The text has the kind of thing asked for: a number (of the kind asked: an age, a sum, a count of the
    things named) or a date."""
    if question.measure:
        return bool(MEASURE_PATTERNS[question.measure].search(text))
    if question.focus == Focus.NUMBER and question.head:
        if ROLE_WORDS.fullmatch(question.head):  # "how many titles does he have": not "four types of ..."
            return _listed(text, question.head) or _counts(text, question.head, lambda *_: 0.0)
        return _counts(text, question.head, closest) or _listed(text, question.head)
    if question.focus == Focus.PLACE and question.head:  # "which country": its head word is checked instead
        return True
    if question.focus == Focus.PLACE and WORK_ASKED.search(question.text):
        return bool(PLACE.search(text) or ORGANISATION.search(text))
    return FOCUS_CHECKS.get(question.focus, bool)(text)


FOCUS_BONUS = 0.5  # a sentence holding the number or date asked for beats one that only shares words


def _clause_window(text: str, start: int, end: int, weights: dict[str, float], limit: int) -> tuple[int, int]:
    """The run of clauses within [start, end) of at most `limit` characters that holds the most question terms,
    rare ones counting more ("coordinated" says more than a name the article repeats)."""
    terms = set(weights)
    cuts = [start, *clause_cuts(text, start, end), end]
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
            score = sum(weights[t] for t in found) + (e - s) / (10 * limit) - 0.01 * i  # terms, then fuller, then earlier
            if score > best_score:
                best, best_score = (s, e), score
    if best[1] <= best[0]:  # not even one clause fits: cut at a word boundary
        cut = text.rfind(" ", start, start + limit)
        best = (start, cut if cut > start else start + limit)
    return best


# A name asked about found the paragraph; inside it, the fact asked about picks the sentence ("Li's specific
# recommendations" are in the clause with "specific", not the one with "Li Bohu").
NAME_IN_SPAN = 0.25
# Of rare-term coverage when choosing the span, against retrieval's score: a follow-up is searched with the
# turn before it, so its score favours the earlier topic's sentence over the one holding the word now asked
# ("back to the report, does it say anything about security?"). 1.0 and 2.0 quote the same; 0.5 did not.
SPAN_SPECIFICITY_WEIGHT = 1.0
SHORT_SENTENCE = 100  # characters; a sentence this short rarely carries the whole fact
_REFERS_BACK = re.compile(r"^(It|Its|This|These|That|Those|They|Their|He|His|She|Her)\b|"
                          r"\b(these|those|such|above|following)\b|\b(two|three|four|five) (types|kinds|major)\b")


def refers_back(sentence: str, previous: str) -> bool:
    """A pronoun or "these"/"such" at its start, or "The <noun>" for a noun the previous sentence introduced."""
    definite = re.match(r"The (\w+)", sentence)
    return bool(_REFERS_BACK.search(sentence) or (definite and re.search(rf"\b{definite.group(1)}\b", previous, re.I)))


def with_neighbour(paragraph: str, start: int, end: int, limit: int) -> tuple[int, int]:
    """Add the sentence the fact depends on: the next one after a short sentence ("released two
    achievements." -> "First, ... the report"), the previous one before a sentence that refers back. A run of
    clauses (indexed apart from its long sentence) is quoted as the whole sentence when that fits."""
    spans = sentence_spans(paragraph)
    whole = next(((s, e) for s, e in spans if s <= start and end <= e), None)
    if whole and whole[1] - whole[0] <= limit:
        start, end = whole
    index = next((i for i, (s, e) in enumerate(spans) if s == start and e == end), None)
    if index is None:
        return start, end
    if index > 0 and refers_back(paragraph[start:end], paragraph[slice(*spans[index - 1])]) \
            and end - spans[index - 1][0] <= limit:
        return spans[index - 1][0], end
    if end - start < SHORT_SENTENCE and index + 1 < len(spans) and spans[index + 1][1] - start <= limit:
        return start, spans[index + 1][1]
    return start, end


def select_span(hits: list[Hit], paragraph: str, weights: dict[str, float], limit: int,
                specificity: Callable[[str], float], needed: Callable[[str], bool] = bool,
                listing: bool = False) -> tuple[int, int]:
    """The paragraph's passage that scores best and covers the question's rarest terms, narrowed to its best
    sentence or clauses when too long, widened by a neighbour sentence when it cannot stand alone.

    Retrieval ranks paragraphs; inside one, a sentence that repeats the article's common words should not
    beat the one holding the specific term asked about, and one holding what is `needed` (the number or date
    asked for) beats any that doesn't."""
    def rank(hit: Hit) -> float:
        return hit.score + SPAN_SPECIFICITY_WEIGHT * specificity(hit.passage.text)

    hits = [h for h in hits if needed(h.passage.text)] or hits
    best = max(hits, key=rank).passage
    if best.end - best.start <= limit:
        return with_neighbour(paragraph, best.start, best.end, limit)
    inside = [h for h in hits if best.start <= h.passage.start and h.passage.end <= best.end and h.passage != best]
    # Inside a passage too long to quote, the part holding the most of what was asked, then the most mentions of
    # it ("what 2 kinds of recommendations": the part naming both). Retrieval's score of a fragment is
    # unreliable (a clause lacks its sentence's subject), so it only breaks the remaining ties.
    def mentions(text: str) -> int:
        return sum(weights.get(stem(w), 0.0) > 0 for w in words(text))

    def weighted_mentions(text: str) -> float:  # every mention, by its term's weight: "macro recommendations ...
        return sum(weights.get(stem(w), 0.0) for w in words(text))  # and specific recommendations" counts two

    def fit(hit: Hit) -> tuple[float, ...]:  # a list question: the part naming the asked thing most, then as others
        text = hit.passage.text
        key = (round(specificity(text), 2), mentions(text), hit.score)
        return (weighted_mentions(text), *key) if listing else key

    narrowest = max(inside, key=fit).passage if inside else best
    start, end = narrowest.start, narrowest.end
    if end - start <= limit:
        return with_neighbour(paragraph, start, end, limit)
    return _clause_window(paragraph, start, end, weights, limit)


def quoted(paragraph: str, start: int, end: int) -> str:
    """A verbatim span, with an ellipsis marking where it was cut from a sentence."""
    sentences = sentence_spans(paragraph)
    begins = any(s == start for s, _ in sentences)
    finishes = any(e == end for _, e in sentences)
    return f"{'' if begins else ELLIPSIS}{paragraph[start:end]}{'' if finishes else ELLIPSIS}"


def pointed(citation: Citation) -> str:
    """A citation's quote as a reply points to it: marked with an ellipsis where it was cut from a sentence."""
    start = citation.text.find(citation.quote)
    return quoted(citation.text, start, start + len(citation.quote)) if start >= 0 else citation.quote


def genders_of(text: str) -> set[str]:
    """Which genders a text speaks of, by their pronouns."""
    return {pronoun for pronoun, pattern in GENDERED if pattern.search(text)}


ECHOED_WORD = 40  # characters of one of the asker's words echoed back: a 1,000-letter "word" is not repeated whole


def _doer(word: str, other: str) -> bool:
    """One word is the other's doer ("reporter" of "report"), which stemming conflates: not the same word."""
    short, long = sorted((word, other), key=len)
    return long in (short + "er", short + "r", short + "or")


def _undetailed(question: Question, text: str) -> str | None:
    """The things a question asks the exact content of, which the text names only by their purpose."""
    if not DETAIL_ASKED.search(question.text) or FOR_WHAT.search(question.text):
        return None
    plural = [w for w in question.words if looks_plural(w)]
    return next((question.as_typed(w) for w in plural if only_described(text, w)), None)


def _listing(items: Sequence[str], joint: str = "or") -> str:
    quoted_items = [f"“{shorten(i, ECHOED_WORD)}”" for i in items]
    return quoted_items[0] if len(quoted_items) == 1 else ", ".join(quoted_items[:-1]) + f" {joint} " + quoted_items[-1]


Similarity = Callable[[Sequence[str], Sequence[str]], np.ndarray]  # words x corpus words -> cosine matrix


@dataclass(frozen=True)
class Support:
    """How much of a question one paragraph holds."""

    unsupported: float  # specificity-weighted share of the question's terms it lacks: ranks paragraphs
    unsupported_asked: float  # the same with the names' words discounted: what it asks about them, to abstain on
    missing: tuple[str, ...]  # those terms, as typed
    focus_found: bool  # it holds the kind of thing asked for (a number, a date, ...)


DEFINING = frozenset("is are was were means mean meaning refers stands denotes".split())
DEFINING_REACH = 3  # words after the thing in which "X *is* ..." must come


def _defines(text: str, thing: Sequence[str]) -> bool:
    """The text says what the thing is ("the smart industrial Internet *is* based on ..."), not only uses it
    ("... the new ubiquitous Internet, led by ...")."""
    return not thing or any(True for _ in _defined_at(text, thing))


def _defined_at(text: str, thing: Sequence[str]) -> Iterator[int]:
    """Where the thing's words stand right before a defining verb: the index of the first, among the text's words
    (one a WORD match, in order)."""
    said = words(text)
    stems, asked = [stem(w) for w in said], [stem(w) for w in thing]
    return (i for i in range(len(said))
            if stems[i:i + len(asked)] == asked and DEFINING & set(said[i + len(asked):i + len(asked) + DEFINING_REACH]))


def _says_what_it_is(text: str, thing: Sequence[str]) -> bool:
    """"What is X?" is best answered where X is the subject of "is": "the smart industrial Internet is based on
    ...", not "developing the smart industrial Internet is of great significance", said of developing it."""
    if not thing:
        return True
    found = list(WORD.finditer(text))
    for i in _defined_at(text, thing):
        before = i - 1 - (i > 0 and found[i - 1].group(0).lower() in ARTICLES)  # "developing *the* ... Internet"
        if before < 0 or CLAUSE_BREAK.search(text, found[before].end(), found[i].start()) \
                or not _describes_doing(found[before].group(0)):
            return True
    return False


def _place(question: Question, doc: DocumentRecord) -> int:
    """The number of the paragraph a question asks for by its place ("the last one": the document's last); it may
    be past the end."""
    return len(doc.paragraphs) if question.paragraph == LAST_PARAGRAPH else question.paragraph or 0


def _describes_doing(word: str) -> bool:
    """A lower-case -ing word: a verb doing something to what follows it ("developing"), not "Beijing"."""
    return word.endswith("ing") and word.islower()


ARTICLES = frozenset("the a an".split())
CLAUSE_BREAK = re.compile(r"[,.;:!?]")
NOT_A_NOUN = STOPWORDS | frozenset("his her its their this that these those".split())


def _describes(said: Sequence[str], i: int) -> bool:
    """"*leading* companies": an -ing word before a noun describes it; "*leading* the forum" is the deed."""
    return said[i].endswith("ing") and i + 1 < len(said) and said[i + 1] not in NOT_A_NOUN


def _lacked(terms: Sequence[str], weight: dict[str, float], held: dict[str, float]) -> float:
    """The weighted share of the terms not held."""
    total = sum(weight[t] for t in terms)
    return sum(weight[t] * (1 - held.get(t, 0.0)) for t in terms) / total if total else 0.0


# "who “kicked off the forum”": the deed and what it was done to, up to where or when ("at the time"), which the
# question adds to it, not the whole of a long question.
DEED_SHOWN_WORDS = 3
DEED_ENDS = "(?:in|on|at|of|for|about|during|with|from|to|by|and|or|but|so|because|when|where|why|how)"


def _head_missing(question: Question, head: str) -> str:
    """What is missing, said as it was asked: "who moderated", "which university", "the director", "the email"."""
    if question.focus == Focus.PERSON:
        if re.search(rf"\bthe (?:[a-z'-]+ ){{0,2}}{re.escape(head)}\b", question.text):
            return f"doesn't name the “{head}”"  # a role: "who is the director of ...", "the foreign academicians"
        deed = re.search(rf"\b{re.escape(head)}\b(?:\s+(?!{DEED_ENDS}\b)[\w'’-]+){{0,{DEED_SHOWN_WORDS}}}", question.text)
        return f"doesn't say who “{deed.group() if deed else head}”"  # "who “kicked off the forum”", not "who “kicked”"
    if not re.search(rf"\b(which|what) {re.escape(head)}\b", question.text):
        return f"doesn't give the “{head}”"  # "what's her email": not "which email"
    return f"doesn't say which “{head}”"


class Answerer:
    """Turns analysed questions and retrievals into Answers for one loaded index version."""

    def __init__(self, store: IndexStore, similarity: Similarity, max_citations: int, max_answer_chars: int,
                 examples: list[str]):
        self.store = store
        self.similarity = similarity
        self.calibration = Calibration.from_manifest(store.manifest)
        self.max_citations, self.max_answer_chars = max_citations, max_answer_chars
        self.examples = examples
        self.idf = idf_weights(store.documents)
        self.unseen_idf = max(self.idf.values(), default=1.0)
        self.paragraph_terms = {(d.id, n): frozenset(content_terms(p)) for d in store.documents.values()
                                for n, p in enumerate(d.paragraphs, 1)}
        self.names = names = proper_nouns(p for d in store.documents.values() for p in d.paragraphs)
        # Names and numbers match only literally: "shanghai" is close to "beijing" as vectors, never as a fact.
        self.paragraph_words = {key: sorted(w for w in set(words(store.documents[key[0]].paragraphs[key[1] - 1]))
                                            if w not in names and not any(c.isdigit() for c in w))
                                for key in self.paragraph_terms}
        self.title_terms = {d.id: frozenset(content_terms(d.title)) for d in store.documents.values()}
        self.lead_terms = {d.id: self._lead_terms(d) for d in store.documents.values()}
        self.introduced = list(dict.fromkeys(m.group(1) for d in store.documents.values() for p in d.paragraphs
                                             for m in INTRODUCED.finditer(p)))  # people with their titles, in order
        self.people = frozenset(w.lower() for name in self.introduced for w in name.split())  # their names' words
        self.bylines = {d.id: next((n for n, p in enumerate(d.paragraphs, 1) if BYLINE.search(p)), None)
                        for d in store.documents.values()}
        self.speakers = {key: speaker for d in store.documents.values() for key, speaker in self._speakers(d).items()}

    def _speakers(self, doc: DocumentRecord) -> dict[tuple[str, int], frozenset[str]]:
        """Whose words each paragraph carries: the person it names, else the one named nearest before it (a news
        report carries a speaker's words on over the paragraphs after the one that names them)."""
        speakers: dict[tuple[str, int], frozenset[str]] = {}
        current: frozenset[str] = frozenset()
        for n, paragraph in enumerate(doc.paragraphs, 1):
            said = set(words(paragraph))
            named = [name for name in self.introduced if {w.lower() for w in name.split()} <= said]
            current = frozenset(w.lower() for w in named[0].split()) if named else current
            speakers[(doc.id, n)] = current
        return speakers

    @staticmethod
    def _lead_terms(doc: DocumentRecord) -> frozenset[str]:
        """The names in a news article's lead sentence (its event, its place): what every later paragraph is at."""
        if not doc.paragraphs:
            return frozenset()
        start, end = sentence_spans(doc.paragraphs[0])[0]
        return frozenset(stem(w.lower()) for w in WORD.findall(doc.paragraphs[0][start:end])[1:]
                         if w[0].isupper() and w.lower() not in STOPWORDS)

    # -- fixed replies ---------------------------------------------------------------
    def _topics(self) -> str:
        titles = [f'"{d.title}"' for d in self.store.documents.values()]
        return titles[0] if len(titles) == 1 else f"{len(titles)} documents, including {titles[0]}"

    def _examples(self) -> str:
        return " ".join(f"• {e}" for e in self.examples)

    def _can_answer(self) -> str:
        return f"I can answer questions about {self._topics()}, for example: {self._examples()}"

    def reply(self, question: str, kind: Kind) -> Answer:
        text = {
            Kind.ABSTAINED: f"I couldn't find that in {self._topics()}, so I won't guess. {self._can_answer()}",
            Kind.HELP: f"Hi! I answer questions about {self._topics()}, quoting the paragraphs I use. Try: {self._examples()}",
        }[kind]
        return Answer(question, text, True, (), index_version=self.store.version, kind=kind)

    def welcome(self, question: str) -> Answer:
        """Thanks get a "you're welcome", not the greeting; still small talk, never a citation."""
        text = f"You're welcome! Ask me anything else about {self._topics()}. Try: {self._examples()}"
        return Answer(question, text, True, (), index_version=self.store.version, kind=Kind.HELP)

    def in_another_language(self, question: Question) -> Answer:
        """Questions the English model cannot search: say that answers are in English (in Chinese to a Chinese
        question; in English to others, the one language the bot writes), with an English example about the
        names it recognised, and point to where the article mentions them."""
        example = (f"What does the article say about {question.names[0]}?" if question.names else self.examples[0])
        text = f"我只能用英文回答关于 {self._topics()} 的问题。可以这样问：“{example}”" if question.language == "zh" \
            else f"I answer questions in English about {self._topics()}. For example: “{example}”"
        related = self._mentions(question.names)
        return Answer(question.raw, text, True, (), index_version=self.store.version, kind=Kind.LANGUAGE,
                      related=related)

    def _mentions(self, names: Sequence[str]) -> tuple[Citation, ...]:
        """The first paragraph that mentions each name, as related citations."""
        found: list[Citation] = []
        for name in names:
            for doc in self.store.documents.values():
                number = next((n for n, p in enumerate(doc.paragraphs, 1) if name in p), None)
                if number and all((c.doc, c.paragraph) != (doc.id, number) for c in found):
                    paragraph = doc.paragraphs[number - 1]
                    start, end = next((s, e) for s, e in sentence_spans(paragraph) if name in paragraph[s:e])
                    found.append(Citation(len(found) + 1, doc.id, doc.title, number, paragraph[start:end], paragraph, 0.0))
                    break
        return tuple(found[: self.max_citations])

    def _in_order(self, question: Question) -> Answer | None:
        """"Who's the first speaker the article mentions?", "the 2nd speaker named", "who is named after Li?": the
        people the article introduces by name and title ("Li Bohu, academician of ..."), in the order it does.
        Asked of the event ("who spoke first?"), it is no answer, as the article doesn't say in what order people
        spoke: it is declined, pointing to the person the article introduces in that place. None when the question
        asks no such order."""
        names = self.introduced
        asks_order = (question.focus == Focus.PERSON and SPEAKING.search(question.text)) or (  # "was li the first
            question.focus == Focus.YES_NO and self.people & set(question.words) and SPOKE.search(question.text)) \
            or ORDERED_PERSON.search(question.text)  # speaker?", "what did the second speaker say"
        order = ORDER.search(question.text) if asks_order else None
        if not order or not names:
            return None
        if order.group(1):  # "first", "second", "last"
            index = ORDINALS.get(order.group(1), len(names) - 1)
            missing = f"The article introduces only {len(names)} people by name and title."
            asked, place = order.group(1), order.group(1)
        else:  # "after li", "before yang"
            known = next((i for i, name in enumerate(names) if order.group(3) in words(name)), None)
            if known is None:
                return None
            index = known + 1 if order.group(2) == "after" else known - 1
            missing = f"The article introduces no one {order.group(2)} {names[known]}."
            asked, place = f"{order.group(2)} {names[known]}", "next" if order.group(2) == "after" else "previous"
        if not 0 <= index < len(names):
            return Answer(question.raw, missing, True, (), index_version=self.store.version, kind=Kind.ABSTAINED,
                          related=self._mentions(names[-1:] if index >= len(names) else names[:1]))
        citation, shown = self._introduction(names[index], 1)
        if not ARTICLE_ORDER.search(question.text):
            text = (f"The article doesn't say who spoke {asked}. The {place} person it introduces by name and title "
                    f"is in ¶{citation.paragraph}: “{pointed(citation)}”")
            return Answer(question.raw, text, True, (), index_version=self.store.version, kind=Kind.ABSTAINED,
                          top_score=1.0, related=(citation,))
        return Answer(question.raw, f"{shown} [1]", False, (citation,),
                      index_version=self.store.version, kind=Kind.ANSWERED, top_score=1.0)

    def _introduction(self, name: str, n: int) -> tuple[Citation, str]:
        """Where the article introduces a person, cut around their name and title, and that quote as shown."""
        citation = replace(self._mentions([name])[0], n=n)
        start = citation.text.find(citation.quote)
        start, end = _clause_window(citation.text, start, start + len(citation.quote),
                                    {t: 1.0 for t in content_terms(name)}, self.max_answer_chars)
        return replace(citation, quote=citation.text[start:end]), quoted(citation.text, start, end)

    def _everyone(self, question: Question) -> Answer | None:
        """"List every person in the article", "who are the people in it": everyone it introduces by name and
        title, each where it does; None for any other question."""
        asked = PEOPLE_ASKED.search(question.text)
        if not asked or not self.introduced or set(words(question.text[asked.end():])) - PEOPLE_ASKED_ENDS:
            return None
        cited = [self._introduction(name, n) for n, name in enumerate(self.introduced[:self.max_citations], 1)]
        return Answer(question.raw, " ".join(f"{shown} [{c.n}]" for c, shown in cited), False,
                      tuple(c for c, _ in cited), index_version=self.store.version, kind=Kind.ANSWERED, top_score=1.0)

    # -- scoring -----------------------------------------------------------------------
    def confidence(self, retrieval: Retrieval) -> float:
        """Cosine of the best passage plus how much of the question its paragraph covers."""
        if not retrieval.hits:
            return 0.0
        top = retrieval.hits[0]
        covered = coverage(retrieval.terms, self.paragraph_terms[(top.passage.doc, top.passage.paragraph)],
                           self.idf, self.unseen_idf)
        return top.dense + COVERAGE_WEIGHT * covered

    def holds_focus(self, question: Question, text: str) -> bool:
        return holds_focus(question, text, self._closest)

    def _deed_quoted(self, question: Question, quote: str) -> bool:
        """"Who *led* the forum?" is answered by a sentence that says who led it, not by one near "leading"."""
        if question.focus != Focus.PERSON or not question.head:
            return True
        quoted_words = words(quote)  # one a WORD match, in order
        deed = stem(question.head)
        said = [m.span() for i, m in enumerate(WORD.finditer(quote))
                if stem(quoted_words[i]) == deed and not _describes(quoted_words, i)]
        stated = [m.span() for asking, told in DEEDS_STATED_AS if asking.fullmatch(question.head) for m in told.finditer(quote)]
        mentions = said or stated
        if mentions and all(self._undergone(question, quote, start, end) for start, end in mentions):
            return False  # "who kicked off the forum?": "the forum … kicked off." names no one who did
        return bool(mentions) or self._closest(question.head, quoted_words) >= DEED_COSINE

    def _undergone(self, question: Question, quote: str, start: int, end: int) -> bool:
        """The deed at quote[start:end] is said of the thing asked about, with no one doing it: the thing's words
        come before it in its sentence and it closes its clause ("the forum … kicked off.", "the report was
        released."), with none of the people the article introduces just before it ("Li Bohu spoke.")."""
        begins, ends = next(((s, e) for s, e in sentence_spans(quote) if s <= start < e), (0, len(quote)))
        before = words(quote[begins:start])
        thing = set(question.terms) - {stem(question.head)} - set(content_terms(quote[start:end]))
        return bool(CLAUSE_CLOSES.match(quote, end, ends) and thing & {stem(w) for w in before}
                    and not set(before[-2:]) & self.people)

    def _someone_else(self, question: Question, citations: Sequence[Citation], quote: str) -> bool:
        """"Who spoke?": a quote naming only others than those already quoted is more of the answer, not a repeat.
        The people the article introduces are what is compared when the quote names one: a long quote about Yang
        Xiuling also says "industrial Internet", a name Li Bohu's quote holds too."""
        asked_of = [name for name in self.introduced if set(words(name)) & set(question.words)]  # "li and yang"
        if question.focus != Focus.PERSON and not set(question.words) & PERSON_NOUNS and len(asked_of) < 2:
            return False  # not "list all the speakers", nor "what did li and yang say"
        named = {w for w in words(quote) if w in self.people} or {w for w in words(quote) if w in self.names}
        return bool(named) and not named & {w for c in citations for w in words(c.quote)}

    def _closest(self, word: str, candidates: Sequence[str]) -> float:
        return float(self.similarity([word], list(candidates)).max())

    def support(self, question: Question, key: tuple[str, int], in_lead: bool = False) -> Support:
        """How much of what the question asks the paragraph holds: its terms literally, by stem, or as a
        close word (the model's own vectors bridge "journalist" -> "reporter"), and the kind of thing asked.
        `in_lead`: the names of the article's lead count as held (the event a later paragraph's deed was at)."""
        present = self.paragraph_terms[key] | self.title_terms[key[0]]
        byline = self.bylines[key[0]] == key[1]
        held = {t: 1.0 for t in question.terms if t in present or (byline and question.about_document and t in AUTHOR_STEMS)}
        paragraph = self.store.documents[key[0]].paragraphs[key[1] - 1]
        for asking, stated in STATED_AS:  # "what's her job?" is answered by "Yang Xiuling, Secretary of ..."
            asked = {m.group(1).lower() for m in asking.finditer(question.text)}
            if asked and stated.search(paragraph):
                held.update({t: 1.0 for w, t in zip(question.words, question.terms) if w in asked})
        if in_lead:
            held.update({t: 1.0 for t in question.terms if t in self.lead_terms[key[0]]})
        missing = [(w, t) for w, t in zip(question.words, question.terms)
                   if t not in held and not any(c.isdigit() for c in w) and w not in self.names]
        if missing and self.paragraph_words[key]:
            cosines = self.similarity([w for w, _ in missing], self.paragraph_words[key]).max(axis=1)
            for (_, t), cosine in zip(missing, cosines):
                held[t] = max(held.get(t, 0.0), float(np.clip((cosine - SYNONYM_LOW) / (SYNONYM_HIGH - SYNONYM_LOW), 0, 1)))
        # "what *topics* are in the report", "the *purpose* of it": words for the form of the answer, not for what it
        # is about. A text holding the answer need not use them: lacked, they count as held, at a reduced weight.
        lacked_form = {t for w, t in zip(question.words, question.terms) if w in GENERIC_HEADS and held.get(t, 0.0) < HELD}
        held.update({t: 1.0 for t in lacked_form})
        weight = {t: specificity(w) ** SPECIFICITY_POWER * (FORM_WORD_WEIGHT if t in lacked_form else 1.0)
                  for w, t in zip(question.words, question.terms)}
        for left, right in question.alternatives:  # "A or B": the side the text holds better is the question
            worse = min((left, right), key=lambda side: sum(held.get(t, 0.0) for t in side) / len(side))
            for t in worse - (left & right):
                weight[t] = 0.0
        named = {w.lower() for name in question.names for w in name.split()}  # whom it asks about, not what
        about = {t: weight[t] * (NAME_WEIGHT if w in named else 1.0) for w, t in zip(question.words, question.terms)}
        lacking = tuple(dict.fromkeys(question.as_typed(w) for w, t in zip(question.words, question.terms)  # "came"
                                      if weight[t] and held.get(t, 0.0) < HELD and w not in LIGHT_VERBS))  # names nothing
        if other_time := self._other_time(question, paragraph):  # "what did she do *before*"
            lacking = (other_time.group(0), *lacking)
        holds = not other_time and self._holds_asked(question, key, paragraph, held) and self._said_by_asked(question, key)
        return Support(_lacked(question.terms, weight, held), _lacked(question.terms, about, held), lacking, holds)

    def _names(self, key: tuple[str, int], paragraph: str, thing: str) -> bool:
        """The paragraph (`key`, its text) names the thing, called by the asker's word or by its own for it ("the
        journalist": "reporter Zhang Qin")."""
        words_there = self.paragraph_words[key]
        close = self.similarity([thing], words_there)[0] if words_there else ()
        return names_it(paragraph, thing, [w for w, c in zip(words_there, close) if c >= SYNONYM_HIGH])

    def _said_by_asked(self, question: Question, key: tuple[str, int]) -> bool:
        """"What did li say about beijing": what a paragraph carrying someone else's words says is no answer. The
        people spoken of are not the speaker: "what did yang say about li bohu" needs *her* words."""
        asked = {w for w, t in zip(question.words, question.terms) if w in self.people and t not in question.topic}
        return not (question.topic and asked) or bool(asked & self.speakers[key])

    def _holds_head(self, question: Question, key: tuple[str, int], paragraph: str, held: dict[str, float]) -> bool:
        """The word naming what is asked for is there, and names one when one is asked for."""
        head = question.head or ""
        if held.get(question.terms[question.words.index(head)], 0.0) < HEAD_HELD:
            return False
        if question.focus not in (Focus.PERSON, Focus.NUMBER) and only_unnamed(paragraph, head) \
                and not names_it(paragraph, head):
            return False  # "which newspaper?" is not answered by "our newspaper"; "his speech titled "..."" names it
        if question.focus not in (Focus.PERSON, Focus.NUMBER) and WHICH_ONES_ASKED.search(question.text) \
                and looks_plural(head) and not _names_several(paragraph, head):
            return False  # "which standards will beijing use?": not "insist on standards to lead"; "which factories": none
        role = _role_asked(question)  # "who were the foreign academicians?": not "Chinese and foreign academicians ..."
        return role is None or (self._names(key, paragraph, head) and all(
            t in self.paragraph_terms[key] for w, t in zip(question.words, question.terms) if w in role))

    def _holds_asked(self, question: Question, key: tuple[str, int], paragraph: str, held: dict[str, float]) -> bool:
        """The paragraph has the kind of thing asked for, the word naming it, a name when one is asked, and the
        ordinal asked about."""
        if not self.holds_focus(question, paragraph):
            return False
        if question.head in question.words and not self._holds_head(question, key, paragraph, held):
            return False
        if question.name_of and not (self._names(key, paragraph, question.name_of)  # "what are the zones called?"
                                     and set(_qualifiers(question, question.name_of)) <= self.paragraph_terms[key]):
            return False  # "the names of the *foreign* academicians": not a paragraph naming a Chinese one
        if question.deed in question.words and held.get(question.terms[question.words.index(question.deed)], 0.0) < HELD:
            return False  # "why was the forum postponed": not answered by the paragraph where it kicked off
        if not _defines(paragraph, question.defines):  # "what does X mean": X used is not X explained
            return False
        if any(held.get(stem(owner), 0.0) < HELD for owner in question.owners):
            return False  # "shanghai's industrial internet" is not "Beijing's Industrial Internet"
        if question.topic:  # "what did li say about ai chips": the text must be about them
            weights = {t: specificity(w) for w, t in zip(question.words, question.terms) if t in question.topic}
            total = sum(weights.values())
            if total and sum(w * held.get(t, 0.0) for t, w in weights.items()) < TOPIC_HELD * total:
                return False
        if not question.ordinal:
            return True
        counted = re.search(rf"\b{question.ordinal}\s+([a-z]+)", question.text)  # "the first *step*": steps
        counted_term = stem(counted.group(1)) if counted and counted.group(1) in question.words else None
        return bool(re.search(rf"\b{question.ordinal}\b", paragraph, re.I)) \
            and (counted_term is None or held.get(counted_term, 0.0) >= HELD)

    # -- answering -----------------------------------------------------------------------
    def answer(self, question: Question, retrieval: Retrieval,
               cited_before: frozenset[tuple[str, int]] = frozenset()) -> Answer:
        """The answer from the closest paragraphs that hold what is asked, or what the article doesn't say;
        `cited_before`: the (document, paragraph) pairs the turn before cited, which a follow-up prefers."""
        confidence = self.confidence(retrieval)
        on_topic = confidence >= self.calibration.threshold
        if (settled := self._settled(question, retrieval, confidence, on_topic)) is not None:
            return settled
        if not retrieval.hits or (not question.about_document and not on_topic) \
                or (question.words and not any(map(specificity, question.words))) or ARITHMETIC.search(question.raw):
            return self._abstain(question, confidence)  # "what's 2+2", "what is 2 plus 2": sums no article answers
        groups = retrieval.by_paragraph()
        if question.paragraph is not None:  # "what does paragraph 2 say about li": that paragraph, or what it lacks
            doc = self._asked_document(retrieval)
            asked = (doc.id, _place(question, doc))
            groups = [g for g in groups if (g[0].passage.doc, g[0].passage.paragraph) == asked] or groups
        candidates, supports = self._candidates(question, groups)
        other_gender = [not self._of_asked_gender(question, g) and not self._byline_asked(question, g) for g in candidates]
        reasons = [self._gives_reason(question, g) for g in candidates]
        sayings = [self._reports_saying(question, g) for g in candidates]
        states = [self._tells_state(question, g) for g in candidates]
        futures = [self._tells_future(question, g) for g in candidates]
        says_what = [_says_what_it_is(self._text(g), question.described) for g in candidates]
        fullest = min((s.unsupported for s in supports), default=1.0)
        def score(group: list[Hit], support: Support) -> float:
            """A paragraph the turn before cited is where a follow-up stays, if it holds as much of it as any other."""
            stays = (group[0].passage.doc, group[0].passage.paragraph) in cited_before and support.unsupported <= fullest
            return group[0].score + CONTINUITY * stays

        order = sorted(range(len(candidates)), key=lambda i: (
            not (supports[i].focus_found and supports[i].unsupported <= fullest + FOCUS_MARGIN), other_gender[i],
            supports[i].unsupported > self.calibration.unsupported, not reasons[i], not sayings[i], not states[i],
            not futures[i], not says_what[i],
            -(score(candidates[i], supports[i]) - SUPPORT_WEIGHT * supports[i].unsupported)))
        best, support = candidates[order[0]], supports[order[0]]
        citation, shown = self._cite(1, best, question, retrieval)
        if not self.holds_focus(question, citation.quote) or not self._deed_quoted(question, citation.quote) \
                or not _defines(citation.quote, question.defines) \
                or (WHY_ASKED.search(question.text) and not reasons[order[0]]):
            support = replace(support, focus_found=False)  # the number, date, deed, definition or reason must be there
        if question.unknown or not support.focus_found or support.unsupported_asked > self.calibration.unsupported \
                or self._nothing_asked_held(question, support) or _undetailed(question, citation.text):
            return self._not_in_article(question, support, citation, confidence)
        citations = [citation]
        answer = f"{shown} [1]"
        by_the_byline = self._byline_asked(question, best)
        for i in order[1:] if not by_the_byline else ():  # "who's the reporter": the byline, not the report too
            group, other = candidates[i], supports[i]
            if not (len(citations) < self.max_citations and other.focus_found and other.unsupported <= support.unsupported
                    and reasons[i] >= reasons[order[0]]  # a "why" answered with a reason cites none without one
                    and sayings[i] >= sayings[order[0]]  # nor "what did she say" a paragraph where no one says it
                    and states[i] >= states[order[0]]  # nor "how is it doing" one telling nothing it has become
                    and futures[i] >= futures[order[0]]  # nor "what's next" one telling nothing to come
                    and other_gender[i] <= other_gender[order[0]]):  # nor a question about her one about him
                continue
            extra, shown = self._cite(len(citations) + 1, group, question, retrieval)
            if (score(group, other) >= SECOND_PARAGRAPH * score(best, support)
                    or self._someone_else(question, citations, extra.quote)):
                citations.append(extra)
                answer += f" {shown} [{extra.n}]"
        if WHO_SAID_IT.search(question.text) and not any(self.people & set(words(c.quote)) for c in citations):
            answer = self._with_speaker(question, answer, citations)  # "who said X": the words alone name no one
        return Answer(question.raw, answer, False, tuple(citations), index_version=self.store.version,
                      kind=Kind.ANSWERED, top_score=round(confidence, 4))

    def _with_speaker(self, question: Question, answer: str, citations: list[Citation]) -> str:
        """The answer and, cited after it, the speaker named nearest before the words quoted."""
        shown = Answer(question.raw, answer, False, tuple(citations))
        if (said := self.speaker(question, shown)) is None or said.citations[0].quote in answer:
            return answer
        citations.append(replace(said.citations[0], n=len(citations) + 1))
        return f"{answer} {said.answer.removesuffix(' [1]')} [{len(citations)}]"

    def _nothing_asked_held(self, question: Question, support: Support) -> bool:
        """"What did yang xiuling study?": a paragraph holding her name and none of what is asked of her. Not of a
        "who": "see who is li bohu" asks who he is, whatever else it says."""
        if question.focus == Focus.PERSON:
            return False
        named = {w.lower() for name in question.names for w in name.split()} & self.people
        asked = [question.as_typed(w) for w in question.words if w not in named]
        return bool(named) and bool(asked) and all(w in support.missing for w in asked)

    def _candidates(self, question: Question, groups: list[list[Hit]]) -> tuple[list[list[Hit]], list[Support]]:
        """The paragraphs weighed for an answer, and how much of the question each holds: the closest ones, and
        when none of them has the kind of thing asked for (a deed's doer, a paragraph about "her", a reason), the
        first of the next few that has it."""
        top_score = groups[0][0].score
        candidates = [g for g in groups[:CANDIDATE_PARAGRAPHS] if g[0].score >= CANDIDATE_CUTOFF * top_score]
        if question.about_document:
            bylines = [g for g in groups if self.bylines[g[0].passage.doc] == g[0].passage.paragraph]
            candidates = (bylines[:1] + [g for g in candidates if g is not bylines[0]]) if bylines else candidates
        supports = [self.support(question, key, in_lead=self._about_asked_person(question, key))
                    for key in ((g[0].passage.doc, g[0].passage.paragraph) for g in candidates)]
        if question.focus == Focus.PERSON and question.head and not any(s.focus_found for s in supports):
            # "who spoke?": the closest paragraphs don't say who did it; read on for one that does
            further = [(g, self.support(question, (g[0].passage.doc, g[0].passage.paragraph), in_lead=True))
                       for g in groups[:DEED_SEARCH] if g not in candidates]
            found = [(g, s) for g, s in further if s.focus_found and self._deed_quoted(question, self._text(g))]
            candidates += [g for g, _ in found]
            supports += [s for _, s in found]
        for has in (self._of_asked_gender, self._gives_reason, self._tells_state, self._tells_future):
            if not any(has(question, g) for g in candidates):
                found_one = [g for g in groups[:DEED_SEARCH] if g not in candidates and has(question, g)][:1]
                candidates += found_one
                supports += [self.support(question, (g[0].passage.doc, g[0].passage.paragraph)) for g in found_one]
        return candidates, supports

    def _about_asked_person(self, question: Question, key: tuple[str, int]) -> bool:
        """A paragraph naming the person asked about: "did yang xiuling speak *at the forum*" is answered where she
        speaks, which is at the event the article's lead reports."""
        named = {stem(w.lower()) for name in question.names for w in name.split() if w.lower() in self.people}
        return bool(named) and named <= self.paragraph_terms[key]

    def _byline_asked(self, question: Question, group: list[Hit]) -> bool:
        """"How old is he?" after "who wrote this?": the byline's writer, whom no "he" or "she" names."""
        return question.about_document and self.bylines[group[0].passage.doc] == group[0].passage.paragraph

    def _of_asked_gender(self, question: Question, group: list[Hit]) -> bool:
        """"And her?" after answers about him: a paragraph that speaks of her (any paragraph, when no one is)."""
        asked = genders_of(question.text)
        return not asked or bool(genders_of(self._text(group)) & asked)

    def _tells_state(self, question: Question, group: list[Hit]) -> bool:
        """"How is beijing's industrial internet doing?": a paragraph telling what it has become or shown."""
        return not STATE_ASKED.search(question.text) or bool(STATE_TOLD.search(self._text(group)))

    def _tells_future(self, question: Question, group: list[Hit]) -> bool:
        """"What are beijing's plans going forward?": a paragraph telling what comes next (any, for other questions)."""
        return not FUTURE_ASKED.search(question.text) or bool(FUTURE_TOLD.search(self._text(group)))

    def _reports_saying(self, question: Question, group: list[Hit]) -> bool:
        """"What did the beijing official say?", "what did the academicians talk about?": a paragraph reporting someone
        saying or discussing something (any paragraph, for other questions)."""
        return not SAYING_ASKED.search(question.text) or bool(ATTRIBUTION.search(self._text(group))
                                                               or DISCUSSED.search(self._text(group)))

    def _gives_reason(self, question: Question, group: list[Hit]) -> bool:
        """"Why does it matter?": a paragraph giving a reason or a stake (any paragraph, for other questions)."""
        return question.focus != Focus.REASON or bool(REASON_MARKERS.search(self._text(group)))

    def _settled(self, question: Question, retrieval: Retrieval, confidence: float, on_topic: bool) -> Answer | None:
        """Questions answered, or declined, by what they ask rather than by weighing paragraphs: about the article
        itself, about everyone it names, about a name it never mentions, about the order of its speakers, or asking
        the bot's opinion or writing."""
        if (everyone := self._everyone(question)) is not None:
            return everyone
        if question.paragraph is not None and not set(question.terms) - SUMMARY_STEMS:
            return self._paragraph(question, retrieval)
        if question.about_document and not set(question.terms) - AUTHOR_STEMS - SUMMARY_STEMS:
            return self._about(question, retrieval)
        def closest() -> Citation | None:  # what the article does say, to point to
            return self._cite(1, retrieval.by_paragraph()[0], question, retrieval)[0] if retrieval.hits and on_topic else None

        if question.unknown and retrieval.hits:  # a name the corpus never mentions: nothing can answer it
            return self._not_in_article(question, Support(1.0, 1.0, (), False), closest(), confidence)
        if question.asks_opinion or question.asks_writing:  # "in your opinion?", "write a poem": no quote is that
            pointed = closest()
            reply = OPINION_REPLY if question.asks_opinion else WRITING_REPLY
            return Answer(question.raw, reply, True, (), index_version=self.store.version, kind=Kind.ABSTAINED,
                          top_score=round(confidence, 4), related=(pointed,) if pointed else ())
        return self._in_order(question)

    def _about(self, question: Question, retrieval: Retrieval) -> Answer:
        """"What is this article about?", "who wrote it?": the title and the opening sentences of the byline's
        paragraph, in the document the question is closest to. A news lead says what the piece is about."""
        doc = self._asked_document(retrieval)
        number = self.bylines[doc.id] or 1
        paragraph = doc.paragraphs[number - 1]
        if question.focus == Focus.PERSON and self.bylines[doc.id]:  # "who wrote it?": the byline's sentence is enough
            start, end = next((s, e) for s, e in sentence_spans(paragraph) if BYLINE.search(paragraph[s:e]))
            citation = Citation(1, doc.id, doc.title, number, paragraph[start:end], paragraph, 1.0)
            return Answer(question.raw, f"{quoted(paragraph, start, end)} [1]", False, (citation,),
                          index_version=self.store.version, kind=Kind.ANSWERED, top_score=1.0)
        citation = self._opening(doc, number)
        return Answer(question.raw, f"The article is titled “{doc.title}”. It begins: {citation.quote} [1]", False,
                      (citation,), index_version=self.store.version, kind=Kind.ANSWERED, top_score=1.0)

    def _paragraph(self, question: Question, retrieval: Retrieval) -> Answer:
        """"What's in paragraph 3?", "the last paragraph": its opening sentences, numbered as citations number
        them, in the document the question is closest to."""
        doc = self._asked_document(retrieval)
        number, count = _place(question, doc), len(doc.paragraphs)
        if not 1 <= number <= count:
            named = "The article" if len(self.store.documents) == 1 else f"“{doc.title}”"
            return Answer(question.raw, f"{named} has {count} paragraphs: ask about paragraph 1 to {count}.", True,
                          (), index_version=self.store.version, kind=Kind.ABSTAINED)
        citation = self._opening(doc, number)
        told = "reads" if citation.quote == citation.text else "begins"
        return Answer(question.raw, f"¶{number} {told}: {citation.quote} [1]", False, (citation,),
                      index_version=self.store.version, kind=Kind.ANSWERED, top_score=1.0)

    def _asked_document(self, retrieval: Retrieval) -> DocumentRecord:
        """The document "this article" means: with several, the one the question is closest to."""
        return self.store.documents[retrieval.hits[0].passage.doc] if retrieval.hits \
            else next(iter(self.store.documents.values()))

    def _opening(self, doc: DocumentRecord, number: int) -> Citation:
        """A paragraph's opening sentences, as many as a quote holds (the first one at least)."""
        paragraph = doc.paragraphs[number - 1]
        sentences = sentence_spans(paragraph)
        start = sentences[0][0]
        end = max((e for _, e in sentences if e - start <= self.max_answer_chars), default=sentences[0][1])
        return Citation(1, doc.id, doc.title, number, paragraph[start:end], paragraph, 1.0)

    def more(self, question: Question, previous: Answer, retrieval: Retrieval) -> Answer:
        """'Tell me more': carry on reading where the previous answer stopped (the next sentence, else the next
        paragraph), as a person would; never the previous answer again."""
        shown = previous.citations or previous.related
        if not shown:  # nothing was shown yet: the best passage for the earlier question
            return self.answer(question, retrieval)
        main = shown[0]  # read on from the answer itself, past anything else already shown
        doc = self.store.documents[main.doc]
        seen = [(c.paragraph, c.quote) for c in shown if c.doc == main.doc]
        number, after = main.paragraph, main.text.find(main.quote) + len(main.quote)
        while number <= len(doc.paragraphs):
            paragraph = doc.paragraphs[number - 1]
            following = [(s, e) for s, e in sentence_spans(paragraph) if s >= after
                         and not any(n == number and paragraph[s:e] in quote for n, quote in seen)
                         and (not question.more_about or set(question.more_about) & term_set(paragraph[s:e]))
                         and (question.focus != Focus.REASON or REASON_MARKERS.search(paragraph[s:e]))]  # "why?": a reason
            if following:
                start, end = with_neighbour(paragraph, *following[0], self.max_answer_chars)
                start = max(start, following[0][0])  # never step back into what was shown
                if end - start > self.max_answer_chars:
                    start, end = _clause_window(paragraph, start, end, self._weights(retrieval.terms), self.max_answer_chars)
                citation = Citation(1, doc.id, doc.title, number, paragraph[start:end], paragraph, 0.0)
                return Answer(question.raw, f"{quoted(paragraph, start, end)} [1]", False, (citation,),
                              index_version=self.store.version, kind=Kind.ANSWERED)
            number, after = number + 1, 0
        if question.more_about:  # nothing further about it: what the article says about it anywhere
            return self.answer(question, retrieval)
        return Answer(question.raw, "That is where the article ends: there is no more to tell.", True, (),
                      index_version=self.store.version, kind=Kind.ABSTAINED)

    def speaker(self, question: Question, previous: Answer) -> Answer | None:
        """"Who said that?" of a passage shown before: the sentence naming someone saying something in its
        paragraph, else in the nearest paragraph before it (a news report carries a speaker's words on over the
        paragraphs after the one that names her), said to be the nearest, not claimed to be the speaker."""
        shown = previous.citations or previous.related
        if not shown:
            return None
        doc = self.store.documents[shown[0].doc]
        for number in range(shown[0].paragraph, 0, -1):
            paragraph = doc.paragraphs[number - 1]
            for start, end in sentence_spans(paragraph):
                if ATTRIBUTION.search(paragraph[start:end]) and PERSON_NAME.search(paragraph[start:end]):
                    if end - start > self.max_answer_chars:
                        start, end = _clause_window(paragraph, start, end, self._weights(content_terms(
                            " ".join(ATTRIBUTION.findall(paragraph[start:end])))), self.max_answer_chars)
                    citation = Citation(1, doc.id, doc.title, number, paragraph[start:end], paragraph, 0.0)
                    lead = "" if number == shown[0].paragraph else NEAREST_SPEAKER
                    return Answer(question.raw, f"{lead}{quoted(paragraph, start, end)} [1]", False, (citation,),
                                  index_version=self.store.version, kind=Kind.ANSWERED)
        return None

    def _span(self, group: list[Hit], question: Question, retrieval: Retrieval) -> tuple[int, int]:
        passage, paragraph = group[0].passage, self._text(group)
        if question.about_document and self.bylines[passage.doc] == passage.paragraph:
            return next((s, e) for s, e in sentence_spans(paragraph) if BYLINE.search(paragraph[s:e]))
        weights = self._span_weights(question, retrieval)
        weights = {**self._bridged(question, (passage.doc, passage.paragraph), weights), **weights}
        head = stem(question.head) if question.head else None

        def specificity(text: str) -> float:  # rare terms covered, and the number, date or thing asked for
            found = term_set(text)
            return (coverage(tuple(weights), found, weights, 0.0) + FOCUS_BONUS * self.holds_focus(question, text)
                    + FOCUS_BONUS * (head in found))

        def needed(text: str) -> bool:  # the thing asked for; for a "why", a sentence giving a reason or aim, for a
            return self.holds_focus(question, text) and (  # "who", one naming someone
                question.focus != Focus.REASON or bool(REASON_MARKERS.search(text))) and (
                question.focus != Focus.PERSON or (bool(PERSON_NAME.search(text)) and self._deed_quoted(question, text)))

        return select_span(group, paragraph, weights, self.max_answer_chars, specificity, needed,
                           listing=question.focus == Focus.LIST)

    def _text(self, group: list[Hit]) -> str:
        """The whole paragraph a group of hits comes from."""
        passage = group[0].passage
        return self.store.documents[passage.doc].paragraphs[passage.paragraph - 1]

    def _weights(self, terms: Sequence[str]) -> dict[str, float]:
        return {t: self.idf.get(t, self.unseen_idf) for t in terms}

    def _span_weights(self, question: Question, retrieval: Retrieval) -> dict[str, float]:
        """Within a paragraph, a term is worth its rarity in the corpus times its rarity in English: of
        "what will the report help consolidate", the sentence with "consolidate" answers, not the one with "report"."""
        if not question.terms:
            return self._weights(retrieval.terms)
        weights: dict[str, float] = {}
        for word, term in zip(question.words, question.terms):
            weight = self.idf.get(term, self.unseen_idf) * specificity(word) * (NAME_IN_SPAN if word in self.names else 1.0)
            weights[term] = max(weights.get(term, 0.0), weight)
        return weights

    def _bridged(self, question: Question, key: tuple[str, int], weights: dict[str, float]) -> dict[str, float]:
        """The paragraph's own words for question words it lacks ("ecosystem building" -> "ecological
        construction"), weighted as the question's and by how close: so the span holding them is quoted."""
        present = self.paragraph_terms[key]
        missing = [(w, t) for w, t in zip(question.words, question.terms) if t not in present and t in weights]
        if not missing or not self.paragraph_words[key]:
            return {}
        candidates = self.paragraph_words[key]
        cosines = self.similarity([w for w, _ in missing], candidates)
        bridged: dict[str, float] = {}
        for (_, term), row in zip(missing, cosines):
            held = float(np.clip((row.max() - SYNONYM_LOW) / (SYNONYM_HIGH - SYNONYM_LOW), 0, 1))
            if held:
                closest = stem(candidates[int(row.argmax())])
                bridged[closest] = max(bridged.get(closest, 0.0), BRIDGE_WEIGHT * weights[term] * held)
        return bridged

    def _cite(self, n: int, group: list[Hit], question: Question, retrieval: Retrieval) -> tuple[Citation, str]:
        """The citation of a group's best span, and the span as the answer shows it (with its ellipses)."""
        passage, paragraph = group[0].passage, self._text(group)
        doc = self.store.documents[passage.doc]
        start, end = self._span(group, question, retrieval)
        citation = Citation(n, doc.id, doc.title, passage.paragraph, paragraph[start:end], paragraph, round(group[0].score, 4))
        return citation, quoted(paragraph, start, end)

    def _not_in_article(self, question: Question, support: Support, related: Citation | None,
                        confidence: float) -> Answer:
        """The topic is covered but not the fact asked for: say what is missing, point to what is there."""
        if related is None:  # a name the corpus never mentions, and nothing close to the question either
            return Answer(question.raw, f"The article doesn't mention {_listing(question.unknown)}. {self._can_answer()}",
                          True, (), index_version=self.store.version, kind=Kind.ABSTAINED, top_score=round(confidence, 4))
        text = f"The article {self._missing(question, support, related)}. " \
               f"The closest it comes is ¶{related.paragraph}: “{pointed(related)}”"
        return Answer(question.raw, text, True, (), index_version=self.store.version, kind=Kind.ABSTAINED,
                      top_score=round(confidence, 4), related=(related,))

    def _other_time(self, question: Question, text: str) -> re.Match | None:
        """What a question asks of another time than the text tells of: "before she became ...", "next year" (a text
        speaking of no other time); "the next edition" (a text not speaking of that one). "Before Yang" is an order."""
        if (edition := OTHER_EDITION.search(question.text)) and edition.group(0).lower() not in text.lower():
            return edition
        asked = OTHER_TIME.search(question.text)
        following = question.text[asked.end():].split()[:1] if asked else []
        if not asked or (following and following[0] in self.names) or TIME_TOLD.search(text):
            return None
        return asked

    def _missing(self, question: Question, support: Support, related: Citation) -> str:
        """What the article doesn't say, in the asker's own words."""
        if question.unknown:
            return f"doesn't mention {_listing(question.unknown)}"
        if thing := _undetailed(question, related.text):
            return f"doesn't say what the “{thing}” are, only what they are for"
        if question.name_of and not self._names((related.doc, related.paragraph), related.text, question.name_of):
            return f"doesn't name the “{question.name_of}”"
        if other_time := self._other_time(question, related.text):
            return f"doesn't say anything about “{other_time.group(0)}”"  # not "which job": it names her job, now
        if question.defines and not _defines(related.quote, question.defines):
            return f"doesn't say what “{' '.join(question.defines)}” means"
        if not support.focus_found and question.deed and question.as_typed(question.deed) in support.missing:
            return self._missing_words(question, [question.as_typed(question.deed)], related)
        if question.ordinal and not support.focus_found and not re.search(rf"\b{question.ordinal}\b", related.text, re.I):
            return f"doesn't say what the {question.ordinal} one is"
        if not support.focus_found and question.focus in (Focus.NUMBER, Focus.DATE):
            kind = MEASURE_NAMES.get(question.measure or "", "a number" if question.focus == Focus.NUMBER else "a date")
            asked = [w for w in support.missing  # not "for “old”"
                     if w not in MEASURE_WORDS and question.measure not in DATE_MEASURES]
            return f"doesn't give {kind}" + (f" for {_listing(asked)}" if asked else "")
        if not support.focus_found and question.head:  # "who *moderated*", "which *university*"
            return _head_missing(question, question.head)
        if not support.focus_found and question.focus in ASKED_AS:  # "where was it held?"
            return f"doesn't say {ASKED_AS[question.focus]}"
        if support.missing:
            return self._missing_words(question, support.missing, related)
        return f"doesn't say {ASKED_AS.get(question.focus, 'that')}"  # "who came up with it?"

    def _missing_words(self, question: Question, missing: Sequence[str], related: Citation) -> str:
        """The words the closest paragraph lacks, said missing from the article only if no paragraph uses them."""
        elsewhere = self._elsewhere(question, missing, related)
        if absent := [w for w in missing if w not in elsewhere]:
            return f"doesn't say anything about {_listing(absent)}"
        places = ", ".join(f"¶{n}" for n in sorted({n for found in elsewhere.values() for n in found}))
        return f"doesn't say that: it speaks of {_listing(missing, 'and')} in {places}"

    def _elsewhere(self, question: Question, missing: Sequence[str], related: Citation) -> dict[str, list[int]]:
        """The other paragraphs of the document that use each word the closest one lacks: "did li bohu release the
        report?" is not about something the article never mentions, only not in the paragraph about him."""
        doc = self.store.documents[related.doc]
        found: dict[str, set[int]] = {}
        for w, t in zip(question.words, question.terms):
            if (typed := question.as_typed(w)) in missing:
                numbers = {n for n, paragraph in enumerate(doc.paragraphs, 1) if n != related.paragraph  # names too
                           and any(stem(u) == t and not _doer(u, w) for u in set(words(paragraph)))}
                found[typed] = found.get(typed, numbers) & numbers  # "ai": "artificial" and "intelligence" both
        return {typed: sorted(numbers) for typed, numbers in found.items() if numbers}

    def _abstain(self, question: Question, confidence: float) -> Answer:
        return replace(self.reply(question.raw, Kind.ABSTAINED), top_score=round(confidence, 4))
