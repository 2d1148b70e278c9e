"""The question log: what was asked, what was answered, what was not. SQLite (WAL), no raw user ids.

Operators read it through `forumbot stats` and `/stats` to see the gaps: frequent questions the bot
could not answer or that users voted down, which is what to add to the corpus next.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bot.answer import Answer
from bot.settings import Settings

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
]
DAY = 86400


@dataclass(frozen=True)
class Stats:
    days: int
    questions: int
    per_day: list[dict]
    abstention_rate: float
    latency_p50_ms: float
    latency_p95_ms: float
    top_questions: list[dict]
    gaps: list[dict]
    feedback: dict

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class QuestionLog:
    """One connection shared by worker threads; every use of it holds the lock."""

    def __init__(self, path: Path, salt: str | None = None):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._salt = salt or self._stored_salt(path.parent / "salt")
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

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

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self._db.execute("PRAGMA user_version").fetchone()[0]

    def user_hash(self, user_id: int) -> str:
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()[:16]

    def record(self, answer: Answer, user_id: int, guild_id: int | None = None, channel_id: int | None = None,
               asked_at: float | None = None) -> int:
        """Store one answered (or abstained) question; returns its row id for feedback."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO questions (asked_at, guild_id, channel_id, user_hash, question, abstained, top_score,"
                " paragraphs, latency_ms, index_version) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (asked_at or time.time(), guild_id, channel_id, self.user_hash(user_id), answer.question,
                 int(answer.abstained), answer.top_score, json.dumps([c.paragraph for c in answer.citations]),
                 answer.latency_ms, answer.index_version))
            return cursor.lastrowid

    def set_feedback(self, row_id: int, value: int) -> bool:
        """+1 or -1 on the row of that answer; the latest vote wins."""
        with self._lock:
            return self._db.execute("UPDATE questions SET feedback = ? WHERE id = ?", (value, row_id)).rowcount == 1

    def vote(self, row_id: int, user_id: int, value: int, reason: str | None = None) -> None:
        """The user's vote on an answer: +1 or -1. A later vote by the same user replaces theirs, never another's.
        No foreign key: the question row may be written after the vote."""
        with self._lock:
            self._db.execute(
                "INSERT INTO votes (question_id, user_hash, value, reason, voted_at) VALUES (?,?,?,?,?)"
                " ON CONFLICT (question_id, user_hash) DO UPDATE SET value = excluded.value,"
                " reason = excluded.reason, voted_at = excluded.voted_at",
                (row_id, self.user_hash(user_id), value, reason, time.time()))

    def votes(self, row_id: int) -> dict[str, int]:
        """Votes on one answer: {"up": n, "down": n}."""
        with self._lock:
            up, down = self._db.execute("SELECT COALESCE(SUM(value > 0), 0), COALESCE(SUM(value < 0), 0)"
                                        " FROM votes WHERE question_id = ?", (row_id,)).fetchone()
        return {"up": up, "down": down}

    def row(self, row_id: int) -> dict | None:
        with self._lock:
            cursor = self._db.execute("SELECT * FROM questions WHERE id = ?", (row_id,))
            values = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], values)) if values else None

    def prune(self, retention_days: int, now: float | None = None) -> int:
        with self._lock:
            cutoff = (now or time.time()) - retention_days * DAY
            self._db.execute("DELETE FROM votes WHERE voted_at < ?", (cutoff,))
            return self._db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount

    def stats(self, days: int = 7, now: float | None = None, top: int = 5) -> Stats:
        since = (now or time.time()) - days * DAY
        with self._lock:
            rows = self._db.execute(
                "SELECT date(asked_at, 'unixepoch'), question, abstained, latency_ms,"
                " (SELECT COALESCE(SUM(value > 0), 0) FROM votes WHERE question_id = questions.id)"
                " + (COALESCE(feedback, 0) = 1),"
                " (SELECT COALESCE(SUM(value < 0), 0) FROM votes WHERE question_id = questions.id)"
                " + (COALESCE(feedback, 0) = -1)"
                " FROM questions WHERE asked_at >= ? ORDER BY asked_at", (since,)).fetchall()
        per_day: dict[str, dict] = {}
        for day, _, abstained, _, _, _ in rows:
            entry = per_day.setdefault(day, {"day": day, "questions": 0, "abstained": 0})
            entry["questions"] += 1
            entry["abstained"] += abstained
        latencies = [r[3] for r in rows]

        def most_common(selected) -> list[dict]:
            counts: dict[str, dict] = {}
            for question in selected:
                key = " ".join(question.lower().split())
                counts.setdefault(key, {"question": question, "count": 0})["count"] += 1
            return sorted(counts.values(), key=lambda c: (-c["count"], c["question"]))[:top]

        return Stats(
            days=days,
            questions=len(rows),
            per_day=list(per_day.values()),
            abstention_rate=round(sum(r[2] for r in rows) / len(rows), 4) if rows else 0.0,
            latency_p50_ms=round(_percentile(latencies, 50), 1),
            latency_p95_ms=round(_percentile(latencies, 95), 1),
            top_questions=most_common(r[1] for r in rows),
            gaps=most_common(r[1] for r in rows if r[2] or r[5]),
            feedback={"up": sum(r[4] for r in rows), "down": sum(r[5] for r in rows)},
        )

    def close(self) -> None:
        """Waits for a query in another thread to finish: closing under it crashes the interpreter."""
        with self._lock:
            self._db.close()


def open_log(settings: Settings) -> QuestionLog:
    """The log in the configured data folder, shared by the bot and `forumbot stats`."""
    salt = settings.log_salt.get_secret_value() if settings.log_salt else None
    return QuestionLog(settings.data_dir / "questions.sqlite3", salt)


def plot_stats(stats: Stats, path: Path) -> None:
    """Questions per day (bars) and abstention rate (line), for operators who prefer a picture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = [d["day"] for d in stats.per_day]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(days, [d["questions"] for d in stats.per_day], color="#5865F2", label="questions")
    ax.set_ylabel("questions per day")
    ax.tick_params(axis="x", rotation=45)
    rate = ax.twinx()
    rate.plot(days, [d["abstained"] / d["questions"] for d in stats.per_day], color="#ED4245", marker="o", label="abstention rate")
    rate.set_ylim(0, 1)
    rate.set_ylabel("abstention rate")
    ax.set_title(f"forumbot: last {stats.days} days ({stats.questions} questions)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
