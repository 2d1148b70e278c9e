"""Question analysis: one value, computed once, that retrieval, span selection and verification share.

Community members type fast: "whats li's talk about lol", "acadmicians", "the lady from the gov". The
analysis turns that into clean text to embed and search, the content terms that must be found in the
cited text, what kind of thing is asked for (the focus), the names it mentions, its language, and whether
it leans on earlier turns. Nothing here knows a particular document: the corpus vocabulary is passed in.
"""
from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from bot.text import STOPWORDS, WORD, content_terms, stem, words


class Focus(str, Enum):
    """What kind of thing the question asks for: the cited text must hold one."""

    PERSON = "person"
    NUMBER = "number"
    DATE = "date"
    PLACE = "place"
    REASON = "reason"
    LIST = "list"
    YES_NO = "yes/no"
    THING = "thing"


# General chat shorthand (not any document's words): expanded so the terms match written text.
SHORTHAND = {
    "thru": "through", "tryna": "trying to", "gotta": "got to", "wat": "what", "wut": "what", "wht": "what",
    "wats": "what is", "waht": "what", "teh": "the", "hte": "the", "adn": "and", "taht": "that",
    "whats": "what is", "what's": "what is", "whos": "who is", "who's": "who is", "wheres": "where is",
    "hows": "how is", "whens": "when is", "isnt": "is not", "doesnt": "does not", "didnt": "did not",
    "r": "are", "u": "you", "ur": "your", "ppl": "people", "yr": "year", "yrs": "years", "govt": "government",
    "gov": "government", "w": "with", "n": "and", "bc": "because", "cuz": "because", "coz": "because",
    "acc": "according", "abt": "about", "bout": "about", "wanna": "want to", "gonna": "going to",
    "info": "information", "tech": "technology", "techs": "technologies", "sci": "science", "recs": "recommendations",
    "rec": "recommendation", "demo": "demonstration", "execs": "executives", "exec": "executive", "org": "organisation",
    "dept": "department", "intl": "international", "natl": "national", "mgmt": "management", "q": "question",
    "pic": "picture", "dev": "development", "ai": "artificial intelligence", "1st": "first", "2nd": "second", "3rd": "third",
    "journo": "journalist", "journos": "journalists", "uni": "university", "prof": "professor", "biz": "business",
    "econ": "economy", "mfg": "manufacturing", "conf": "conference", "convo": "conversation", "yday": "yesterday",
    "b4": "before", "approx": "approximately",
}
# Chatter that carries no question: greetings, thanks, apologies, hedges, laughter.
CHATTER = frozenset("""
hi hey hello yo hiya howdy all guys folks everyone thx thanks thank ty pls plz please sorry apologies lol lmao
haha tbh imo imho ngl btw fyi ok okay so well um uh hmm quick wait just actually genuinely really basically exactly
literally like kinda sorta nah yeah yep yup bro dude mate friend question silly dumb obvious stupid pretty anyway
fr rn ngl tl dr smh kindly hoping wondering grateful appreciate appreciated advance apologies forgive curious
even anyways roughly approximately etc ish tho tf wtf af lowkey eli5
""".split())
_CHATTER_CLAUSE = re.compile(
    r"^(hi|hey|hello|yo|good (morning|afternoon|evening|day)|greetings|sorry|apologies|thanks(?! to)|thank you|thx|ty|"
    r"just (trying|wondering|curious|checking)|"
    r"(a |one |another |totally |slightly )?(diff|different|new|other|unrelated|random|separate|side|last) (question|q|topic)|"
    r"genuinely|honestly|quick (one|q|question)|no idea|i (can't|cannot|couldn't) tell|lol|pls|please|idk|"
    r"(i'm|im|i am) (confused|curious|wondering|not sure|new here)|if (that|this) makes sense|"
    r"(sorry )?if (this|that|thats|that's|it's|its) (is )?(a )?(obvious|silly|dumb|stupid)|"
    r"(any )?help (would be |is )?(much |greatly |really )?appreciated)\b", re.I)
# "sorry to bother, i'm confused, what does it say ...": the question after the chatter, in the same clause.
_ASKED_AFTER_COMMA = re.compile(r",\s+(?=(what|which|who|whom|whose|when|where|why|how|is|are|was|were|does|do|did|can|"
                                r"could|will|would)\b)", re.I)


def _asked_after_chatter(clause: str) -> str:
    asked = _ASKED_AFTER_COMMA.search(clause)
    return clause[asked.end():] if asked and _CHATTER_CLAUSE.match(clause.lower().strip(" ,.!?")) else clause


# Polite lead-ins before the question itself: "I was hoping someone might kindly let me know who ...".
_LEAD_IN = re.compile(
    r"^.*?\b(i was (just )?(hoping|wondering)( if| whether)?( (someone|anyone|somebody|you) (might|could|would|can))?"
    r"( (kindly|please))?( (tell|let) me( know)?| explain)?|(could|can|would|might) (anyone|someone|somebody|you)"
    r"( (here|please|kindly))*( (tell|let) me( know)?| explain( to me)?| list| clarify| confirm| say)|"
    r"i'd (like|love) to know|i'd be (most |very |really )?grateful (for|if)( (someone|anyone|you) (could|would))?|"
    r"(does|do|would) (anyone|someone|somebody|you)( here)?( happen to)? know( if| whether)?|please (tell|let) me( know)?|"
    r"i'm (curious|wondering)( about)?|wh?at(?:'s|s| is) the (word|deal|scoop|lowdown|story) (on|with))\b\s*", re.I)
# The bot addressed by name before the question: "hey bot, did anyone ...".
_VOCATIVE = re.compile(r"^\W*(?:(?:hi|hey|hello|yo|oi|ok|okay|so)\W+)*(?:bot|forumbot)\b[\s,:!-]*", re.I)
_CLAUSES = re.compile(r"(?<=[.!?;])\s+|,\s+(?=(?:but|so|and|just|sorry|thx|thanks|pls|genuinely)\b)|\s+[-–—]\s+|"
                      r"\s+but\s+(?=\w)", re.I)
# Words that say how to answer, not what about: "what does it *say* about", "describe *exactly*".
DISCOURSE = frozenset("""
say says said saying mention mentions mentioned mentioning talk talks talked talking describe describes described
explain explains explained call calls called mean means meant thing things stuff part bit anything something
exactly actually specifically mostly main mainly basically supposed whole overall kind sort type way get got
know tell told think thought seem seems look looks want wanted make makes made give gives gave name named
article articles piece story post writeup mentioned anyone able regarding claim claims claimed point pointed
argue argues argued state states stated one ones first second third fourth fifth someone
happen happens happened happening occur occurs occurred doing done
list enumerate full real concrete particular individual plain simple brief rough again
summarize summarise summarizing summarising recap paraphrase
""".split())  # "the second one" names nothing: its ordinal is kept apart (Question.ordinal); "the *full* name",
# "*real* world examples", "*concrete* actions": hedges on the thing asked, not things of their own
# Heads that name no particular thing: "which 3 *things*", "what *kind* of ...": no focus word to look for.
GENERIC_HEADS = frozenset("""thing things stuff kind kinds type types sort sorts part parts one ones bit way ways aspect aspects
point points area areas item items topic topics detail details info information fact facts example examples
purpose reason role roles position context deal idea meaning significance goal goals aim focus summary gist overview
section sections content contents level else
takeaway takeaways rundown breakdown outline title titles progress status state situation event events
trend trends shift shifts
""".split())
_AUXILIARY = frozenset("""is are was were be been get gets got do does did has have had can could will would should shall
may might must am it its he she they this that these those there the a an of to in on at for about""".split())
_HEAD = re.compile(r"\b(?:which|what|how many|how much)\s+((?:[a-z0-9'-]+\s+){0,3}?[a-z0-9'-]+)"
                   r"(?=\s+(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|of|in|on|at|for|from|"
                   r"that|the|to|he|she|they|it)\b|\s*$)", re.I)
_REQUEST_VERBS = r"(?:share|give|send|post|provide|link|show|tell)"  # what a request asks someone to do
# A request put as a question: "could someone kindly share ...", "can u give me ...".
_ASKED_OF_SOMEONE = re.compile(r"^(?:could|can|would|will) (?:someone|somebody|anyone|anybody|you|u|ya)"
                               rf"(?: please| pls| kindly)? (?={_REQUEST_VERBS}\b)", re.I)
# The thing a request asks for: "(could someone) share the (official) *website* of ...", "give me the *email* for ...";
# not a date ("give the date of the forum" asks when, which the DATE focus checks).
_REQUESTED = re.compile(r"^(?:(?:could|can|would|will) \w+ (?:please |pls |kindly )?)?(?:please |pls |kindly )?"
                        rf"{_REQUEST_VERBS}(?: me| us)? (?:the|a|an|their|its|his|her) "
                        r"((?:[a-z-]+ )?(?!(?:date|day|year|month|time)\b)[a-z-]+)(?= (?:of|for|to|from|on)\b|\W*$)", re.I)
_ASKING_TO = frozenset("name list tell give show explain pls please".split())  # what the asker asks done, after the thing
_POSSESSED = re.compile(r"\bwhat(?:'s| is| was| are| were)\s+(?:the\s+|\w+'s\s+|\w+ \w+'s\s+)((?:[a-z0-9-]+\s+){0,2}?[a-z0-9-]+)"
                        r"(?=\s+(?:of|for|in|at|on|that|i|you|and|so|but)\b|\s*$|\?)", re.I)
# A question about the document itself rather than its content.
_ABOUT_DOCUMENT = re.compile(
    r"\b(this|the) (article|piece|story|post|writeup|write-up|document)\b|\b(was|is) (this|it) (published|written)\b|"
    r"\bwho (wrote|writes|authored|reported|covered)\b|"
    r"\b(author|writer|journalist|journo|reporter|correspondent|byline|headline)\b|"
    r"\bwhat is the title\W*$|\btitle of (this|the) (article|piece|story|post|news)\b|"
    r"\b(summar(y|ise|ize)( (it|this|that))?|sum (it|this|that) up|tl ?;? ?dr|gist|in a nutshell|"
    r"(main|key) (takeaway|point)s?)\W*$", re.I)
# Who wrote something the article reports on ("who wrote the report", "the author of the study"), not the article.
_ANOTHER_WORK = re.compile(r"\b(?:wrote|writes|authored|written|author|authors|writer|writers)(?: of| by)? "
                           r"(?:the|that|its) (?!article|piece|story|post|writeup|write-up|document|news)[a-z]", re.I)
_MORE = re.compile(r"\b(tell me more|say more|more about (that|this|it)|go on|keep going|continue|elaborate|what else|"
                   r"anything else|anything more|more details?|more info)\b|^(and|why|more|details?)\W*$", re.I)
MORE_WORDS = 8  # a "tell me more" is short; a longer question with those words asks something of its own
_MORE_ABOUT = re.compile(r"\b(?:about|from|at|on|regarding|in)\s+(.+)$", re.I)  # "what else about the report"
ABOUT_PRONOUN = re.compile(r"\babout (?:him|her|it|them|that|this)\b")  # what is said about one spoken of before
PRONOUN = re.compile(r"\b(he|she|him|her|his|hers|it|its|they|them|their|that|this|those|these|there)\b", re.I)
_CONTINUATION = re.compile(r"^(and|also|so|what about|how about|and what|and who|and how|ok(ay)?( and| so)?|then|"
                           r"(in|on|at|for|from|by|with|since|until|of|about|after|before) (which|what|whom|when|where))\b",
                           re.I)  # "in which industry?" completes the question before
# "The first forum" (not "in the first place"), "the second one"; not "the other ones": the rest.
_ORDINAL = re.compile(r"\b((?<=the )first(?! (?:place|time)\b)|second|third|fourth|fifth|(?<=the )other(?! [a-z]{3,}s\b))\b",
                      re.I)


def _ordinal(text: str, alternatives: tuple[tuple[frozenset[str], frozenset[str]], ...]) -> str | None:
    """The place asked about: "the second achievement", "the first forum"; not a first offered as one of two
    ("the 1st one ever or another round?")."""
    found = _ORDINAL.search(text)
    return None if not found or (found.group(1).lower() == "first" and alternatives) else found.group(1).lower()


_POSSESSIVE = re.compile(r"['’]s$")  # "acadmician's" is corrected, matched and weighed as "acadmician"
_ABOUT_ASKER = re.compile(r"^\W*(i|i'm|im|i'd|i've|i'll|my|we|we're|hope|hoping|thanks|thank|cheers|have a)\b", re.I)
# Why the asker asks, after the question: "..., as I'm preparing a summary for my study group".
_ASKERS_REASON = re.compile(r",?\s+(as|since|because|cause|so that|so)\s+(i|i'm|im|i've|i'd|i'll|we|we're|my|our)\b.*$", re.I)
_ALTERNATIVE = re.compile(r"\bor\b", re.I)
_QUESTION_WORD = re.compile(r"\b(what|which|who|whom|whose|when|where|why|how)\b", re.I)

# "What is it meant to achieve": an aim is asked, and the doing verb only says so (the text names the aim, not
# "achieve"); a verb that says what kind of aim ("promote", "solve") is still looked for.
_PURPOSE = re.compile(r"\b(?:meant|supposed|intended|designed|hoping|aiming) to "
                      r"(?:(do|achieve|accomplish|serve|deliver)|push|promote|help|solve)\b", re.I)

# "Why does it matter": an importance asked; the text gives it ("of great significance"), not "matter".
_MATTERS = re.compile(r"\b(?:why|how)\b.*\b(matters?|mattered)\b", re.I)


def _asking_verb(text: str) -> str:
    """The verb that only says an aim or an importance is asked, which the text need not use; "" when none."""
    found = _PURPOSE.search(text) or _MATTERS.search(text)
    return (found.group(1) or "").lower() if found else ""


# "How big a deal / role / impact": a degree, like "how much has it improved", not a number.
_DEGREE_NOUNS = "(?:deal|thing|role|part|impact|effect|influence|difference|problem|issue|factor|priority|concern)"
_FOCUS_PATTERNS: list[tuple[Focus, re.Pattern]] = [
    # "How much did it cost" asks for a number (see MEASURES); "how much has it improved", "how big a deal" a degree.
    (Focus.NUMBER, re.compile(r"\bhow (many|much(?! (has|have|had|does|do|did|is|are|was|were|will|can|would)\b)|"
                              rf"old|long|often|far|(?:big|large)(?! (?:of )?an? {_DEGREE_NOUNS}\b)|tall)\b|"
                              r"\bwhat (percentage|percent|number|amount|age|size)\b", re.I)),
    (Focus.DATE, re.compile(r"^\s*when\b(?! (?:it|they|he|she|you|the article) "
                            r"(?:says?|said|mentions?|talks?|refers?|writes?)\b)|"
                            r"\bwhen (was|is|did|does|will|were)\b|\b(what|which) (year|date|day|month|time)\b|"
                            r"\bwhat yr\b", re.I)),
    # "where is cloudification mentioned": a place in the text, which the passage quoted is; not a place in the world
    (Focus.THING, re.compile(r"^\s*where\b.*\b(?:mentioned|discussed|talked about|brought up|covered|referenced|"
                             r"comes? up|appears?|in the (?:article|text|story|piece))\b", re.I)),
    (Focus.PLACE, re.compile(r"^\s*where\b|\bwhere (was|is|did|does|will|were)\b|"
                             r"\b(which|what) (venue|hall|city|country|countries|district|place|location|building|room|"
                             r"province)\b", re.I)),
    (Focus.PERSON, re.compile(r"^\s*(who|whom|whose)\b|\bwho('s| is| was| are| were| did| gave| said| spoke| claims| wrote)\b|"
                              r"\b(which|what) (person|people|speaker|speakers|official|officials|expert|experts|name)\b", re.I)),
    (Focus.REASON, re.compile(r"^\s*why\b|\bwhy (is|was|does|did|do|are|were)\b|\bwhat (is|was) the (reason|point|purpose)\b|"
                              r"\bhow come\b|"  # a purpose: "what's it for (like)?", "what is it meant to do"
                              r"\bwhat(?:'s| is| was| are| were) (?:\w+ ){1,4}?for\b(?!\s+(?!like\b)\w)|"
                              r"\bwhat\b.*" + _PURPOSE.pattern, re.I)),
    (Focus.LIST, re.compile(r"\b(list|which|what) (\w+ )?(things|areas|fields|parts|aspects|points|types|kinds|items|topics|"
                            r"sections)\b|\blist\b|\bwhat (\d|two|three|four|five) \w+", re.I)),
    (Focus.YES_NO, re.compile(r"^\s*(is|are|was|were|does|do|did|has|have|had|can|could|will|would|should)\b", re.I)),
]
_LEADING_CHATTER = re.compile(rf"^(?:(?:{'|'.join(sorted(CHATTER | {'and', 'but', 'then', 'also'}, key=len, reverse=True))})"
                              r"\b[\s,.!?-]*)+", re.I)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# A name in characters is two or more of them: one alone is as often part of a word (文章, "article", reads
# "zhang", as does the surname of Zhang Qin).
MIN_SYLLABLES = 2
MAX_EDITS = 2  # the most a typo is corrected by
COMPOUND_PART = 4  # letters each half of a run-together word needs ("life|cycle" yes, "ten|cent" no)
TWO_EDITS_LENGTH = 8  # shorter words two edits from a corpus word are as often other words ("tencent" -> "recent")
MIN_UNKNOWN_WORD = 3  # a lower-case pair of letters no dictionary knows ("rm", "rf") is noise more often than a name
MIN_SPELL_LENGTH = 4  # shorter words are too often real words in some sense; correcting them does more harm
CORRECTIONS_CACHED = 65536  # distinct words whose correction an analyser keeps (a few MB at most)


@dataclass(frozen=True)
class Question:
    raw: str
    text: str  # cleaned and corrected: what is embedded and searched
    terms: tuple[str, ...]  # stemmed content terms the cited text should hold
    words: tuple[str, ...] = ()  # the same terms as typed (lower case), for similarity to corpus words
    focus: Focus = Focus.THING
    alternatives: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()  # "A or B": one side is enough
    names: tuple[str, ...] = ()  # corpus names recognised (surface form), in any script
    unknown: tuple[str, ...] = ()  # words that look like names the corpus never mentions
    language: str = "en"  # "en", "zh" or "other"
    refers_back: bool = False  # leans on earlier turns ("what did she say next?", "anything more specific?")
    wants_more: bool = False  # "tell me more", "what else": carry on reading
    more_about: tuple[str, ...] = ()  # "anything else from the forum?": read on to what speaks of these terms
    about_document: bool = False  # "who wrote this?"
    paragraph: int | None = None  # "what's in paragraph 3": the paragraph asked for (LAST_PARAGRAPH: the last one)
    ordinal: str | None = None  # "the second achievement"
    head: str | None = None  # the word naming what is asked for: "which *university* ...", "what's her *email*"
    measure: str | None = None  # what kind of number: "age", "money", "duration", "percent" (None: any count)
    name_of: str | None = None  # the thing whose name is asked: "what's the *newspaper* called", "names of the zones"
    topic: tuple[str, ...] = ()  # the terms of what something is said about: "what did li say about *ai chips*"
    asks_opinion: bool = False  # "in your opinion", "do you think": the bot's view, which it doesn't give
    asks_writing: bool = False  # "write me a poem about it": text of the bot's own, which it doesn't write
    asks_speaker: bool = False  # "who said that?": whose words the passage shown before reports
    defines: tuple[str, ...] = ()  # "what does X mean": X's words, which the text must define, not only use
    described: tuple[str, ...] = ()  # "what is X": X's words, best answered where the text says what X is
    typed: tuple[tuple[str, str], ...] = ()  # (corrected, as typed) for the words spelling correction changed
    owners: tuple[str, ...] = ()  # words typed as possessors: "*shanghai's* industrial internet"
    deed: str | None = None  # what a why/when question says happened, in no word of the corpus: "why was it *postponed*"

    def as_typed(self, word: str) -> str:
        """A word as the asker typed it: a reply says the article doesn't mention "covid", not "covin"."""
        return dict(self.typed).get(word, word)


@lru_cache(maxsize=1)
def _english():
    """A general English word list (pyspellchecker's), loaded once: tells a typo from a real word."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


COMMON_RARITY, RARE_RARITY = 5.0, 12.0  # log inverse frequency in English: "the" ~3, "need" ~6, "university" ~11


@lru_cache(maxsize=65536)
def specificity(word: str) -> float:
    """How much a word narrows a question, from 0.1 (everyday words) to 1 (rare words, names, typos).

    General English frequency, not the corpus: "need", "good" or "time" say little about what is asked,
    "university" or "venue" say a lot. Small numbers ("what 3 things") only restate a list's length."""
    if word.isdigit():
        return 1.0 if len(word) == 4 else 0.0
    frequency = _english().word_frequency
    rarity = math.log(frequency.total_words / (frequency[word] + 1))
    return min(1.0, max(0.1, (rarity - COMMON_RARITY) / (RARE_RARITY - COMMON_RARITY)))


def _edits1(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters} | {a + c + b for a, b in splits for c in letters})


def _deletions(word: str) -> set[str]:
    """The word and each string one deletion away: two strings one edit apart always share one of these."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


class Analyser:
    """Knows the corpus vocabulary (surface words and names); turns raw text into a Question."""

    def __init__(self, paragraphs: Iterable[str]):
        texts = list(paragraphs)
        self.surface = frozenset(w for t in texts for w in words(t))
        self.stems = frozenset(stem(w) for w in self.surface)
        self.capitalised = _capitalised_runs(texts)  # "libohu" -> "Li Bohu", "beijing" -> "Beijing"
        english = _english()
        self.names = {key: surface for key, surface in self.capitalised.items()
                      if any(w not in english for w in words(surface))}  # proper names, not "Forum" or "Report"
        self.abbreviations = _abbreviations(texts)
        self.proper = proper_nouns(texts)
        self.longest = max(map(len, self.surface), default=0)
        # Corpus words and their stems by their one-deletion forms, for _two_edits: "reccomend" is two edits from
        # "recommend", the stem of the corpus's "recommendations", and from no corpus word.
        self._by_deletion: dict[str, set[str]] = {}
        for word in self.surface | self.stems:
            for form in _deletions(word):
                self._by_deletion.setdefault(form, set()).add(word)
        self.correct = lru_cache(maxsize=CORRECTIONS_CACHED)(self._correct)  # users repeat words; a long unknown one costs ms

    # -- words ---------------------------------------------------------------------------------
    def _correct(self, word: str) -> str:
        """A word neither the corpus nor English knows, mapped to the corpus word one or two edits away."""
        if (word in self.surface or not word.isalpha() or len(word) < MIN_SPELL_LENGTH
                or len(word) > self.longest + MAX_EDITS or stem(word) in self.stems):
            return word  # a corpus word is at most two edits, so two letters, from a word it corrects
        english = _english()
        if word in english:
            return next((v for v in _spelling_variants(word) if v in self.surface), word)  # "practise": "practice"
        near = _edits1(word)
        in_corpus = sorted(near & self.surface)
        if not in_corpus and len(word) >= TWO_EDITS_LENGTH:
            in_corpus = sorted(self._two_edits(near))
        in_corpus = [w for w in in_corpus if w[0] == word[0]]  # a typo rarely hits the first letter; "zhang" is no "hang"
        if in_corpus:
            return in_corpus[0]
        in_english = [w for w in english.known(near) if w[0] == word[0]]
        if in_english:
            return max(in_english, key=english.word_usage_frequency)
        return self._compound(word) or word

    def _two_edits(self, near: set[str]) -> set[str]:
        """Corpus words one edit from a word in `near`: only those sharing a one-deletion form with it can be,
        so a few are checked instead of spelling out every second edit (~250,000 strings for a 9-letter word)."""
        found: set[str] = set()
        for w1 in near:
            sharing = {w2 for form in _deletions(w1) for w2 in self._by_deletion.get(form, ())}
            if sharing:
                found |= sharing & _edits1(w1)
        return found

    @staticmethod
    def _compound(word: str) -> str | None:
        """'lifecycle' -> 'life cycle', 'cybersecurity' -> 'cyber security': two words the dictionary knows.
        Both halves must be long enough that a name like "tencent" is not read as "ten cent"."""
        english = _english()
        for cut in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1):
            if word[:cut] in english and word[cut:] in english:
                return f"{word[:cut]} {word[cut:]}"
        return None

    def _spelled_out(self, word: str) -> str:
        """An abbreviation of a corpus name, written out ("zgc" -> "zhongguancun"), a name typed as one word
        split as the corpus writes it ("libohu" -> "li bohu"); any other word as it is."""
        if word in self.surface or word in _english():
            return word
        if word in self.abbreviations:
            return self.abbreviations[word].lower()
        return self.capitalised.get(word, word).lower()

    def _deed(self, text: str) -> str | None:
        """"Why was the forum *postponed*", "what time did it *end*": the verb after the subject of a why/when
        question, when the corpus never uses it. A premise the article doesn't hold is not answered by the
        paragraph about the subject. A verb the corpus uses is checked like any other word."""
        asked = _DEED_ASKED.search(text)
        if not asked:
            return None
        name_words = {w.lower() for name in self.names.values() for w in name.split()}
        for w in asked.group(2).split():
            if w in _DETERMINERS or w in name_words or self._known(w):  # the subject, or a deed the corpus has
                continue
            passive = asked.group(1) in _BE
            if w in STOPWORDS | DISCOURSE | CHATTER | LIGHT_VERBS | _AUXILIARY or (passive and not w.endswith("ed")) \
                    or specificity(w) < DEED_SPECIFICITY:
                return None  # "when did it take place", "why is beijing keen", "why does it need ...": no deed
            return w
        return None

    def _known(self, word: str) -> bool:
        return word in self.surface or stem(word) in self.stems

    # -- the analysis ---------------------------------------------------------------------------
    def analyse(self, raw: str) -> Question:
        language = _language(raw)
        if language != "en":
            return Question(raw, raw, (), language=language,
                            names=self._names_in_script(raw) if language == "zh" else self._names_in(raw.lower()))
        core = self._core(raw)
        typed = [SHORTHAND.get(t.lower()) or SHORTHAND.get(_POSSESSIVE.sub("", t.lower()), t.lower())  # "yr's"
                 for t in WORD.findall(core)]
        tokens = [_POSSESSIVE.sub("", t) for t in typed]
        expanded = _join_split_names(" ".join(self._spelled_out(t) for t in tokens), self.stems)
        names = {t.lower() for t in WORD.findall(core)[1:] if t[0].isupper() and not core.isupper()}  # never "corrected"
        corrected = {w: w if w in names or w in CHATTER else self.correct(w) for w in expanded.split()}  # not "lmao" -> "lao"
        text = " ".join(corrected[w] for w in expanded.split())
        asking = _asking_verb(text)
        spoken = _spoken_deed(text)
        content = [w for w in words(text) if w not in STOPWORDS and w not in CHATTER
                   and (w not in DISCOURSE or w == spoken) and (len(w) > 1 or w.isdigit()) and w != asking]
        kept = set(text.split())  # a part of a name typed apart ("xiu" in "yang xiu ling") was joined away
        alternatives = _alternatives(text)
        unknown = tuple(w for w in self._name_like(core) if w.lower() in kept and not self._known(w.lower())
                        and not self._other_side_known(stem(w.lower()), alternatives))
        about_document = bool(_ABOUT_DOCUMENT.search(text)) and not _ANOTHER_WORK.search(text)
        if placed := _PARAGRAPH_ASKED.search(core):  # "what does paragraph 3 say": the place is not a topic
            content = [w for w in content if w not in words(placed.group(0)) and w not in _PARAGRAPH_WORDS]
        measure, measured = next(((kind, m.group(0)) for kind, pattern in MEASURES if (m := pattern.search(text))), (None, ""))
        own = [w for w in content if w not in words(measured)]  # "what year?" names only what it asks: a follow-up
        focus = (Focus.DATE if measure in DATE_MEASURES else Focus.NUMBER) if measure else _focus(text)
        more = self._wants_more(text)
        recognised = self._names_in(text)
        return Question(
            raw=raw, text=text, terms=tuple(stem(w) for w in content), words=tuple(content), focus=focus,
            alternatives=alternatives,
            names=recognised,
            unknown=unknown, language="en",
            refers_back=bool(PRONOUN.search(text) or _CONTINUATION.match(text) or _MORE.search(text)
                             or (not own and ("?" in raw or _QUESTION_WORD.search(text))))  # "why?", not "lol"
            and not self._has_own_subject(text) and not about_document
            or bool(placed)  # "what's in paragraph 3": of the document the talk was about
            or bool(ABOUT_PRONOUN.search(text)),  # "what did yang say about *him*": whoever has a subject of its own
            wants_more=more[0], more_about=more[1], about_document=about_document,
            paragraph=_paragraph_number(placed) if placed else None,
            ordinal=_ordinal(_PARAGRAPH_ASKED.sub(" ", text), alternatives),  # not "the *first* paragraph"
            head=_corrected_head(_head(" ".join(typed), focus, frozenset(words(" ".join(recognised)))), corrected),
            measure=measure, name_of=_name_of(text, corrected, self.proper),
            topic=tuple(content_terms(next(g for g in m.groups() if g))) if (m := _SAID_ABOUT.search(text)) else (),
            asks_opinion=bool(_OPINION.search(text)), asks_writing=bool(_WRITING.search(text)),
            asks_speaker=bool(_WHO_SAID.search(text)),
            defines=_defined_thing(text, content, self.proper), described=_what_is(text, content), deed=self._deed(text),
            owners=self._owners(typed, corrected, content, alternatives),
            typed=tuple((fixed, w) for w, fixed in corrected.items() if fixed != w)
            + tuple((w, t.lower()) for t in WORD.findall(core) if " " in (SHORTHAND.get(t.lower()) or "")
                    for w in SHORTHAND[t.lower()].split()))  # "ai", not "artificial", is what was typed

    @staticmethod
    def _owners(typed: list[str], corrected: dict[str, str], content: list[str],
                alternatives: tuple[tuple[frozenset[str], frozenset[str]], ...]) -> tuple[str, ...]:
        """Possessors named bare, by a rare word such as a name ("shanghai's industrial internet"; not "the city's
        plan", which refers to one already known, nor "today's forum" or "people's"), and not offered as
        alternatives ("li's or yang's?")."""
        offered = {t for pair in alternatives for side in pair for t in side}
        return tuple(owner for before, word in zip(["", *typed], typed) if _POSSESSIVE.search(word)
                     and before not in _DETERMINERS and (owner := corrected.get(_POSSESSIVE.sub("", word), "")) in content
                     and stem(owner) not in offered and specificity(owner) >= OWNER_SPECIFICITY)

    def _core(self, raw: str) -> str:
        """The question without greetings, apologies and thanks around it."""
        raw = _VOCATIVE.sub("", raw) or raw
        clauses = [c.strip() for c in _CLAUSES.split(raw) if c.strip()]
        kept = [_asked_after_chatter(c) for c in clauses if not _CHATTER_CLAUSE.match(c.lower().strip(" ,.!?"))
                or _ASKED_AFTER_COMMA.search(c)]
        kept = [c for c in kept if any(w.lower() not in CHATTER for w in WORD.findall(c))]
        asked = []
        for clause in kept:
            clause = _ASKERS_REASON.sub("", clause) or clause
            question = _LEAD_IN.sub("", clause)
            if question and question != clause:  # "I was wondering whether ...": the rest is the question
                asked.append(question)
            elif not (_ABOUT_ASKER.match(clause) and "?" not in clause):  # not "I'm trying to decide ..."
                asked.append(clause)
        kept = asked or kept
        return " ".join(kept) if kept else raw

    def _name_like(self, text: str) -> list[str]:
        """Capitalised words inside a sentence, words no dictionary knows, and years: likely names ("tencent",
        "5G") and dates ("2019") that, when the corpus never mentions them, no passage can answer about."""
        tokens = WORD.findall(text)
        english = _english()
        found = []
        for i, token in enumerate(tokens):
            lower = token.lower()
            if lower in STOPWORDS or lower in CHATTER or lower in SHORTHAND or self._known(lower):
                continue
            capitalised = i > 0 and token[0].isupper() and not text.isupper()
            mixed = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
            unknown_word = (token.isalpha() and len(token) >= MIN_UNKNOWN_WORD and lower not in english
                            and self.correct(lower) == lower)
            year = len(token) == 4 and token.isdigit() and token[:2] in ("19", "20")
            if capitalised and lower not in english or mixed or unknown_word or year:
                found.append(token)
        return found

    def _other_side_known(self, term: str, alternatives: Iterable[tuple[frozenset[str], frozenset[str]]]) -> bool:
        """"Is he a CAS or a CAE member": an unknown name offered beside one the corpus has is no name it lacks."""
        return any(term in side and other and other <= self.stems
                   for pair in alternatives for side, other in (pair, pair[::-1]))

    def _wants_more(self, text: str) -> tuple[bool, tuple[str, ...]]:
        """'tell me more', 'what else did he say': nothing asked beyond more ('what else is it based on' asks),
        or more about a topic only ('anything else from the forum?': its terms)."""
        if not _MORE.search(text) or len(text.split()) > MORE_WORDS:
            return False, ()
        rest = _MORE.sub(" ", text)
        about = _MORE_ABOUT.search(rest)
        asked = [w for w in words(rest[:about.start()] if about else rest) if w not in STOPWORDS | CHATTER | DISCOURSE]
        topic = tuple(content_terms(about.group(1))) if about else ()
        return not asked, topic if not asked else ()

    def _has_own_subject(self, text: str) -> bool:
        """A follow-up that names its own subject ("and what did Yang Xiuling say?") needs no earlier turn."""
        return any(key in text.replace(" ", "") for key in self.names) and not _CONTINUATION.match(text)

    def _names_in(self, text: str) -> tuple[str, ...]:
        """Corpus names in lower-case text, spaced or not ("li bohu", "libohu")."""
        return tuple(surface for key, surface in self.names.items() if key in text.replace(" ", ""))

    def _names_in_script(self, raw: str) -> tuple[str, ...]:
        """Corpus names written in Chinese characters, recognised through their pinyin ("李伯虎" -> "Li Bohu")."""
        from pypinyin import lazy_pinyin

        found = []
        for run in CJK_RUN.findall(raw):
            syllables = lazy_pinyin(run)
            for size in range(6, MIN_SYLLABLES - 1, -1):
                for i in range(len(syllables) - size + 1):
                    surface = self.capitalised.get("".join(syllables[i:i + size]))
                    if surface and surface not in found:
                        found.append(surface)
        return tuple(found)




_FILLER_STEMS = frozenset(stem(w) for w in CHATTER | DISCOURSE)


def _language(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if not text.isascii() and letters:  # accents, or another script than the Latin one
        if sum(bool(CJK.match(c)) for c in letters) / len(letters) > NON_LATIN_SHARE:
            return "zh"
        if 1 - sum(unicodedata.name(c, "").startswith("LATIN") for c in letters) / len(letters) > NON_LATIN_SHARE:
            return "other"
    # Capitalised words inside a sentence are names ("Du Chi", "El Paso"), not words of a language.
    tokens = [t.lower() for i, t in enumerate(_LETTERS.findall(text)) if i == 0 or not t[0].isupper()]
    foreign = [t for t in tokens if t in FOREIGN_WORDS]
    return "other" if len(foreign) >= MIN_FOREIGN_WORDS and set(foreign) & FOREIGN_ASKING \
        and len(foreign) > sum(t in STOPWORDS for t in tokens) else "en"


NON_LATIN_SHARE = 0.3  # above this share of letters outside the Latin script, a question is not in English
# Question and function words of the languages in the Latin script people most often ask in besides English
# (Spanish, French, German, Italian, Portuguese), with and without accents, none of them an English word. Two of
# them, one asking ("qui", "quién", "cosa"), outnumbering the English ones, mark a question the English model
# cannot search ("¿quién es Li Bohu?", "qui est Li Bohu ?"); "el paso and los angeles?" asks nothing in Spanish.
FOREIGN_ASKING = frozenset("""
qué que quién quien quienes cuál cual cuáles cuales cuándo cuando dónde donde cómo como porqué
qui quoi quel quelle quels pourquoi où qu wer wann wie warum worum chi cosa quando dove perché perche quem onde porque
""".split())
FOREIGN_WORDS = FOREIGN_ASKING | frozenset("""
es fue los las una sobre dijo habló hablo artículo articulo el del est sont était les des du sur dit parlé
ist sind der das und über gesagt sprach è sono della detto parlato é são foi disse falou
""".split())
MIN_FOREIGN_WORDS = 2  # one alone is as often a name or a borrowed word ("the über platform", "Los Angeles")
_LETTERS = re.compile(r"[^\W\d_]+")


def _focus(text: str) -> Focus:
    asked = _LEADING_CHATTER.sub("", text)  # "ok who brought it up then" asks who
    asked = _ASKED_OF_SOMEONE.sub("", asked)  # "could someone share the website": a request, not a yes/no
    for focus, pattern in _FOCUS_PATTERNS:
        if pattern.search(asked):
            return focus
    return Focus.THING


# Verbs that carry no deed of their own ("who *took* part", "who *came* up with it").
LIGHT_VERBS = frozenset("""take takes took taken go goes went gone come comes came do does did done be was were
put puts get gets got set sets make makes made give gives gave bring brings brought""".split())
NOT_HEADS = frozenset("even just really also still ever here there now then else again anyway though too forward ahead "
                      "already yet later soon other another next last same previous former latter".split())
# adverbs ("plans going *forward*"), and words picking one of several ("the *other* title"), not things
CURRENCIES = frozenset("yuan rmb renminbi dollars usd euros pounds bucks".split())  # "how big is it in yuan": a sum
# The kind of number a question wants, so "how old is he?" is not answered with a count of technologies.
MEASURES = [
    ("age", re.compile(r"\bhow old\b|\bwhat age\b|\b(his|her|their) age\b", re.I)),  # not "in the age of AI"
    ("money", re.compile(r"\bhow much\b.*\b(cost|costs|price|pay|paid|spend|spent|worth|earn|earns|charge|budget|"
                         r"invest|invests|invested|investing|investment|fund|funds|funding)\b|\bhow much money\b|"
                         r"\b(what|which) (price|cost|budget|fee|salary)\b|"
                         rf"\b(in|how many) ({'|'.join(sorted(CURRENCIES))})\b", re.I)),  # "... in yuan"
    ("duration", re.compile(r"\bhow long\b", re.I)),
    ("calendar", re.compile(r"\b(what|which|exact|precise|actual) (date|day of the (month|week)|weekday)\b|"
                            r"\bdate exactly\b|\bwhen\b.*\bexactly\b|\bexactly when\b", re.I)),  # "yesterday" is no date
    ("percent", re.compile(r"\b(what|which) (percent|percentage)\b|\bby how much\b|\bhow many percent\b", re.I)),
    ("month", re.compile(r"\b(what|which) month\b", re.I)),
    ("year", re.compile(r"\b(what|which) (year|yr)\b", re.I)),  # "in recent years" gives none
]
DATE_MEASURES = frozenset({"calendar", "month", "year"})  # measures of when, not of how many
_WHO = re.compile(r"\bwho\s+([a-z'-]+)", re.I)
_BE = frozenset("was were is are".split())
DEED_SPECIFICITY = 0.4  # "end" (0.43) is a deed; "need" (0.16), "work" (0.32) or "help" (0.28) say little
_DEED_ASKED = re.compile(r"\b(?:why|when|what time|how come)\s+(did|does|do|will|was|were|is|are)\s+(.+)$")
# Two questions in one message: "who is li bohu? and what did yang say?", "what's the theme and who wrote it".
_ASKS = r"(?:who|whom|whose|what|what's|whats|when|where|why|how|which)"
_ASKS_OR_AUX = rf"(?:{_ASKS}|is|are|was|were|did|does|do|can|could|will|would|has|have|had)"
_NEXT_QUESTION = re.compile(rf"\?\s+(?:(?:and|also|plus|oh and|and also)\s+)?(?={_ASKS_OR_AUX}\b)|"
                            rf",?\s+(?:and|also|plus|and also)\s+(?={_ASKS}\b(?!\s+(?:else|more)\b))", re.I)
_OWN_WORDS = STOPWORDS | CHATTER | DISCOURSE


def split_questions(text: str) -> list[str]:
    """The questions of a message, each to be answered: one, unless a second question starts after a question
    mark or after "and" + a question word, and both the first and every later one ask something of their own (a
    question word and a word beyond chatter). "...? in what context", "...? list pls" or "...? like 2? 3?" only
    clarify the first."""
    breaks = list(_NEXT_QUESTION.finditer(text))
    ends = [m.start() + m.group(0).startswith("?") for m in breaks] + [len(text)]  # a part keeps its "?"
    parts = [text[a:b].strip(" ,") for a, b in zip([0, *(m.end() for m in breaks)], ends)]
    if len(parts) < 2 or not all(_asks_on_its_own(p) for p in parts):
        return [text]
    return parts


def _asks_on_its_own(part: str) -> bool:
    asked = [w for w in words(part) if w not in _OWN_WORDS and len(w) > 1]
    return bool(asked) and bool(_QUESTION_WORD.search(part) or re.match(_ASKS_OR_AUX + r"\b", part, re.I))


OWNER_SPECIFICITY = 0.9  # names and rare words (shanghai, tencent: 1.0); not today, year (0.5), people (0.2)
_DETERMINERS = frozenset("the a an this that these those his her its their our my your".split())
# Speaking, which DISCOURSE holds as words on how to answer ("what did he *talk* about"), is after "who" the deed
# asked about: "who talked about beijing" is answered by a paragraph where someone speaks.
_WHO_SPOKE = re.compile(r"\bwho\s+(?:(talk|talks|talked)|(?:gave|gives|give|delivered|made|held)\s+(?:a|an|the)?\s*"
                        r"(speech|speeches|talk|talks|presentation|presentations|lecture|lectures))\b", re.I)


def _spoken_deed(text: str) -> str | None:
    """"Who *talked* about X", "who gave a *speech*": the deed asked about is speaking."""
    return next((g.lower() for g in m.groups() if g), None) if (m := _WHO_SPOKE.search(text)) else None


# Nouns that only say "a person": "who is the *official* that spoke" is answered by a name, whatever the title.
PERSON_NOUNS = frozenset("""person people man men woman women lady ladies guy guys gentleman official officials speaker
speakers expert experts someone somebody individual""".split())
_WHO_ROLE = re.compile(r"\bwho(?:'s| is| was| are| were)\s+(?:the|their|its|his|her)\s+((?:[a-z'-]+\s*){1,3})", re.I)
_COUNTED = re.compile(r"\bhow many\s+((?:[a-z'-]+\s*){1,4})", re.I)


# "what did li say about *ai chips*", "does the report talk about *security*": what something is said about.
_SAID_ABOUT = re.compile(r"\b(?:say|said|says|saying|talk|talks|talked|think|thinks|thought|mention|mentions|mentioned|"
                         r"speak|speaks|spoke|write|writes|wrote|cover|covers|covered|discuss|discusses|discussed)\s+"
                         r"(?:anything |something |much )?(?:about|on|regarding)\s+(.+?)"
                         r"(?:\s+(?:at|during)\s+(?:the|this|that)\b.*)?$", re.I)  # not "... *at the forum*": where
# A paragraph asked for by its place in the document: "what's in paragraph 3", "para 2", "¶4", "the last paragraph".
LAST_PARAGRAPH = -1
_PARAGRAPH_PLACES = {"first": 1, "opening": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                     "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": LAST_PARAGRAPH,
                     "final": LAST_PARAGRAPH, "closing": LAST_PARAGRAPH}
_PARAGRAPH_COUNTS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten".split(), 1)}
_PARAGRAPH = r"(?:paragraph|para|graf)s?\b"
_PARAGRAPH_WORDS = frozenset("paragraph paragraphs para paras graf grafs text contain contains content".split())
_PARAGRAPH_ASKED = re.compile(
    rf"\b{_PARAGRAPH}\.?\s*(?:no\.?\s*|number\s*|#\s*)?(?P<number>\d{{1,3}}|{'|'.join(_PARAGRAPH_COUNTS)})\b"
    r"|¶\s*(?P<mark>\d{1,3})"
    rf"|\b(?P<place>{'|'.join(_PARAGRAPH_PLACES)}|\d{{1,2}}(?:st|nd|rd|th))\s+{_PARAGRAPH}", re.I)


def _paragraph_number(asked: re.Match[str]) -> int:
    """The paragraph a reference names, from 1; LAST_PARAGRAPH for "the last one"."""
    told = (asked.group("number") or asked.group("mark") or asked.group("place")).lower()
    if told.isdigit():
        return int(told)
    return _PARAGRAPH_COUNTS.get(told) or _PARAGRAPH_PLACES.get(told) or int(told[:-2])


# The bot's own view asked for: it only quotes the article.
_OPINION = re.compile(r"\b(in (your|my) (honest )?(opinion|view)|(do|would) you (think|believe|like|reckon|say|agree)|"
                      r"what do you think|your (own )?(take|opinion|view|thoughts))\b", re.I)
# Writing of the bot's own asked for: "write me a poem about the forum", "tell me a joke".
_WRITING = re.compile(r"\b(?:write|compose|make up|create|generate|draft|sing|tell)\s+(?:me |us )?(?:a |an |some |another )?"
                      r"(?:short |little |funny |quick )?(?:poems?|stor(?:y|ies)|songs?|haikus?|essays?|jokes?|limericks?|"
                      r"raps?|tweets?|letters?|emails?)\b", re.I)
# "what does cloudification even mean", "what is meant by X", "define X": a definition, not a use of the word.
_DEFINE = re.compile(r"\bwhat (?:does|do|did) (.+?) (?:even |really |actually |exactly |here |there )?"
                     r"mean\b(?! for| to)(?: by (.+))?|"
                     r"\bwhat is meant by (.+)|\bmeaning of (.+)|\bdefine (.+)|\bdefinition of (.+)", re.I)
def _what_is(text: str, content: list[str]) -> tuple[str, ...]:
    """"What is the smart industrial internet?": the words of the thing asked to be described."""
    named = _WHAT_IS.search(text)
    return tuple(w for w in words(named.group(1)) if w in content) if named else ()


_WHAT_IS = re.compile(r"^(?:so |and |ok |hey )?what(?: exactly| actually| really)?(?:'s| is| are)\s+"
                      r"(?:(?:exactly|actually|really) )?(?:the |a |an )?"
                      r"((?:[a-z'-]+ ){0,3}?[a-z'-]+)"
                      r"(?: (?:according to|per|acc to|in the words of) (?:[a-z'-]+ ){0,2}[a-z'-]+)?\W*$", re.I)
# "what is X according to li bohu": X, as whoever is named says it is
_SOMEONE = frozenset("he she they him her them you we i".split())


def _defined_thing(text: str, content: list[str], proper: set[str]) -> tuple[str, ...]:
    """The words a question asks the meaning of; for "what does that mean", the question's other words.
    "What does li mean by X" asks about X; "what did she mean" asks what someone meant, not a definition."""
    if not (asked := _DEFINE.search(text)):
        thing = _what_is(text, content)  # "what is zhongguancun": a name used in passing is not explained
        return thing if set(thing) <= proper else ()
    subject, by, *rest = asked.groups()
    if subject and not by and set(words(subject)) <= _SOMEONE | proper:
        return ()
    said = [w for w in words(by or subject or next(g for g in rest if g)) if w in content]
    return tuple(said or [w for w in content if w not in {"mean", "meant", "meaning", "define", "definition"}])


_WHO_SAID = re.compile(r"\bwho(?:'s| is| was)?\s+(?:said|says|say|saying|mentioned|stated|claimed|argued|pointed|brought|"
                       r"proposed|suggested|explained|described|thinks|believes|(?:came|comes|come) up with|"
                       r"(?:put|puts) forward)\b"
                       r"(?:\s+\w+)?\s+(?:that|this|it|all this|all that|so)\b|\bwhose (?:words|idea|claim|point|view)\b"
                       r"(?: is| was)? (?:that|this|it)\b|"
                       r"\bwho\s+(?:put|puts) (?:that|this|it|all this|all that) forward\b", re.I)
# "the name of the newspaper", "what are the zones called", "which companies did she mention by name".
_NAME_ASKED = re.compile(
    r"\b(?:names?|titles?) of (?:the |these |those |its |their |his |her |all )?((?:[a-z'-]+ ){0,3}[a-z'-]+)|"
    r"\bthe (?:[a-z-]+ ){0,3}?([a-z-]+) (?:name|title)\W*$|"  # "the (free trade) zone's name", its 's dropped
    r"\b(?:what|how) (?:is|are|was|were) (?:the |these |those |its |their |his |her )?((?:[a-z'-]+ ){0,2}[a-z'-]+) "
    r"(?:actually |really |even )?called\b|"
    r"\b(?:which|what) ((?:[a-z'-]+ ){0,2}[a-z'-]+) (?:\w+ ){1,4}?(?:by name|named)\b|"
    r"(?:^(?:can you |could you |pls |please )?|\b(?:does|do|did) (?:it|they|he|she|the [a-z]+) (?:actually )?)name "
    r"(?:(?:a few|some|any|one|two|three|all)(?: of)? (?:the |these |those |its |their )?|(?:the |these |those |its |their ))"
    r"((?:[a-z'-]+ ){0,2}[a-z'-]+)", re.I)  # "name a few of those companies", "does the report name any companies"


def proper_nouns(paragraphs: Iterable[str]) -> set[str]:
    """Words the corpus only ever writes capitalised: names of people, places and bodies (lower-cased)."""
    seen = [w for p in paragraphs for w in WORD.findall(p)]
    lower = {w for w in seen if w.islower()}
    return {w.lower() for w in seen if w[0].isupper() and w.lower() not in lower}


def _name_of(text: str, corrected: dict[str, str], proper: set[str]) -> str | None:
    """The thing a question asks the name of ("the names of the foreign *academicians* who spoke", "li bohu's
    *speech*"), spelled as the question's words are: the phrase's last word before a question word or a name."""
    asked = _NAME_ASKED.search(text)
    phrase = next((g for g in asked.groups() if g), "").lower().split() if asked else []
    owner = next((i for i, w in enumerate(phrase) if w.endswith("'s")), None)
    if owner is not None:  # "li bohu's speech"
        phrase = phrase[owner + 1:owner + 2]
    phrase = [w for w in phrase if not w.endswith("ly")]  # "what are the zones *actually* called"
    def name_part(w: str) -> bool:  # "zhang" of "Zhang Qin", not "academician" of "Academician Li Bohu"
        return w in proper

    while phrase and name_part(phrase[0]):  # "which *beijing* companies": a name before the thing only says whose
        phrase.pop(0)
    kept = list(itertools.takewhile(lambda w: w not in _AUXILIARY | STOPWORDS | DISCOURSE and not name_part(w), phrase))
    if len(kept) > 1 and kept[-1].endswith(("ed", "ing")) and len(kept) < len(phrase):
        kept.pop()  # "the name of the report *released* at the forum": a verb after the thing, not the thing
    thing = kept[-1] if kept else None
    return corrected.get(thing, thing) if thing and thing not in _NOT_A_HEAD | PERSON_NOUNS else None  # people: "who"


def _corrected_head(head: str | None, corrected: dict[str, str]) -> str | None:
    """The head found in the question as typed (possessives show what is possessed), spelled as the question's
    words are: "who's the *acadmician* that spoke" asks for an academician."""
    return corrected.get(head, head) if head else None


def _counted(text: str, named: frozenset[str] = frozenset()) -> str | None:
    """"How many industrial *platforms* does it have": a count of that thing, not any number. The phrase runs
    up to the verb ("how many people *showed* up") or a name (`named`: "how many positions *yang* has"); a first
    word in -ing
    or -ed is a modifier ("*leading*"); "how many kinds of *recommendations*" counts recommendations."""
    counted = _COUNTED.search(text)
    phrase: list[str] = []
    for i, w in enumerate(counted.group(1).lower().split() if counted else []):
        if w == "of" and phrase and phrase[-1] in GENERIC_HEADS:
            phrase = []
            continue
        if w in _AUXILIARY or (i and (w.endswith(("ed", "ing")) or w in named)):
            break
        phrase.append(w)
    return phrase[-1] if phrase and phrase[-1] not in _NOT_A_HEAD else None


def _role(match: re.Match) -> str | None:
    """"Who is the *director* of the bureau": the role the cited text must hold; "the official" is any name."""
    phrase = list(itertools.takewhile(lambda w: w not in STOPWORDS and not w.endswith(("ed", "ing")),
                                      match.group(1).lower().split()))
    return phrase[-1] if phrase and phrase[-1] not in _NOT_A_HEAD | PERSON_NOUNS else None


def _who_deed(text: str) -> str | None:
    """"Who *moderated* the forum": the deed is what the cited text must hold; "who took part" names none."""
    if spoken := _spoken_deed(text):
        return spoken
    deed = next(m.group(1).lower() for m in _WHO.finditer(text))
    return deed if deed not in _AUXILIARY | DISCOURSE | STOPWORDS | CHATTER | LIGHT_VERBS else None


def _head(text: str, focus: Focus, named: frozenset[str] = frozenset()) -> str | None:
    """The noun naming what is asked for: the last word of the phrase after which/what/how many.
    A date question needs a date, not the word "year" itself."""
    if focus == Focus.NUMBER:
        return _counted(text, named)
    if focus == Focus.DATE:
        return None
    if role := _WHO_ROLE.search(text):
        return _role(role)
    if _WHO.search(text):
        return _who_deed(text)
    for pattern in (_HEAD, _POSSESSED, _REQUESTED):
        for match in pattern.finditer(text):
            typed = match.group(1).lower().split()
            if pattern is _HEAD and typed[0] in _AUXILIARY:  # "what does beijing plan to do": no thing named
                continue
            if text[match.end():].lstrip().startswith("to "):  # "what beijing *wants* to do": a verb
                continue
            phrase = _noun_phrase(typed)
            if phrase and not phrase[-1].isdigit() and phrase[-1] not in _NOT_A_HEAD:
                return phrase[-1]
    return None


def _noun_phrase(typed: list[str]) -> list[str]:
    """The words after which/what that name the thing, up to where a verb or what the asker asks done begins."""
    typed = list(itertools.takewhile(lambda w: w not in _ASKING_TO, typed))  # "which parties, *name* them"
    object_at = next((i for i, w in enumerate(typed) if i > 1 and w in _DETERMINERS), None)
    if object_at is not None:  # "which companies make *those* terminals": the noun before the verb
        typed = typed[:object_at - 1]
    phrase = [w for w in typed if w not in _AUXILIARY and w not in CHATTER]  # not "which standards *tho*"
    adverb = next((i for i, w in enumerate(phrase) if i and w.endswith("ly")), None)
    if adverb is not None:  # "which academician actually gets named": the noun comes before the adverb
        phrase = phrase[:adverb]
    if len(phrase) > 1 and phrase[-1].endswith(("ed", "ing")):  # "which bureau *published* ...": a verb
        phrase.pop()
    return phrase


_NOT_A_HEAD = GENERIC_HEADS | DISCOURSE | STOPWORDS | CHATTER | NOT_HEADS
ALTERNATIVE_TERMS = 2  # content words on each side of "or" that make up an alternative


def _alternatives(text: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """'mostly business execs or academics?' -> ({busi, execut}, {academ}): either side is enough."""
    pairs = []
    for match in _ALTERNATIVE.finditer(text):
        before = [t for t in content_terms(text[:match.start()]) if t not in _FILLER_STEMS][-ALTERNATIVE_TERMS:]
        after = [t for t in content_terms(text[match.end():]) if t not in _FILLER_STEMS][:ALTERNATIVE_TERMS]
        if before and after:
            pairs.append((frozenset(before), frozenset(after)))
    return tuple(pairs)


def _capitalised_runs(paragraphs: Sequence[str]) -> dict[str, str]:
    """Runs of capitalised words in the corpus, keyed by their lower-case letters without spaces."""
    names: dict[str, str] = {}
    for text in paragraphs:
        for match in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\b", text):
            parts = match.group(0).split()
            for i in range(len(parts)):
                for j in range(i + 1, len(parts) + 1):
                    key = "".join(parts[i:j]).lower()
                    if len(key) >= 4 and key not in STOPWORDS:
                        names.setdefault(key, " ".join(parts[i:j]))
    return names


_TITLED_RUN = re.compile(r"\b[A-Z][a-z]+(?:['’]s)?(?:\s+(?:of|and|for|the)?\s*[A-Z][a-z]+(?:['’]s)?)+\b")
ABBREVIATION_LETTERS = (3, 5)  # "cae", "zgc"; two letters are too often a word or another name's ("it", "lb")
# The shortest romanised name whose syllables' initials abbreviate it: three or more initials from a long name
# ("Zhongguancun": "zgc"), two from a shorter one ("Beijing": "bj", see _syllables_of_one).
SYLLABLE_NAME_LETTERS, TWO_SYLLABLE_NAME_LETTERS = 8, 6


def _abbreviations(paragraphs: Sequence[str]) -> dict[str, str]:
    """What an abbreviation of a corpus name would be, and the name: "cae" -> "Chinese Academy of Engineering"
    (the initials of a whole run of capitalised words), "zgc" -> "Zhongguancun" (the initial of each syllable of
    a long name, as romanised names are abbreviated). An abbreviation that two names share is left out."""
    found: dict[str, set[str]] = {}
    lower = {w for text in paragraphs for w in re.findall(r"\b[a-z]+\b", text)}
    # Names standing alone mid-sentence ("of Beijing's"), not a word of a longer name ("Yang Xiuling") or a sentence's first
    alone = {w.lower() for text in paragraphs for w in re.findall(r"(?:\b[a-z]+|[,;])\s+([A-Z][a-z]+)\b(?!\s+[A-Z])", text)}
    for text in paragraphs:
        for match in _TITLED_RUN.finditer(text):  # whole names only: a part ("Beijing Municipal People") is none
            name = match.group(0).split()
            while name and name[0].lower() in STOPWORDS:  # a sentence's "The", "In", "At" is no part of a name
                name.pop(0)
            capitals = [w for w in name if w[0].isupper()]
            if len(capitals) > 1:
                found.setdefault("".join(w[0] for w in capitals).lower(), set()).add(" ".join(name))
        for word in re.findall(rf"\b[A-Z][a-z]{{{TWO_SYLLABLE_NAME_LETTERS - 1},}}\b", text):
            initials = _syllable_initials(word.lower())
            if initials and (word.lower() in alone - lower if len(initials) == 2
                             else len(word) >= SYLLABLE_NAME_LETTERS and word.lower() not in _english()):
                found.setdefault(initials, set()).add(word)
    low, high = ABBREVIATION_LETTERS
    return {key: names.pop() for key, names in found.items() if (low <= len(key) <= high or _syllables_of_one(key, names))
            and len(names) == 1}


# British and American spellings of one word: the corpus may use either ("organise"/"organize", "colour"/"color").
# Endings that only ever differ by spelling; "our"/"or" only past four letters ("four" is not "for"). Words whose
# spellings differ otherwise are listed whole ("rise" is not "rice", though "practise" is "practice").
_VARIANT_ENDINGS = (("ise", "ize"), ("ised", "ized"), ("ising", "izing"), ("isation", "ization"), ("ises", "izes"),
                    ("yse", "yze"), ("ysed", "yzed"), ("tre", "ter"), ("tres", "ters"), ("logue", "log"),
                    ("gramme", "gram"))
_VARIANT_OUR = (("our", "or"), ("ours", "ors"), ("oured", "ored"))
VARIANT_OUR_LETTERS = 6  # "colour", "honour", "labour"; not "four", "hour", "your"
_VARIANT_WORDS = {"practise": "practice", "practised": "practiced", "practising": "practicing", "licence": "license",
                  "defence": "defense", "offence": "offense", "grey": "gray", "cheque": "check", "tyre": "tire"}
_VARIANT_WORDS |= {b: a for a, b in list(_VARIANT_WORDS.items())}


def _spelling_variants(word: str) -> list[str]:
    """The other spellings of a word, by the endings British and American English spell differently."""
    found = [word[:-len(a)] + b for x, y in _VARIANT_ENDINGS for a, b in ((x, y), (y, x)) if word.endswith(a)]
    for british, american in _VARIANT_OUR:  # counted on the British spelling, the longer one
        if word.endswith(british) and len(word) >= VARIANT_OUR_LETTERS:
            found.append(word[:-len(british)] + american)
        elif word.endswith(american) and len(word) - len(american) + len(british) >= VARIANT_OUR_LETTERS:
            found.append(word[:-len(american)] + british)
    return found + ([_VARIANT_WORDS[word]] if word in _VARIANT_WORDS else [])


def _syllables_of_one(key: str, names: set[str]) -> bool:
    """"bj" for Beijing: two letters, of the syllables of a name that stands alone (English may list it, but the
    corpus writes it capitalised mid-sentence, never in lower case, and not as one word of a longer name: "xl"
    is not Xiuling of Yang Xiuling), that are no word or shorthand themselves."""
    return len(key) == 2 and all(" " not in n for n in names) and key not in _english() and key not in SHORTHAND \
        and key not in CHATTER


_SYLLABLE = re.compile(r"(?:zh|ch|sh|[bcdfghjklmnpqrstwxyz])?[aeiouv]+(?:ng|n|r)?(?![aeiouv])")


def _syllable_initials(word: str) -> str | None:
    """The first letters of a romanised name's syllables ("zhongguancun" -> "zgc"), when it splits cleanly."""
    syllables = _SYLLABLE.findall(word)
    return "".join(s[0] for s in syllables) if "".join(syllables) == word and len(syllables) > 1 else None


def _join_split_names(text: str, vocabulary: frozenset[str]) -> str:
    """'yang xiu ling' -> 'yang xiuling': adjacent words whose concatenation is a corpus term."""
    tokens = text.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in (3, 2):
            parts = tokens[i:i + size]
            joined = "".join(parts)
            if len(parts) == size and stem(joined) in vocabulary and not all(stem(p) in vocabulary for p in parts):
                out.append(joined)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out)
