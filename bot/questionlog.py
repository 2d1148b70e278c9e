"""The question log: what was asked, what was answered, what was not. SQLite (WAL), no raw user ids.

Operators read it through `forumbot stats` and `/stats` to see the gaps: frequent questions the bot
could not answer or that users voted down, which is what to add to the corpus next.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import sqlite3
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from bot.answer import Answer, Kind, shorten
from bot.background import BackgroundWriter
from bot.errors import ConfigError, QuestionLogError
from bot.settings import Settings

log = logging.getLogger(__name__)

# Each entry upgrades the schema by one version (PRAGMA user_version); never edit a released one.
MIGRATIONS = [
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        asked_at REAL NOT NULL,
        guild_id INTEGER,
        channel_id INTEGER,
        user_hash TEXT NOT NULL,
        question TEXT NOT NULL,
        abstained INTEGER NOT NULL,
        top_score REAL NOT NULL,
        paragraphs TEXT NOT NULL,
        latency_ms REAL NOT NULL,
        index_version TEXT NOT NULL,
        feedback INTEGER
    );
    CREATE INDEX questions_asked_at ON questions(asked_at);
    """,
    # One vote per user per answer (+1, or -1 for 👎 and "should have been answered"), each user's own.
    """
    CREATE TABLE votes (
        question_id INTEGER NOT NULL,
        user_hash TEXT NOT NULL,
        value INTEGER NOT NULL,
        reason TEXT,
        voted_at REAL NOT NULL,
        PRIMARY KEY (question_id, user_hash)
    );
    """,
    # What the answer was (Answer.kind): small talk and language redirects are not gaps. NULL in older rows.
    "ALTER TABLE questions ADD COLUMN kind TEXT;",
]
DAY = 86400
Write = Callable[[sqlite3.Connection], object]  # one queued statement (or a few), run on the writer's connection
ROW_IDS = 2**63 - 1  # SQLite's positive integer ids: random ones, chosen before the write, never collide in practice
QUEUE_CAPACITY = 1000  # rows and votes waiting for the disk; past this they are counted as unwritten, not held
WRITE_ATTEMPTS = 4  # each waits BUSY_TIMEOUT for a lock, then backs off RETRY_BACKOFF, doubling: ~25 s in all
RETRY_BACKOFF = 0.5  # seconds
BUSY_TIMEOUT = 5.0  # seconds a statement waits for another process's lock (a backup, a sqlite3 shell)
FLUSH_TIMEOUT = 2.0  # seconds a read waits for queued writes before reading without them
CLOSE_TIMEOUT = 10.0  # seconds shutting down waits for queued writes
# Measured with all-MiniLM-L6-v2 on questions about the forum: rephrasings score 0.82-0.96 ("How many people
# came to the forum?" 0.95), different questions with the same question word at most 0.74 ("Who organised…" /
# "Who spoke first…"), but different question words reach 0.88 ("Who organised…" / "Where was… held"),
# hence both: the same question word, and at least this similarity.
GAP_SIMILARITY = 0.8
NOT_QUESTIONS = (Kind.HELP.value, Kind.LANGUAGE.value)  # small talk and language redirects: neither answers nor gaps
_QUESTION_WORDS = ("how many", "how much", "how long", "who", "whom", "whose", "when", "where", "why", "which", "what", "how")
_QUESTION_WORD = re.compile(r"\b(" + "|".join(_QUESTION_WORDS) + r")\b")

Encoder = Callable[[list[str]], np.ndarray]  # texts -> unit vectors (the sentence model's encode)


@dataclass(frozen=True)
class Stats:
    days: int
    questions: int  # everything asked, small talk included
    per_day: list[dict]  # every UTC day of the window, oldest first, zero days included
    abstention_rate: float  # of real questions: small talk and language redirects left out
    latency_p50_ms: float
    latency_p95_ms: float
    top_questions: list[dict]
    gaps: list[dict]  # {"question", "count", "variants": other phrasings merged into it}
    feedback: dict
    unwritten: int  # rows and votes this process could not write since it started (0 from the CLI, which writes none)
    small_talk: int = 0  # greetings, "help" and the like
    other_language: int = 0  # questions answered with "I answer in English"

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def _window(days: int, now: float) -> list[str]:
    """The last `days` UTC calendar days, today included, as ISO dates (what SQLite's date() gives)."""
    today = datetime.fromtimestamp(now, timezone.utc).date()
    return [(today - timedelta(days=back)).isoformat() for back in range(days - 1, -1, -1)]


def _question_word(question: str) -> str:
    match = _QUESTION_WORD.search(question.lower())
    return match.group(1) if match else ""


def _group(questions: Sequence[str], top: int, encode: Encoder | None = None) -> list[dict]:
    """The most asked questions, counted by text (case and spacing ignored), and with an encoder also by
    meaning: a question joins a more frequent one that asks the same thing in other words."""
    groups: dict[str, dict] = {}
    for question in questions:
        key = " ".join(question.lower().split())
        groups.setdefault(key, {"question": question, "count": 0, "variants": []})["count"] += 1
    ranked = sorted(groups.values(), key=lambda g: (-g["count"], g["question"]))
    if encode is None or len(ranked) < 2:
        return ranked[:top]
    vectors = encode([g["question"] for g in ranked])
    merged: list[tuple[dict, np.ndarray, str]] = []
    for group, vector in zip(ranked, vectors):
        word = _question_word(group["question"])
        into = next((m for m, v, w in merged if w == word and float(vector @ v) >= GAP_SIMILARITY), None)
        if into is None:
            merged.append((group, vector, word))
        else:
            into["count"] += group["count"]
            into["variants"].append(group["question"])
    return sorted((m for m, _, _ in merged), key=lambda g: -g["count"])[:top]


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class QuestionLog:
    """Answers never wait on the log: rows and votes are written by a background writer with their ids
    chosen up front, so a vote on a row still queued lands once the row is written. Reads (stats,
    pruning) use a second connection, shared by worker threads under a lock."""

    def __init__(self, path: Path, salt: str | None = None):
        self.path = path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._salt = salt or self._stored_salt(path.parent / "salt")
        except OSError as exc:
            raise QuestionLogError(f"cannot write to the data folder {path.parent} ({exc.strerror}); "
                                   f"set FORUMBOT_DATA_DIR to a writable folder") from None
        if not os.access(path.parent, os.W_OK):  # even reading needs it: SQLite's WAL keeps its index beside the file
            raise QuestionLogError(f"cannot write to the data folder {path.parent} (read-only); "
                                   f"set FORUMBOT_DATA_DIR to a writable folder")
        self._lock = threading.Lock()
        try:
            self._db = self._connect()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
            writer_db = self._connect()
        except sqlite3.Error as exc:
            raise self._unusable(exc) from None
        def run(write: Write) -> None:
            write(writer_db)

        self._writer: BackgroundWriter[Write] = BackgroundWriter(run, writer_db.close, name="question log",
                                                                 capacity=QUEUE_CAPACITY, attempts=WRITE_ATTEMPTS,
                                                                 backoff=RETRY_BACKOFF)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, check_same_thread=False, isolation_level=None)

    def _unusable(self, exc: sqlite3.Error) -> QuestionLogError:
        if "locked" in str(exc):
            return QuestionLogError(f"the question log {self.path} is locked by another process ({exc}); "
                                    "try again when it is done")
        return QuestionLogError(f"cannot use the question log {self.path} ({exc}); if the file is damaged, "
                                f"move it aside and a new log is started")

    @staticmethod
    def _stored_salt(path: Path) -> str:
        """A random salt kept beside the database, so hashes stay stable across restarts."""
        if not path.exists():
            path.write_text(secrets.token_hex(16), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._lock:
                self._db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

    def _read(self, sql: str, params: tuple = ()) -> tuple[list[str], list[tuple]]:
        """(column names, rows) of a query that sees every write queued before it (waiting at most
        FLUSH_TIMEOUT for them). Fetched under the lock: the connection is shared by threads."""
        self._writer.flush(FLUSH_TIMEOUT)
        with self._lock:
            try:
                cursor = self._db.execute(sql, params)
                return [d[0] for d in cursor.description], cursor.fetchall()
            except sqlite3.Error as exc:
                raise QuestionLogError(f"cannot read the question log {self.path} ({exc})") from None

    @property
    def schema_version(self) -> int:
        return self._read("PRAGMA user_version")[1][0][0]

    @property
    def unwritten(self) -> int:
        """Rows and votes this process could not write (queue full, or every retry failed); each is also logged."""
        return self._writer.lost

    def flush(self, timeout: float = FLUSH_TIMEOUT) -> bool:
        return self._writer.flush(timeout)

    def user_hash(self, user_id: int) -> str:
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()[:16]

    def record(self, answer: Answer, user_id: int, guild_id: int | None = None, channel_id: int | None = None,
               asked_at: float | None = None) -> int:
        """Queue one answered (or abstained) question and return its row id for feedback, at once."""
        row_id = 1 + secrets.randbelow(ROW_IDS)
        values = (row_id, asked_at or time.time(), guild_id, channel_id, self.user_hash(user_id), answer.question,
                  int(answer.abstained), answer.top_score, json.dumps([c.paragraph for c in answer.citations]),
                  answer.latency_ms, answer.index_version, answer.kind.value)
        self._writer.submit(lambda db: db.execute(
            "INSERT INTO questions (id, asked_at, guild_id, channel_id, user_hash, question, abstained, top_score,"
            " paragraphs, latency_ms, index_version, kind) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", values))
        return row_id

    def vote(self, row_id: int, user_id: int, value: int, reason: str | None = None) -> bool:
        """Queue the user's vote on an answer: +1 or -1. A later vote by the same user replaces theirs, never
        another's. No foreign key: the question row may be written after the vote. False if not even queued."""
        values = (row_id, self.user_hash(user_id), value, reason, time.time())
        return self._writer.submit(lambda db: db.execute(
            "INSERT INTO votes (question_id, user_hash, value, reason, voted_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT (question_id, user_hash) DO UPDATE SET value = excluded.value,"
            " reason = excluded.reason, voted_at = excluded.voted_at", values))

    def votes(self, row_id: int) -> dict[str, int]:
        """Votes on one answer: {"up": n, "down": n}."""
        _, rows = self._read("SELECT COALESCE(SUM(value > 0), 0), COALESCE(SUM(value < 0), 0)"
                             " FROM votes WHERE question_id = ?", (row_id,))
        up, down = rows[0] if rows else (0, 0)
        return {"up": up, "down": down}

    def row(self, row_id: int) -> dict | None:
        columns, rows = self._read("SELECT * FROM questions WHERE id = ?", (row_id,))
        return dict(zip(columns, rows[0])) if rows else None

    def prune(self, retention_days: int, now: float | None = None) -> int | None:
        """Delete rows and votes past retention; the number of rows removed, or None after a logged failure.
        Never raises, so the daily loop that calls it survives a locked or damaged log and tries again next time."""
        cutoff = (now or time.time()) - retention_days * DAY
        try:
            with self._lock:
                self._db.execute("DELETE FROM votes WHERE voted_at < ?", (cutoff,))
                return self._db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
        except sqlite3.Error as exc:
            log.warning("question log: pruning failed (%s); it is tried again at the next prune", exc)
            return None

    def stats(self, days: int = 7, now: float | None = None, top: int = 5, encode: Encoder | None = None) -> Stats:
        """The last `days` UTC days, today included. With `encode` (the sentence model), gaps that ask the
        same thing in other words are counted as one; it is only called when there are two gaps or more."""
        window = _window(days, now or time.time())
        _, rows = self._read(
            "SELECT date(asked_at, 'unixepoch'), question, abstained, latency_ms,"
            " (SELECT COALESCE(SUM(value > 0), 0) FROM votes WHERE question_id = questions.id)"
            " + (COALESCE(feedback, 0) = 1),"  # the feedback column holds votes from before the votes table
            " (SELECT COALESCE(SUM(value < 0), 0) FROM votes WHERE question_id = questions.id)"
            " + (COALESCE(feedback, 0) = -1), kind"
            " FROM questions WHERE date(asked_at, 'unixepoch') BETWEEN ? AND ? ORDER BY asked_at", (window[0], window[-1]))
        per_day: dict[str, dict[str, Any]] = {day: {"day": day, "questions": 0, "abstained": 0, "small_talk": 0}
                                              for day in window}
        asked = [r for r in rows if r[6] not in NOT_QUESTIONS]
        for day, _, abstained, _, _, _, kind in rows:
            entry = per_day[day]
            entry["questions"] += 1
            entry["small_talk"] += kind in NOT_QUESTIONS
            entry["abstained"] += bool(abstained) and kind not in NOT_QUESTIONS
        latencies = [r[3] for r in rows]
        return Stats(
            days=days,
            questions=len(rows),
            per_day=list(per_day.values()),
            abstention_rate=round(sum(r[2] for r in asked) / len(asked), 4) if asked else 0.0,
            latency_p50_ms=round(_percentile(latencies, 50), 1),
            latency_p95_ms=round(_percentile(latencies, 95), 1),
            top_questions=_group([r[1] for r in asked], top),
            gaps=_group([r[1] for r in asked if r[2] or r[5]], top, encode),
            feedback={"up": sum(r[4] for r in rows), "down": sum(r[5] for r in rows)},
            unwritten=self.unwritten,
            small_talk=sum(r[6] == Kind.HELP.value for r in rows),
            other_language=sum(r[6] == Kind.LANGUAGE.value for r in rows),
        )

    def close(self) -> None:
        """Writes what is queued (for at most CLOSE_TIMEOUT), then closes. Waits for a query in another
        thread to finish: closing under it crashes the interpreter."""
        self._writer.close(CLOSE_TIMEOUT)
        with self._lock:
            self._db.close()


def open_log(settings: Settings) -> QuestionLog:
    """The log in the configured data folder, shared by the bot and `forumbot stats`."""
    salt = settings.log_salt.get_secret_value() if settings.log_salt else None
    return QuestionLog(settings.data_dir / "questions.sqlite3", salt)


PLOT_LABEL_CHARS = 60  # a gap's label in the plot; longer questions are cut with an ellipsis
PLOT_GAP_ROWS = 5  # room for this many gaps (stats' default top), so bars keep one thickness whatever their number


def gap_label(gap: dict, limit: int = PLOT_LABEL_CHARS) -> str:
    """A gap as one line: its most asked wording, and how many other wordings were merged into it."""
    return shorten(gap["question"], limit) + (f" (+{len(gap['variants'])} similar)" if gap.get("variants") else "")


def plot_stats(stats: Stats, path: Path) -> None:
    """Questions per day (answered, abstained, small talk: stacked, with a legend) above the gaps, for
    operators who prefer a picture. Every day of the window has its bar, zero days included."""
    try:
        import matplotlib
    except ImportError:
        raise ConfigError("--plot needs matplotlib, an optional extra: pip install '.[plot]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    days = [datetime.strptime(d["day"], "%Y-%m-%d").strftime("%a %d %b") for d in stats.per_day]
    answered = [d["questions"] - d["abstained"] - d["small_talk"] for d in stats.per_day]
    abstained = [d["abstained"] for d in stats.per_day]
    small_talk = [d["small_talk"] for d in stats.per_day]
    fig, (ax, gaps) = plt.subplots(2, 1, figsize=(9, 7), gridspec_kw={"height_ratios": [3, 2]})
    ax.bar(days, answered, color="#5865F2", label="answered")
    ax.bar(days, abstained, bottom=answered, color="#ED4245", label="abstained (not in the article)")
    ax.bar(days, small_talk, bottom=[a + b for a, b in zip(answered, abstained)], color="#B9BBBE",
           label="small talk and other languages")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("questions per day (UTC)")
    ax.tick_params(axis="x", rotation=45 if len(days) > 10 else 0, labelsize=8)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8, frameon=False)  # never over a bar
    fig.suptitle(f"forumbot, last {stats.days} days: {stats.questions} questions, "
                 f"{stats.abstention_rate:.0%} of real questions abstained, "
                 f"votes {stats.feedback['up']} up / {stats.feedback['down']} down",
                 fontsize=10)
    gaps.set_title("Gaps: unanswered or voted down (similar questions merged)", fontsize=10)
    if stats.gaps:
        gaps.barh([gap_label(g) for g in stats.gaps], [g["count"] for g in stats.gaps], color="#ED4245", height=0.6)
        gaps.set_ylim(max(len(stats.gaps), PLOT_GAP_ROWS) - 0.5, -0.5)  # the most asked on top; one gap is not one wall of red
        gaps.xaxis.set_major_locator(MaxNLocator(integer=True))
        gaps.set_xlabel("times asked")
        gaps.tick_params(axis="y", labelsize=8)
    else:
        gaps.text(0.5, 0.5, "none: every question in this window was answered", ha="center", va="center")
        gaps.set_axis_off()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
