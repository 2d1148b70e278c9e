import json
import logging
import sqlite3
import time

import pytest

from bot import questionlog
from bot.answer import Answer, Citation, Kind
from bot.errors import QuestionLogError
from bot.questionlog import MIGRATIONS, QuestionLog, plot_stats
from tests.conftest import locked

DAY = 86400
NOW = 1_790_000_000.0


def answer(question, abstained=False, latency=10.0):
    citations = () if abstained else (Citation(1, "doc", "T", 2, "q", "q text", 0.9),)
    return Answer(question, "text", abstained, citations, latency, "v1", Kind.ABSTAINED if abstained else Kind.ANSWERED, 0.8)


def test_schema_is_migrated_and_in_wal_mode(tmp_path):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    assert log.schema_version == len(MIGRATIONS)
    log.close()
    db = sqlite3.connect(tmp_path / "q.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened = QuestionLog(tmp_path / "q.sqlite3", salt="s")  # migrating again is a no-op
    assert reopened.schema_version == len(MIGRATIONS)


def test_rows_hold_a_salted_hash_never_the_user_id(tmp_path):
    log = QuestionLog(tmp_path / "q.sqlite3")
    row_id = log.record(answer("Who is Li Bohu?"), user_id=123456789012345678, guild_id=1, channel_id=2)
    row = log.row(row_id)
    assert row["user_hash"] != "123456789012345678" and "123456789012345678" not in json.dumps(row)
    assert row["paragraphs"] == "[2]" and row["guild_id"] == 1 and row["feedback"] is None
    assert (tmp_path / "salt").exists()
    assert QuestionLog(tmp_path / "q.sqlite3").user_hash(123456789012345678) == row["user_hash"]  # stable salt


def test_feedback_lands_on_its_row_and_pruning_removes_old_rows(tmp_path):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    old = log.record(answer("old question"), 1, asked_at=NOW - 100 * DAY)
    new = log.record(answer("new question"), 1, asked_at=NOW)
    assert log.vote(new, 1, -1) and log.votes(new) == {"up": 0, "down": 1} and log.votes(old) == {"up": 0, "down": 0}
    assert log.prune(retention_days=90, now=NOW) == 1
    assert log.row(old) is None and log.row(new) is not None


def test_stats_show_volume_abstention_latency_top_questions_and_gaps(tmp_path):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    for i in range(3):
        log.record(answer("Who is Li Bohu?", latency=10 + i), 1, asked_at=NOW - DAY)
    for _ in range(2):
        log.record(answer("How many people attended?", abstained=True, latency=20), 2, asked_at=NOW)
    disliked = log.record(answer("What was released?"), 3, asked_at=NOW)
    log.vote(disliked, 3, -1)
    log.record(answer("ancient"), 1, asked_at=NOW - 30 * DAY)
    stats = log.stats(days=7, now=NOW)
    data = stats.to_dict()
    assert set(data) == {"days", "questions", "per_day", "abstention_rate", "latency_p50_ms", "latency_p95_ms",
                         "top_questions", "gaps", "feedback", "unwritten", "small_talk", "other_language"}
    assert stats.questions == 6 and len(stats.per_day) == 7
    assert stats.abstention_rate == round(2 / 6, 4)
    assert stats.top_questions[0] == {"question": "Who is Li Bohu?", "count": 3, "variants": []}
    assert [(g["question"], g["count"]) for g in stats.gaps] == [("How many people attended?", 2), ("What was released?", 1)]
    assert stats.feedback == {"up": 0, "down": 1}
    assert 10 <= stats.latency_p50_ms <= 20 and stats.latency_p95_ms == 20
    plot_stats(stats, tmp_path / "stats.png")
    assert (tmp_path / "stats.png").read_bytes()[:4] == b"\x89PNG"


def test_a_locked_log_queues_the_row_and_a_vote_on_it_lands_once_written(tmp_path):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    with locked(tmp_path / "q.sqlite3"):
        row_id = log.record(answer("Who is Li Bohu?"), 1)  # returns at once, with the id the row will have
        assert log.vote(row_id, 1, -1)
        assert not log.flush(timeout=0.2)  # both still waiting for the lock
    assert log.flush()
    assert log.row(row_id) is not None and log.votes(row_id) == {"up": 0, "down": 1} and log.unwritten == 0


@pytest.fixture
def impatient(monkeypatch):
    """Locks are waited for and retried briefly, so giving up takes a fraction of a second."""
    monkeypatch.setattr(questionlog, "BUSY_TIMEOUT", 0.05)
    monkeypatch.setattr(questionlog, "RETRY_BACKOFF", 0.01)


def test_writes_that_keep_failing_are_counted_and_logged_never_raised(tmp_path, impatient, caplog):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    caplog.set_level(logging.WARNING)
    with locked(tmp_path / "q.sqlite3"):
        row_id = log.record(answer("Who is Li Bohu?"), 1)
        log.vote(row_id, 1, 1)
        assert log.flush()
    assert log.unwritten == 2 and log.stats(days=7).unwritten == 2
    assert "question log: a write was not done (OperationalError: database is locked); 1 lost" in caplog.text
    log.vote(row_id, 1, -1)  # a vote needs no row: it lands even though its question was lost
    assert log.flush() and log.unwritten == 2 and log.votes(row_id) == {"up": 0, "down": 1}
    log.record(answer("Who is Yang Xiuling?"), 1)  # the next one, once the lock is gone, is written
    assert log.stats(days=7).questions == 1


def test_a_full_queue_drops_and_counts_instead_of_holding(tmp_path, monkeypatch):
    monkeypatch.setattr(questionlog, "QUEUE_CAPACITY", 2)
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    with locked(tmp_path / "q.sqlite3"):
        for n in range(5):
            log.record(answer(f"question {n}"), 1)
        assert log.unwritten == 3
    assert log.stats(days=7).questions == 2


def test_a_failed_prune_is_logged_and_the_next_one_works(tmp_path, impatient, caplog):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    log.record(answer("old question"), 1, asked_at=NOW - 100 * DAY)
    log.flush()
    with locked(tmp_path / "q.sqlite3"), caplog.at_level(logging.WARNING):
        assert log.prune(retention_days=90, now=NOW) is None
    assert "pruning failed (database is locked)" in caplog.text
    assert log.prune(retention_days=90, now=NOW) == 1


def test_a_damaged_log_or_an_uncreatable_folder_is_one_line(tmp_path):
    (tmp_path / "q.sqlite3").write_bytes(b"this is not a database, just bytes " * 100)
    with pytest.raises(QuestionLogError, match=r"q.sqlite3 \(file is not a database\); if the file is damaged, move it aside"):
        QuestionLog(tmp_path / "q.sqlite3", salt="s")
    (tmp_path / "file").write_text("in the way", encoding="utf-8")
    with pytest.raises(QuestionLogError, match=r"cannot write to the data folder .*file/data \(Not a directory\)"):
        QuestionLog(tmp_path / "file" / "data" / "q.sqlite3")
def test_votes_are_one_per_user_per_answer_changeable_and_each_users_own(tmp_path):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    liked = log.record(answer("Who is Li Bohu?"), 1, asked_at=NOW)
    gap = log.record(answer("How many people attended?", abstained=True), 2, asked_at=NOW)
    log.vote(liked, user_id=1, value=1)
    log.vote(liked, user_id=2, value=-1, reason="too long")
    log.vote(liked, user_id=2, value=-1, reason="too long")  # the same vote twice counts once
    assert log.votes(liked) == {"up": 1, "down": 1}
    log.vote(liked, user_id=2, value=1)  # changed, and user 2 cannot touch user 1's vote
    assert log.votes(liked) == {"up": 2, "down": 0}
    log.vote(gap, user_id=3, value=-1)  # "this should have been answered"
    stats = log.stats(days=7, now=NOW)
    assert stats.feedback == {"up": 2, "down": 1}
    assert stats.gaps == [{"question": "How many people attended?", "count": 1, "variants": []}]
    assert log.prune(retention_days=0, now=max(NOW, time.time()) + DAY) == 2 and log.votes(liked) == {"up": 0, "down": 0}


def test_a_log_from_before_votes_is_migrated_and_keeps_its_rows(tmp_path):
    db = sqlite3.connect(tmp_path / "q.sqlite3")
    db.executescript(f"{MIGRATIONS[0]}; PRAGMA user_version = 1;")
    db.execute("INSERT INTO questions VALUES (1, ?, NULL, NULL, 'h', 'old', 0, 0.5, '[]', 1.0, 'v', -1)", (NOW,))
    db.commit()
    db.close()
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    assert log.schema_version == len(MIGRATIONS) and log.stats(days=7, now=NOW).feedback == {"up": 0, "down": 1}


def test_every_day_of_the_window_is_there_including_days_without_questions(tmp_path):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    log.record(answer("Who is Li Bohu?"), 1, asked_at=NOW - 3 * DAY)
    log.record(answer("Who is Li Bohu?"), 1, asked_at=NOW)
    log.record(answer("Who is Li Bohu?"), 1, asked_at=NOW - 7 * DAY)  # the day before the window
    per_day = log.stats(days=7, now=NOW).per_day
    assert [d["day"] for d in per_day] == ["2026-09-15", "2026-09-16", "2026-09-17", "2026-09-18",
                                           "2026-09-19", "2026-09-20", "2026-09-21"]  # NOW is 2026-09-21 UTC
    assert [d["questions"] for d in per_day] == [0, 0, 0, 1, 0, 0, 1]


def reply(question, kind):
    return Answer(question, "I answer questions about…", True, (), 5.0, "v1", kind, 0.0)


def test_small_talk_and_language_redirects_are_counted_apart_from_gaps(tmp_path):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    log.record(reply("help", Kind.HELP), 1, asked_at=NOW)
    log.record(reply("hi there", Kind.HELP), 1, asked_at=NOW)
    log.record(reply("李伯虎是谁？", Kind.LANGUAGE), 1, asked_at=NOW)
    log.record(answer("How many people attended?", abstained=True), 1, asked_at=NOW)
    log.record(answer("Who is Li Bohu?"), 1, asked_at=NOW)
    stats = log.stats(days=1, now=NOW)
    assert stats.questions == 5 and stats.small_talk == 2 and stats.other_language == 1
    assert [g["question"] for g in stats.gaps] == ["How many people attended?"]
    assert stats.abstention_rate == 0.5  # of the two real questions
    assert stats.per_day == [{"day": "2026-09-21", "questions": 5, "abstained": 1, "small_talk": 3}]
    assert "help" not in [q["question"] for q in stats.top_questions]


def test_gaps_asking_the_same_thing_in_other_words_are_merged(tmp_path, embedder):
    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    questions = ["How many people attended?", "how many people  attended?", "How many attendees were there?",
                 "Who organised the forum?", "Where was the forum held?", "Who spoke first at the forum?"]
    for second, question in enumerate(questions):
        log.record(answer(question, abstained=True), 1, asked_at=NOW + second)  # a group is shown as first asked
    gaps = log.stats(days=1, now=NOW, encode=embedder.encode).gaps
    assert gaps[0] == {"question": "How many people attended?", "count": 3, "variants": ["How many attendees were there?"]}
    assert sorted(g["question"] for g in gaps[1:]) == ["Where was the forum held?", "Who organised the forum?",
                                                       "Who spoke first at the forum?"]  # close, but other questions
    assert sum(g["count"] for g in gaps) == 6


def test_the_encoder_is_not_needed_for_fewer_than_two_gaps(tmp_path):
    def no_model(texts):
        raise AssertionError("the model was asked for")

    log = QuestionLog(tmp_path / "q.sqlite3", salt="s")
    log.record(answer("How many people attended?", abstained=True), 1, asked_at=NOW)
    log.record(answer("How many people attended?", abstained=True), 1, asked_at=NOW)
    assert log.stats(days=1, now=NOW, encode=no_model).gaps[0]["count"] == 2
