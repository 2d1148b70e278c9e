"""Regression floor on the shared evaluation set (held out from calibration and tuning)."""
import pytest

from bot.evaluation import evaluate, fit_threshold, load_questions
from tests.conftest import QUESTIONS, SHARED_EVAL


@pytest.fixture(scope="module")
def dev_report(engine):
    if not (SHARED_EVAL / "dev.jsonl").exists():
        pytest.fail(f"{SHARED_EVAL} is missing: the shared evaluation set must sit beside the repository")
    report, _ = evaluate(engine, load_questions(SHARED_EVAL / "dev.jsonl"),
                         load_questions(SHARED_EVAL / "dev_out_of_scope.jsonl"))
    return report


def test_dev_set_meets_the_targets(dev_report):
    assert dev_report.hit_at_1 >= 0.95
    assert dev_report.hit_at_3 >= 0.975
    assert dev_report.answer_accuracy >= 0.85
    assert dev_report.false_abstention <= 0.05
    assert dev_report.out_of_scope_abstention == 1.0
    assert dev_report.verbatim_quotes == 1.0


def test_own_questions_generalise(engine):
    report, _ = evaluate(engine, load_questions(QUESTIONS / "in_scope.jsonl"), load_questions(QUESTIONS / "off_topic.jsonl"))
    assert report.hit_at_1 >= 0.95 and report.false_abstention <= 0.05 and report.out_of_scope_abstention == 1.0


def test_near_topic_abstention_is_tracked(engine):
    report, _ = evaluate(engine, [], load_questions(QUESTIONS / "near_topic.jsonl"))
    assert report.out_of_scope_abstention >= 0.7


def test_calibration_is_stored_in_the_manifest(engine):
    calibration = engine.store.manifest["calibration"]
    assert calibration["calibrated"] is True and calibration["out_of_scope_abstention"] == 1.0


def test_threshold_separates_and_leans_toward_answering():
    threshold = fit_threshold([0.8, 0.9, 1.0], [0.1, 0.2, 0.4])
    assert 0.4 < threshold < 0.6
