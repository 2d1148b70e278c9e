"""The engine: loaded once, answers many questions. The CLI, the Discord bot and the tests share it.

Swapping in a new index replaces one reference, so a question in flight finishes on the index it
started with, and the next one sees the new index: no gap, no lock on the hot path.
"""
from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from bot.answer import MAX_HISTORY, Answer, Kind, combined
from bot.answering import AUTHOR_STEMS, SPEAKING, Answerer, genders_of
from bot.batching import MAX_BATCH
from bot.builder import BuildReport, IndexBuilder, stems_version, write_calibration
from bot.corpus import load_corpus
from bot.embedding import Embedder, Encoder
from bot.errors import ForumbotError
from bot.onnx_encoder import OnnxEncoder, export_folder
from bot.question import ABOUT_PRONOUN, PERSON_NOUNS, PRONOUN, Analyser, Focus, Question, split_questions
from bot.retrieval import Retrieval, retrieve
from bot.settings import Settings, get_settings
from bot.store import IndexStore, read_manifest
from bot.text import looks_plural, stem, words

log = logging.getLogger(__name__)

STACKS_CACHED = 64  # word lists whose vector rows are kept: a paragraph's ~100 words are ~150 KB
KEYWORD_WEIGHT = 0.4  # BM25's share of the fused score; the middle of a broad plateau on labelled questions
OWN_TERMS = 2  # a follow-up naming at least this much can be asked alone; "what year?" or "why not?" cannot
# Offered when no document's header lists `examples:`; answered from the title and opening sentence.
ABOUT_QUESTION = "What is this article about?"
_SMALL_TALK_PHRASE = (
    r"(hi|hello|hey|hiya|yo|howdy|greetings|good (morning|afternoon|evening)|thanks?( you)?( so much)?|thx|ty|cheers|"
    r"ok(ay)?|cool|nice|great|good|bad|bye|goodbye|help|\?+|what can you do|what do you do|what do you know|who are you|"
    r"got it|lol|lmao|haha|hmm+|ah|oh|i see|no|nope|yes|yep|yeah|k|makes sense|understood|perfect|awesome|"
    r"what are you|how do i use (you|this)|how does this work|what can i ask( you)?)")
# Greetings, thanks and remarks ("ok thanks", "got it"), alone or strung together: never a question.
_SMALL_TALK = re.compile(rf"^[!/.]?{_SMALL_TALK_PHRASE}([\s,!.]+{_SMALL_TALK_PHRASE})*( (bot|forumbot|there|everyone))?[\s!.?]*$",
                         re.I)
_THANKS = re.compile(r"\b(thanks?|thx|ty|cheers)\b", re.I)  # small talk that thanks: "you're welcome", not "hi"
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Terminal escape sequences pasted with a question (colours, titles): the whole sequence goes, not only its ESC,
# which left "[31m" glued to a word.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# Pasted markup no question is about: a link keeps its text, a web address or an HTML tag goes ("http", "evil",
# "example" of a link had been taken for names the article never mentions, which refused the question).
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?(?:https?://|www\.)[^)]*\)")
_ADDRESS = re.compile(r"<?(?:https?://|www\.)\S+")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_CODE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|```.*?```", re.I | re.S)  # pasted code: no words of the question
_STRUCK = re.compile(r"~~.+?~~", re.S)  # Discord's strikethrough: words the asker crossed out ("who is ~~yang~~ li")
# Discord's custom emoji, role, user and channel mentions (<:pepe:123>, <@&123>), and the words the Discord shell
# shows them as (:pepe:, @someone, #channel): no words of the question ("pepe" had been taken for a name the
# article never mentions). Spoiler bars go; the words they hide are asked.
_DISCORD_TOKEN = re.compile(r"<(?:a?:\w+:|@[!&]?|#)\d+>|\|\||:[A-Za-z_]\w*:|(?<![\w@#])[@#][A-Za-z_]\w*")


def clean_question(text: str) -> str:
    """Drop control, zero-width and direction characters and fold whitespace: they only confuse matching."""
    text = _INVISIBLE.sub("", _ESCAPE.sub("", text))
    text = _TAG.sub(" ", _ADDRESS.sub(" ", _LINK.sub(r"\1", _STRUCK.sub(" ", _CODE.sub(" ", text)))))
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return " ".join(text.split())


def unmarked(cleaned: str) -> str:
    """What the engine reads of a cleaned question: without Discord's markup, which the Discord shell keeps (as
    words) to show the asker what was asked, and which the answer's `question` keeps."""
    return " ".join(_DISCORD_TOKEN.sub(" ", cleaned).split())


@dataclass
class Loaded:
    """One index version and what was precomputed for it; replaced whole on reload."""

    store: IndexStore
    answerer: Answerer
    analyser: Analyser
    encoder: Encoder  # encodes questions for this index: its ONNX export, or sentence-transformers


@dataclass(frozen=True)
class Search:
    """A question ready for the model: its analysis, the text to search with, and the answer to the turn
    before when it leans on it."""

    analysed: Question
    query: str
    previous: Answer | None


class Engine:
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None):
        self.settings = settings or get_settings()
        self._model, self._keep_model = embedder, embedder is not None  # sentence-transformers: builds, or answers without ONNX
        self._loaded: Loaded | None = None
        self._build_lock = threading.Lock()
        self._words_lock = threading.Lock()
        self._word_vectors: dict[str, np.ndarray] = {}
        self._stacked = lru_cache(maxsize=STACKS_CACHED)(self._stack)  # a paragraph's words, compared question after question

    # -- index lifecycle -------------------------------------------------------------------
    @classmethod
    def load(cls, settings: Settings | None = None, embedder: Embedder | None = None) -> Engine:
        engine = cls(settings, embedder)
        engine.reload()
        return engine

    def _prepare(self, store: IndexStore, encoder: Encoder) -> Loaded:
        paragraphs = [p for doc in store.documents.values() for p in (doc.title, *doc.paragraphs)]
        return Loaded(store, Answerer(store, self.similarity, self.settings.max_citations,
                                      self.settings.max_answer_chars, store.examples or [ABOUT_QUESTION]),
                      Analyser(paragraphs), encoder)

    def reload(self) -> str:
        """Load the index on disk and swap it in. On error the current index keeps serving."""
        try:
            encoder = self._query_encoder(read_manifest(self.settings.index_dir))
            store = IndexStore.load(self.settings.index_dir, self.settings.model, encoder.dimension)
        except ForumbotError as exc:
            if self._loaded:  # with no index yet, the caller's one line says it
                log.error("reload failed, still serving index %s: %s", self._loaded.store.version, exc)
            raise
        loaded = self._prepare(store, encoder)
        # The corpus's words, which every support check compares a question's words with: encoded now, before the
        # swap (a failure leaves the current index serving), not in small calls on the first questions. Another
        # model's vectors are never mixed in: a new encoder starts its word vectors afresh.
        same_model = self._loaded is not None and self._loaded.encoder is encoder
        known = self._word_vectors if same_model else {}
        self._encode_words((w for found in loaded.answerer.paragraph_words.values() for w in found), encoder, known)
        with self._words_lock:
            if not same_model:
                self._word_vectors = known
                self._stacked.cache_clear()
            self._loaded = loaded
        log.info("serving index %s (%d documents, %d passages)", store.version, len(store.documents), len(store.passages))
        if store.manifest.get("bm25", {}).get("stems") != stems_version():  # questions are stemmed as this code does
            log.warning("index %s was built with older word stemming: run `forumbot index build` for keyword search "
                        "to match every question word", store.version)
        return store.version

    def _query_encoder(self, manifest: dict) -> Encoder:
        """The index's ONNX export when it has one and onnxruntime is installed (no torch), else sentence-transformers."""
        folder = export_folder(self.settings.index_dir, manifest) if self.settings.onnx else None
        if folder is None:
            return self.load_model()
        current = self._loaded.encoder if self._loaded else None
        if isinstance(current, OnnxEncoder) and current.folder == folder and current.quantized == self.settings.onnx_int8:
            return current  # the same model: loaded once, its query cache kept
        return OnnxEncoder(folder, self.settings.onnx_int8, self.settings.query_cache_size)

    def load_model(self) -> Embedder:
        """The sentence-transformers model, loaded on first need (builds, and answers without ONNX); the
        CLI calls it first to show a spinner while it loads."""
        if self._model is None:
            self._model = Embedder(self.settings.model, self.settings.device, self.settings.query_cache_size)
        return self._model

    def rebuild(self, full: bool = False, on_total: Callable[[int], None] | None = None,
                on_progress: Callable[[int], None] | None = None,
                on_calibrate_total: Callable[[int], None] | None = None,
                on_calibrate_progress: Callable[[], None] | None = None) -> BuildReport:
        """Build from the corpus, fit the abstention thresholds, and swap the result in; questions keep
        using the old index meanwhile. Without calibration questions the index says it is uncalibrated.
        The report names the version after calibration, the one answers carry."""
        with self._build_lock:
            docs = load_corpus(self.settings.corpus_dir, self.settings.corpus_allow_external_links)
            builder = IndexBuilder(self.load_model(), self.settings.index_dir,
                                   sentences_per_passage=self.settings.chunk_sentences,
                                   hnsw_threshold=self.settings.hnsw_threshold)
            report = builder.build(docs, full=full, on_total=on_total, on_progress=on_progress)
            self.reload()
            if not self._keep_model and self.embedder is not self._model:
                self._model = None  # answering from ONNX: PyTorch's copy of the model is not kept
            self.calibrate(on_calibrate_total, on_calibrate_progress)
            return replace(report, index_version=self.version)

    def calibrate(self, on_total: Callable[[int], None] | None = None,
                  on_progress: Callable[[], None] | None = None) -> dict | None:
        """Fit the thresholds on the labelled questions in the calibration folder and store them."""
        from bot.evaluation import calibrate, calibration_files, load_questions

        answerable, unanswerable = calibration_files(self.settings.calibration_dir)
        if not answerable or not unanswerable:
            return None
        inside = [row for path in answerable for row in load_questions(path)]
        outside = [row for path in unanswerable for row in load_questions(path)]
        if on_total:
            on_total(len(inside) + len(outside))
        calibration = calibrate(self, inside, outside, on_progress)
        self.save_calibration(calibration)
        return calibration

    def save_calibration(self, calibration: dict) -> None:
        """Store fitted thresholds in the current manifest and start using them."""
        write_calibration(self.settings.index_dir, calibration)
        self.reload()

    def _current(self) -> Loaded:
        """The index version in use (loaded on first need); a question reads it once and keeps it."""
        if self._loaded is None:
            self.reload()
        assert self._loaded is not None  # reload() set it, or raised
        return self._loaded

    @property
    def store(self) -> IndexStore:
        return self._current().store

    @property
    def embedder(self) -> Encoder:
        """What encodes questions for the index in use: chosen for each index by reload()."""
        return self._current().encoder

    @property
    def version(self) -> str:
        return self.store.version

    @property
    def examples(self) -> list[str]:
        """Questions to offer a new user: the documents' header `examples:`, else one about the document."""
        return self._current().answerer.examples

    @property
    def loaded(self) -> Loaded:
        """The index version in use with its answerer and analyser, for benchmarks that time each stage."""
        return self._current()

    # -- questions ----------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        """Answer one question; `history` holds the earlier questions of the conversation, oldest first."""
        started = time.perf_counter()
        cleaned = clean_question(question)
        answer = self._answer(self._current(), unmarked(cleaned), _earlier(history))
        return replace(answer, question=cleaned, latency_ms=(time.perf_counter() - started) * 1000)

    def similarity(self, left: Sequence[str], right: Sequence[str]) -> np.ndarray:
        """Cosine similarity of single words under the sentence model: bridges "journalist" and "reporter"."""
        if not left or not right:
            return np.zeros((len(left), 1), np.float32)
        self._learn_words([*left, *right])
        return self._stacked(tuple(left)) @ self._stacked(tuple(right)).T

    def _stack(self, words: tuple[str, ...]) -> np.ndarray:
        """The words' vectors as rows (all learned before): kept, as the same paragraphs are compared again."""
        return np.vstack([self._word_vectors[w] for w in words])

    def _learn_words(self, words: Iterable[str]) -> None:
        """The vectors of the words not met before, in one encoder call."""
        self._encode_words(words, self.embedder, self._word_vectors)

    def _encode_words(self, words: Iterable[str], encoder: Encoder, known: dict[str, np.ndarray]) -> None:
        with self._words_lock:
            todo = [w for w in dict.fromkeys(words) if w and w not in known]
        if todo:
            vectors = encoder.encode(todo)
            with self._words_lock:
                known.update(zip(todo, vectors))

    def ask_many(self, turns: Sequence[tuple[str, Sequence[str]]]) -> list[Answer]:
        """Answer many (question, history) turns, in order, MAX_BATCH at a time: a batch's questions are analysed,
        then encoded in one call of the encoder (length-sorted runs, side by side), in a thread, while the batch
        before is searched and answered (the model releases the GIL: they share the cores). The batch's words that
        support checks may compare are encoded there too, in one call instead of one a question. An answer's
        latency is the wait from the start."""
        started = time.perf_counter()
        loaded = self._current()
        answers: list[Answer] = []
        cleaned = [(clean_question(q), history) for q, history in turns]

        def encode(searches: list[Search]) -> list[np.ndarray]:
            vectors = loaded.encoder.encode_queries([s.query for s in searches])
            self._learn_words(w for s in searches for w in (*s.analysed.words, s.analysed.head or ""))
            return vectors

        def finish(prepared: list[Answer | Search], encoding: Future[list[np.ndarray]]) -> None:
            vectors = iter(encoding.result())
            for item in prepared:
                answer = item if isinstance(item, Answer) else self._search(loaded, item, next(vectors))
                answers.append(replace(answer, latency_ms=(time.perf_counter() - started) * 1000))

        with ThreadPoolExecutor(1) as model:  # the model runs (without the GIL) while Python analyses and answers
            previous = None
            for start in range(0, len(turns), MAX_BATCH):
                prepared = [self._prepare_question(loaded, unmarked(q), _earlier(h))
                            for q, h in cleaned[start:start + MAX_BATCH]]
                encoding = model.submit(encode, [p for p in prepared if isinstance(p, Search)])
                if previous:
                    finish(*previous)
                previous = prepared, encoding
            if previous:
                finish(*previous)
        return [replace(answer, question=q) for answer, (q, _) in zip(answers, cleaned, strict=True)]

    def _retrieve(self, loaded: Loaded, text: str) -> Retrieval:
        return retrieve(loaded.store, loaded.encoder.encode_query(text), text, KEYWORD_WEIGHT)

    def _resolve(self, loaded: Loaded, question: str, history: list[str]) -> tuple[Question, str, Answer | None]:
        """The analysed question, the text to search with, and the answer to the turn before when it leans on it.

        A follow-up is searched together with the earlier question ("how old is he?" after "who is Li Bohu?"),
        or with what the bot last showed when that question named nothing ("tell me more")."""
        analysed = loaded.analyser.analyse(question)
        if history and analysed.about_document and _OTHER_WORK.search(analysed.text) \
                and not loaded.analyser.analyse(history[-1]).about_document:  # "who wrote *it*" after the report
            analysed = replace(analysed, about_document=False, refers_back=True)
        if not history or not (analysed.refers_back or analysed.wants_more or _of_another_person(analysed)):
            return analysed, analysed.text, None
        earlier = self._standing_for(loaded, history[-1], history[:-1])
        again = _asked_again(loaded, earlier, analysed) or _asked_of_the_other(loaded, earlier, analysed) \
            or _one_of_the_people(loaded, earlier, analysed)
        if again is not None:  # a question of its own: nothing to carry on
            return again, again.text, None
        people = loaded.answerer.people
        if (about := _said_about_the_one_before(analysed, earlier, people)) is not analysed:
            return about, " ".join(about.words), self._answer(loaded, history[-1], history[:-1])
        if analysed.words and set(analysed.words) <= people and not people & set(earlier.words):
            return analysed, analysed.text, None  # "and yang?" after a turn that asked of no one: about her
        previous = self._answer(loaded, history[-1], history[:-1])
        analysed = _of_the_things_before(analysed, earlier, people)
        if earlier.about_document and set(earlier.terms) & AUTHOR_STEMS and genders_of(analysed.text) \
                and not people & set(analysed.words):
            return replace(analysed, about_document=True), f"{analysed.text} {earlier.text}", previous  # the byline's
        shown = previous.citations or previous.related
        if shown and (earlier.wants_more or not earlier.terms):  # "tell me more" names nothing: what it showed does
            return analysed, f"{analysed.text} {shown[0].quote}", previous
        carried = f"{analysed.text} {self._earlier_text(loaded, earlier, analysed, history)}"
        if shown and analysed.focus == Focus.REASON and not analysed.terms:  # "why does it matter?": "it" is what the
            return analysed, f"{carried} {shown[0].quote}", previous  # answer spoke of, not the asker's words for it
        return analysed, carried, previous

    def _earlier_text(self, loaded: Loaded, earlier: Question, follow_up: Question, history: list[str]) -> str:
        """What a follow-up carries on from the turn before: its text, and for a "he" or "she" when that turn named
        no one but leaned on one before it ("how old is he?"), the people that turn was searched with, so "what was
        his talk called?" two turns after "who is li bohu?" still asks about him."""
        people = loaded.answerer.people
        text = _without_other_people(earlier, follow_up, people)
        if len(history) < 2 or not earlier.refers_back or not genders_of(follow_up.text) \
                or people & set(earlier.words) or people & set(follow_up.words):
            return text
        _, searched, _ = self._resolve(loaded, history[-1], history[:-1])
        return " ".join([text, *dict.fromkeys(w for w in words(searched) if w in people)])

    def _standing_for(self, loaded: Loaded, question: str, history: list[str]) -> Question:
        """The question a turn stands for: "and yang?" after "how old is li bohu?" is "how old is yang", through
        any chain of such turns; any other turn as it is."""
        analysed = loaded.analyser.analyse(question)
        if not history or not analysed.refers_back:
            return analysed
        return _asked_again(loaded, self._standing_for(loaded, history[-1], history[:-1]), analysed) or analysed

    def assess(self, question: str) -> tuple[float, float, bool]:
        """(confidence, unsupported share, rejected whatever the thresholds): what calibration fits on."""
        loaded = self._current()
        analysed = loaded.analyser.analyse(unmarked(clean_question(question)))
        retrieval = self._retrieve(loaded, analysed.text)
        answerer = loaded.answerer
        if not retrieval.hits:
            return 0.0, 1.0, True
        top = retrieval.by_paragraph()[0][0].passage
        support = answerer.support(analysed, (top.doc, top.paragraph))
        return answerer.confidence(retrieval), support.unsupported_asked, bool(analysed.unknown) or not support.focus_found

    def _answer(self, loaded: Loaded, question: str, history: list[str]) -> Answer:
        prepared = self._prepare_question(loaded, question, history)
        if isinstance(prepared, Answer):
            return prepared
        return self._search(loaded, prepared, loaded.encoder.encode_query(prepared.query))

    def _prepare_question(self, loaded: Loaded, question: str, history: list[str]) -> Answer | Search:
        """Everything before the model: small talk and languages the model cannot search are answered here."""
        if not question or _SMALL_TALK.match(question):
            return loaded.answerer.welcome(question) if _THANKS.search(question) else loaded.answerer.reply(question, Kind.HELP)
        if (answers := self._each_of(loaded, question, history)) is not None:
            return combined(question, answers)
        analysed, query, previous = self._resolve(loaded, question, history)
        if analysed.language != "en" and not loaded.encoder.multilingual:
            return loaded.answerer.in_another_language(analysed)
        return Search(analysed, query, previous)

    def _each_of(self, loaded: Loaded, question: str, history: list[str]) -> list[Answer] | None:
        """Two questions of their own in one message ("what was the theme? and who wrote it?"), each answered in
        turn with the ones before as its history ("...and what got released *there*": at the forum the first part
        asked about); None for one question, for one asked again in other words ("is the report long? how many
        pages?", "...? was it affected": a yes/no leaning on the first), and when a part goes unanswered: the message
        is then weighed whole, as a near-topic question split in two would have one half answered."""
        parts = split_questions(question)
        if len(parts) < 2 or any(loaded.analyser.analyse(part).refers_back and not _ASKS_ITS_OWN.match(part)
                                 for part in parts[1:]):
            return None
        answers = [self._answer(loaded, part, [*history, *parts[:i]]) for i, part in enumerate(parts)]
        return None if any(a.abstained for a in answers) else answers

    def _search(self, loaded: Loaded, search: Search, vector: np.ndarray) -> Answer:
        answer = self._search_with(loaded, search, vector)
        if answer.abstained and _may_stand_alone(search):  # the earlier turn only misled the search: asked afresh
            alone = Search(search.analysed, search.analysed.text, None)
            fresh = self._search_with(loaded, alone, loaded.encoder.encode_query(alone.query))
            return answer if fresh.abstained else fresh
        return answer

    def _search_with(self, loaded: Loaded, search: Search, vector: np.ndarray) -> Answer:
        retrieval = retrieve(loaded.store, vector, search.query, KEYWORD_WEIGHT)
        if search.analysed.wants_more and search.previous is not None:
            return loaded.answerer.more(search.analysed, search.previous, retrieval)
        if search.analysed.asks_speaker and search.previous is not None:
            if (speaker := loaded.answerer.speaker(search.analysed, search.previous)) is not None:
                return speaker
        cited = frozenset((c.doc, c.paragraph) for c in search.previous.citations) if search.previous else frozenset()
        return loaded.answerer.answer(search.analysed, retrieval, cited)


def _may_stand_alone(search: Search) -> bool:
    """"ok what did the academy guy say about the cloud": a follow-up only by its opening word, naming things of its
    own and no one by a pronoun, which can be asked afresh when the earlier turn's words lead its search astray."""
    asked = search.analysed
    return (search.previous is not None and not asked.wants_more and len(asked.terms) >= OWN_TERMS
            and not PRONOUN.search(asked.text))


# "Who wrote it?" after a turn about something else than the article: "it" is that thing ("who wrote this?" is the
# article whatever came before).
_OTHER_WORK = re.compile(r"\b(?:wrote|writes|authored|written)(?: by)? (?:it|that|them)\b")


# "Which ones?", "which of them?", "name them": the things the turn before asked about, by a word standing for them.
_WHICH_ONES = re.compile(r"^(?:and |so |ok |okay )?(?:which (?:ones?|of them)|name them|what are they)\W*$")


def _of_the_things_before(follow_up: Question, earlier: Question, people: frozenset[str]) -> Question:
    """"Which ones?" after "what does the report do with leading companies": asks which companies, so a
    paragraph saying only "leading companies" does not answer it. Any other follow-up as it is."""
    if follow_up.words or not _WHICH_ONES.search(follow_up.text):
        return follow_up
    plural = [w for w in earlier.words if looks_plural(w) and w not in people]
    thing = earlier.head or (plural[-1] if plural else None)
    if thing is None:
        return follow_up
    return replace(follow_up, head=thing, words=(thing,), terms=(stem(thing),))


def _asked_again(loaded: Loaded, earlier: Question, follow_up: Question) -> Question | None:
    """"And yang?" after "how old is li bohu?" analysed as "how old is yang" (shown as asked); None for any other."""
    asked = _asked_of_another(earlier, follow_up, loaded.answerer.people)
    return None if asked is None else replace(loaded.analyser.analyse(asked), raw=follow_up.raw)


def _of_another_person(question: Question) -> bool:
    """"The other speaker", "the other one", "who else": someone besides the person asked about before."""
    said = question.text.split()
    return (question.ordinal == "other" or "else" in said) \
        and (question.focus == Focus.PERSON or bool(set(said) & (PERSON_NOUNS | {"one"})))


def _asked_of_the_other(loaded: Loaded, earlier: Question, follow_up: Question) -> Question | None:
    """"And the other speaker?", "who else spoke?" after "who is li bohu?": the earlier question asked of the first
    person the article introduces who is not the one asked about; None for any other follow-up."""
    if not _of_another_person(follow_up):
        return None
    people = loaded.answerer.people
    asked_before = people & set(earlier.words)
    others = [name for name in loaded.answerer.introduced if not {w.lower() for w in name.split()} & asked_before]
    if not asked_before or not others:
        return None
    asked = _asked_of_another(earlier, replace(follow_up, words=tuple(others[0].lower().split())), people)
    return None if asked is None else replace(loaded.analyser.analyse(asked), raw=follow_up.raw)


# "The first one", "the second one": after a question about people, a person in that place.
_PLACED_ONE = re.compile(r"\b(first|second|third|fourth|fifth|last) one\b")


def _one_of_the_people(loaded: Loaded, earlier: Question, follow_up: Question) -> Question | None:
    """"What did the first one say?" after "who spoke at the forum?" or "who were the speakers?": asks it of the
    first person, which the article's order of introducing people answers or declines (bot/answering.py,
    _in_order); None for any other follow-up ("whats the first one" after "what did the forum release" is the
    first achievement)."""
    if earlier.focus != Focus.PERSON or not SPEAKING.search(earlier.text) or not _PLACED_ONE.search(follow_up.text):
        return None  # "and the second one?" after "who issued it?" is the second achievement
    return replace(loaded.analyser.analyse(_PLACED_ONE.sub(r"\1 person", follow_up.text)), raw=follow_up.raw)


def _asked_of_another(earlier: Question, follow_up: Question, people: frozenset[str]) -> str | None:
    """The earlier question asked again of the person a follow-up names and nothing else ("and yang?",
    "what about li?" after "how old is li bohu?": "how old is yang"); None for any other follow-up."""
    named_now = [w for w in follow_up.words if w in people]
    named_before = [w for w in earlier.words if w in people]
    if not named_now or len(named_now) < len(follow_up.words) or not named_before or set(named_now) & set(named_before):
        return None
    said = earlier.text.split()
    first = next(i for i, w in enumerate(said) if w in named_before)
    return " ".join([*[w for w in said[:first]], *named_now, *[w for w in said[first:] if w not in named_before]])


_ASKS_ITS_OWN = re.compile(r"(?:who|what|when|where|which|why|how)\b", re.I)  # a second part asking of its own


def _said_about_the_one_before(follow_up: Question, earlier: Question, people: frozenset[str]) -> Question:
    """"What did yang say about *him*?" after "who is li bohu?": what she said of him, so the words the turn before
    asked with are the topic her paragraph must speak of; any other follow-up as it is."""
    if not ABOUT_PRONOUN.search(follow_up.text) or not people & set(follow_up.words):
        return follow_up
    referent = [(w, t) for w, t in zip(earlier.words, earlier.terms) if w not in follow_up.words]
    if not referent:
        return follow_up
    return replace(follow_up, words=(*follow_up.words, *(w for w, _ in referent)),
                   terms=(*follow_up.terms, *(t for _, t in referent)), topic=tuple(t for _, t in referent))


def _without_other_people(earlier: Question, follow_up: Question, people: frozenset[str]) -> str:
    """The earlier question's text, less the person it asked about when the follow-up names another (`people`:
    the words of the names the article introduces): "and what about li?" after "what did yang xiuling say?"
    asks what *Li* said."""
    asked_now, asked_before = people & set(follow_up.words), people & set(earlier.words)
    if not asked_now or not asked_before or asked_now & asked_before:
        return earlier.text
    return " ".join(w for w in earlier.text.split() if w not in asked_before)


def _earlier(history: Sequence[str]) -> list[str]:
    """The earlier questions a follow-up may lean on, cleaned."""
    return [unmarked(clean_question(h)) for h in history[-MAX_HISTORY:] if h and h.strip()]
