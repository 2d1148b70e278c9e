"""Span selection on its own: which verbatim piece of a paragraph an answer quotes, with no model or index.

The helpers are pure: a paragraph, offsets and question terms in, offsets out."""
import pytest

from bot.answering import _clause_window, _says_what_it_is, quoted, select_span, with_neighbour
from bot.chunking import Passage, sentence_spans
from bot.retrieval import Hit

PARAGRAPH = ("The forum released two achievements. First, the white paper on industrial platforms, which covers "
             "forty cases. It was written by the institute. Beijing will build a new platform next year.")
SHORT, WHITE_PAPER, REFERS_BACK, BEIJING = sentence_spans(PARAGRAPH)


def hit(start: int, end: int, score: float) -> Hit:
    return Hit(Passage("doc", 1, start, end, PARAGRAPH[start:end]), score, score)


def no_specificity(text: str) -> float:
    return 0.0


def test_the_paragraph_splits_into_the_sentences_these_tests_name():
    assert PARAGRAPH[slice(*SHORT)] == "The forum released two achievements."
    assert PARAGRAPH[slice(*REFERS_BACK)] == "It was written by the institute."


def test_a_sentence_that_stands_alone_is_kept_as_it_is():
    assert with_neighbour(PARAGRAPH, *BEIJING, limit=400) == BEIJING


def test_a_short_sentence_takes_the_next_one_that_completes_it():
    assert with_neighbour(PARAGRAPH, *SHORT, limit=400) == (SHORT[0], WHITE_PAPER[1])


def test_a_sentence_that_refers_back_takes_the_previous_one():
    assert with_neighbour(PARAGRAPH, *REFERS_BACK, limit=400) == (WHITE_PAPER[0], REFERS_BACK[1])


def test_a_neighbour_is_not_added_beyond_the_limit():
    assert with_neighbour(PARAGRAPH, *SHORT, limit=WHITE_PAPER[1] - SHORT[0] - 1) == SHORT


def test_a_part_of_a_sentence_is_quoted_as_the_whole_sentence_when_that_fits():
    part = (BEIJING[0] + len("Beijing "), BEIJING[1])  # a run of clauses, indexed apart from its sentence
    assert with_neighbour(PARAGRAPH, *part, limit=400) == BEIJING
    assert with_neighbour(PARAGRAPH, *part, limit=BEIJING[1] - BEIJING[0] - 1) == part  # the sentence is too long


def test_the_clause_window_holds_the_question_terms():
    start, end = _clause_window(PARAGRAPH, *WHITE_PAPER, weights={"case": 1.0}, limit=60)
    assert PARAGRAPH[start:end] == "which covers forty cases."
    assert end - start <= 60


def test_the_clause_window_prefers_the_earlier_clause_when_terms_tie():
    start, end = _clause_window(PARAGRAPH, *WHITE_PAPER, weights={}, limit=60)
    assert start == WHITE_PAPER[0] and end - start <= 60


def test_a_clause_longer_than_the_limit_is_cut_at_a_word():
    start, end = _clause_window(PARAGRAPH, *BEIJING, weights={}, limit=20)
    assert PARAGRAPH[start:end] == "Beijing will build"  # the last whole words within 20 characters


def test_select_span_quotes_the_best_passage_and_its_neighbour():
    hits = [hit(*BEIJING, 0.9), hit(*SHORT, 0.5)]
    assert select_span(hits, PARAGRAPH, {"beij": 1.0}, 400, no_specificity) == BEIJING


def test_select_span_lets_a_rare_term_outweigh_a_slightly_better_score():
    hits = [hit(*BEIJING, 0.8), hit(*WHITE_PAPER, 0.7)]

    def rare_white_paper(text: str) -> float:
        return 1.0 if "white paper" in text else 0.0

    # ... and, being short, it is quoted with the sentence after it.
    assert select_span(hits, PARAGRAPH, {"white": 1.0, "paper": 1.0}, 400, rare_white_paper) == (WHITE_PAPER[0], REFERS_BACK[1])


def test_select_span_narrows_a_long_passage_to_the_sentence_inside_it():
    whole = hit(SHORT[0], BEIJING[1], 0.9)
    inside = hit(*BEIJING, 0.6)
    assert select_span([whole, inside], PARAGRAPH, {"beij": 1.0}, 80, no_specificity) == BEIJING


def test_select_span_falls_back_to_clauses_when_no_sentence_fits():
    start, end = select_span([hit(*WHITE_PAPER, 0.9)], PARAGRAPH, {"case": 1.0}, 30, no_specificity)
    assert PARAGRAPH[start:end] == "which covers forty cases."


def test_quoted_marks_only_the_ends_that_were_cut():
    assert quoted(PARAGRAPH, *BEIJING) == PARAGRAPH[slice(*BEIJING)]
    assert quoted(PARAGRAPH, BEIJING[0], BEIJING[1] - 10) == PARAGRAPH[BEIJING[0]:BEIJING[1] - 10] + "…"
    assert quoted(PARAGRAPH, WHITE_PAPER[0] + 7, WHITE_PAPER[1]) == "…" + PARAGRAPH[WHITE_PAPER[0] + 7:WHITE_PAPER[1]]


def test_a_count_answers_how_many_only_for_the_things_it_counts():
    from bot.answering import _counts
    assert _counts("The forum also released two major achievements.", "achievements")
    assert not _counts("The forum released two major achievements and a new platform.", "platforms")  # not counted
    assert _counts("More than 3,000 visitors came.", "people")  # called otherwise, no word vectors: any count
    def closest(word, candidates):  # a stand-in for the model's word vectors
        return 0.5 if "visitors" in candidates else 0.2
    assert _counts("More than 3,000 visitors came.", "people", closest)
    assert not _counts("The forum released two major achievements.", "people", closest)
    assert _counts("It integrates four types of new technologies.", "technologies")  # "of", "new" in between
    assert not _counts("It was the 2020 edition of the report.", "editions")  # a year counts nothing


def test_the_sentence_holding_the_number_asked_for_is_quoted():
    hits = [hit(*WHITE_PAPER, 0.9), hit(*BEIJING, 0.5)]
    def has_year(text):
        return "next year" in text
    assert select_span(hits, PARAGRAPH, {}, 400, no_specificity, needed=has_year) == BEIJING
    assert select_span(hits, PARAGRAPH, {}, 400, no_specificity) != BEIJING


def test_a_thing_mentioned_only_as_ours_or_all_is_not_named():
    from bot.answering import only_unnamed
    assert only_unnamed("News from our newspaper (reporter Zhang Qin).", "newspaper")
    assert only_unnamed("with the joint efforts of all parties", "parties")
    assert only_unnamed("It reviews leading companies and typical cases.", "companies")  # a kind, not a name
    assert not only_unnamed("The firm released two major products: a phone and a watch.", "products")
    assert not only_unnamed("It was printed by the Beijing Daily newspaper.", "newspaper")
    assert not only_unnamed("News from our newspaper.", "university")  # not mentioned at all: another check's job


def test_a_thing_is_named_by_a_capitalised_or_quoted_name_beside_it():
    from bot.answering import names_it
    assert names_it('The bureau issued the "2020 Development Report."', "report")
    assert names_it("He works for the Beijing Municipal Bureau.", "bureau")
    assert not names_it("It opens up demonstration zones and free trade zones.", "zones")
    assert not names_it("News from our newspaper (reporter Zhang Qin).", "newspaper")


def test_a_price_is_a_sum_or_free_admission_not_free_trade():
    from bot.answering import holds_focus
    from bot.question import Focus, Question
    price = Question("how much was a ticket?", "how much was a ticket", ("ticket",), focus=Focus.NUMBER, measure="money")
    assert holds_focus(price, "Tickets cost 50 yuan.") and holds_focus(price, "Entry is free for students.")
    assert not holds_focus(price, "free trade demonstration zones in the national service industry")


def test_coverage_of_terms_that_weigh_nothing_is_zero():
    from bot.answering import coverage
    assert coverage(("3",), frozenset({"3"}), {"3": 0.0}, 0.0) == 0.0


def test_where_is_answered_by_a_place_and_which_city_by_its_head_word():
    from bot.answering import holds_focus
    from bot.question import Focus, Question
    where = Question("where was it held?", "where was it held", ("held",), focus=Focus.PLACE)
    assert holds_focus(where, "The forum was held at the Zhongguancun Exhibition Centre.")
    assert holds_focus(where, "It opened in Beijing yesterday.") and holds_focus(where, "See https://example.org")
    assert not holds_focus(where, "Yesterday morning, the forum kicked off.")  # when, not where
    which = Question("which country?", "which country", ("countri",), focus=Focus.PLACE, head="country")
    assert holds_focus(which, "my country's manufacturing industry")  # the head word check decides


def test_a_list_question_quotes_the_passage_naming_most_of_the_items():
    """Of two passages inside an over-long one, a question for a list ("what kinds of platforms") takes the one
    naming the asked thing more often, even when the other also holds a lesser term."""
    weights = {"platform": 1.0, "forum": 0.3}

    def covered(text: str) -> float:
        return sum(w for t, w in weights.items() if t in text.lower())

    whole = hit(SHORT[0], BEIJING[1], 0.9)
    first, later = hit(SHORT[0], WHITE_PAPER[1], 0.6), hit(WHITE_PAPER[0], BEIJING[1], 0.6)
    limit = BEIJING[1] - WHITE_PAPER[0]
    assert limit < BEIJING[1] - SHORT[0]
    hits = [whole, first, later]
    assert select_span(hits, PARAGRAPH, weights, limit, covered) == (SHORT[0], WHITE_PAPER[1])
    assert select_span(hits, PARAGRAPH, weights, limit, covered, listing=True) == (WHITE_PAPER[0], BEIJING[1])


@pytest.mark.parametrize("text, said", [
    ("Academician Li Bohu pointed out that the smart industrial Internet is based on the ubiquitous Internet.", True),
    ("Vigorously developing the smart industrial Internet is of great significance.", False),  # said of developing it
    ("In Beijing, the smart industrial Internet is a network.", True),  # "Beijing" is no verb, and a comma parts them
    ("The smart industrial Internet will grow.", False)])  # no "is"
def test_what_a_thing_is_is_said_where_it_is_the_subject_of_is(text, said):
    assert _says_what_it_is(text, ["smart", "industrial", "internet"]) is said
