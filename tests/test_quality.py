"""Regression floors for answer quality, per set, measured with the real model and index.

The floors sit a little under what the method measures today (see the closing notes of issue 9), so a change
that makes the bot worse fails here. The held-out half is scored like the rest but was never tuned on.
"""
import pytest

from bot.evaluation import ANSWERED_UNANSWERABLE, WRONG_PARAGRAPH, answerability, auc, evaluate, load_questions
from tests.conftest import QUESTIONS, SHARED_EVAL

HOLDOUT = QUESTIONS / "holdout"


def report(engine, *answerable, unanswerable=()):
    for path in (*answerable, *unanswerable):
        if not path.exists():
            pytest.fail(f"{path} is missing: the evaluation sets must sit beside the repository")
    rows = [r for p in answerable for r in load_questions(p)]
    out = [r for p in unanswerable for r in load_questions(p)]
    return evaluate(engine, rows, out)


def test_clean_dev_set(engine):
    dev, _ = report(engine, SHARED_EVAL / "dev.jsonl", unanswerable=[SHARED_EVAL / "dev_out_of_scope.jsonl"])
    assert dev.hit_at_1 >= 0.9 and dev.answer_accuracy >= 0.9
    assert dev.out_of_scope_abstention == 1.0 and dev.verbatim_quotes == 1.0


FRESH = QUESTIONS / "fresh"  # a second held-out set, written later by another session, never read by whoever tunes
FRESH2 = QUESTIONS / "fresh2"  # a third, written by a helper before the tuning of the session that added it
FRESH3 = QUESTIONS / "fresh3"  # the held-out half of a fourth (all3, split with tune3), written the same way
FRESH4 = QUESTIONS / "fresh4"  # a fifth, written by a helper mid-session, scored only in totals
FRESH5 = QUESTIONS / "fresh5"  # a sixth, written by a helper at the start of a session, before its tuning
FRESH6 = QUESTIONS / "fresh6"  # a seventh, written the same way a session later
FRESH7 = QUESTIONS / "fresh7"  # an eighth, by a helper that never saw the bot's code, a session later
FRESH8 = QUESTIONS / "fresh8"  # the held-out half of a ninth (all5, split with tune5), by such a helper, a session later


# (hit@1, answer accuracy, false abstention, near-topic abstention, wrong paragraphs among answers), measured:
# public 0.92 / 0.92 / 0.08 / 0.90 / 0.00, holdout 0.86 / 0.82 / 0.10 / 0.84 / 0.05, fresh 0.73 / 0.71 / 0.13 / 0.78 / 0.15,
# fresh2 0.81 / 0.81 / 0.14 / 0.88 / 0.05, fresh3 0.85 / 0.85 / 0.05 / 1.0 / 0.11, fresh4 0.70 / 0.70 / 0.23 / 0.73 / 0.10,
# fresh5 0.76 / 0.76 / 0.11 / 0.93 / 0.15, fresh6 0.67 / 0.67 / 0.13 / 1.0 / 0.23, fresh7 0.83 / 0.82 / 0.12 / 0.76 / 0.06,
# fresh8 0.88 / 0.85 / 0.08 / 0.84 / 0.04
@pytest.mark.parametrize("answerable, unanswerable, floors", [
    (SHARED_EVAL / "dev_casual.jsonl", SHARED_EVAL / "dev_near_topic.jsonl", (0.8, 0.8, 0.14, 0.74, 0.1)),
    (HOLDOUT / "casual.jsonl", HOLDOUT / "near_topic.jsonl", (0.76, 0.7, 0.18, 0.78, 0.1)),
    (FRESH / "casual.jsonl", FRESH / "near_topic.jsonl", (0.66, 0.62, 0.2, 0.76, 0.2)),
    (FRESH2 / "casual.jsonl", FRESH2 / "near_topic.jsonl", (0.68, 0.68, 0.23, 0.74, 0.14)),
    (FRESH3 / "casual.jsonl", FRESH3 / "near_topic.jsonl", (0.65, 0.6, 0.25, 0.85, 0.12)),
    (FRESH4 / "casual.jsonl", FRESH4 / "near_topic.jsonl", (0.55, 0.55, 0.33, 0.66, 0.22)),
    (FRESH5 / "casual.jsonl", FRESH5 / "near_topic.jsonl", (0.66, 0.66, 0.18, 0.8, 0.2)),
    (FRESH6 / "casual.jsonl", FRESH6 / "near_topic.jsonl", (0.58, 0.58, 0.22, 0.85, 0.3)),
    (FRESH7 / "casual.jsonl", FRESH7 / "near_topic.jsonl", (0.76, 0.75, 0.18, 0.7, 0.12)),
    (FRESH8 / "casual.jsonl", FRESH8 / "near_topic.jsonl", (0.8, 0.78, 0.14, 0.78, 0.1)),
], ids=["public", "holdout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8"])
def test_casual_and_near_topic_questions(engine, answerable, unanswerable, floors):
    hit_at_1, accuracy, false_abstention, near_abstention, wrong_paragraphs = floors
    casual, records = report(engine, answerable, unanswerable=[unanswerable])
    assert casual.hit_at_1 >= hit_at_1 and casual.answer_accuracy >= accuracy
    assert casual.false_abstention <= false_abstention
    assert casual.near_abstention >= near_abstention and casual.far_abstention in (1.0, None)  # fresh4 has no far ones
    assert casual.verbatim_quotes == 1.0
    answered = [r for r in records if r["answerable"] and not r["abstained"]]
    assert sum(r["cause"] == WRONG_PARAGRAPH for r in answered) <= wrong_paragraphs * len(answered)


# turn and follow-up accuracy measured: public 0.94 / 0.96, holdout 0.95 / 0.92, fresh 0.89 / 0.84, fresh2 0.80 / 0.72,
# fresh3 0.67 / 0.63, fresh4 0.82 / 0.79, fresh5 0.87 / 0.85, fresh6 0.92 / 0.88, fresh7 0.85 / 0.81, fresh8 0.86 / 0.79
@pytest.mark.parametrize("conversations, floor", [(SHARED_EVAL / "dev_conversations.jsonl", 0.85),
                                                  (HOLDOUT / "conversations.jsonl", 0.8),
                                                  (FRESH / "conversations.jsonl", 0.7),
                                                  (FRESH2 / "conversations.jsonl", 0.55),
                                                  (FRESH3 / "conversations.jsonl", 0.57),
                                                  (FRESH4 / "conversations.jsonl", 0.7),
                                                  (FRESH5 / "conversations.jsonl", 0.78),
                                                  (FRESH6 / "conversations.jsonl", 0.8),
                                                  (FRESH7 / "conversations.jsonl", 0.75),
                                                  (FRESH8 / "conversations.jsonl", 0.72)],
                         ids=["public", "holdout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7",
                              "fresh8"])
def test_conversations(engine, conversations, floor):
    turns, records = report(engine, conversations)
    assert turns.turn_accuracy >= floor and turns.follow_up_accuracy >= floor
    assert turns.verbatim_quotes == 1.0


@pytest.mark.parametrize("chinese", [SHARED_EVAL / "dev_multilingual.jsonl", HOLDOUT / "multilingual.jsonl"],
                         ids=["public", "holdout"])
def test_no_chinese_question_gets_a_wrong_citation(engine, chinese):
    _, records = report(engine, chinese)
    assert not [r for r in records if r["cause"] == WRONG_PARAGRAPH]
    assert all(r["abstained"] for r in records)  # told, in Chinese, that answers are in English


def test_calibration_is_fitted_at_build_and_separates_near_topic_questions(engine):
    calibration = engine.store.manifest["calibration"]
    assert calibration["calibrated"] is True
    assert calibration["answerability_auc"] >= 0.85  # 0.92 measured
    assert calibration["unanswerable_abstention"] >= 0.75 and calibration["false_abstention"] <= 0.2


@pytest.mark.parametrize("held_out, floor", [(HOLDOUT, 0.85), (FRESH, 0.76), (FRESH2, 0.76), (FRESH3, 0.8), (FRESH4, 0.7),
                                                (FRESH5, 0.82), (FRESH6, 0.8), (FRESH7, 0.8), (FRESH8, 0.78)],
                         ids=["holdout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8"])
def test_answerability_separates_held_out_questions(engine, held_out, floor):
    """The signal the bot decides on, measured on questions nobody tuned on
    (0.95, 0.86, 0.87, 0.91, 0.81, 0.91, 0.90, 0.87, 0.85 measured)."""
    answerable = [answerability(engine.assess(r["question"])) for r in load_questions(held_out / "casual.jsonl")]
    near = [answerability(engine.assess(r["question"])) for r in load_questions(held_out / "near_topic.jsonl")
            if r.get("kind") == "near"]
    assert auc(answerable, near) >= floor


def test_answering_an_unanswerable_question_is_counted_as_such(engine):
    _, records = evaluate(engine, [], [{"id": "x", "question": "Who is Li Bohu?"}])
    assert records[0]["cause"] == ANSWERED_UNANSWERABLE
