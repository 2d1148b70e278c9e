"""Per-server settings chosen with /config: where the bot answers and how. SQLite beside the question log."""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class ServerConfig:
    channels: frozenset[int] = field(default_factory=frozenset)  # empty: every channel
    threads: bool = False  # answers open a thread named after the question
    ask_public: bool = True  # /ask (and the context menu) answer for everyone, or only for the asker
    ask_channel: int | None = None  # every message there is a question (needs the message-content intent)

    def answers_in(self, channel_id: int | None, parent_id: int | None = None) -> bool:
        """A thread counts as its parent channel; the ask channel always counts."""
        return (not self.channels or channel_id in self.channels or parent_id in self.channels
                or (self.ask_channel is not None and channel_id == self.ask_channel))

    def with_changes(self, **changes) -> ServerConfig:
        return replace(self, **changes)

    def describe(self) -> list[str]:
        """Lines for /about and /config."""
        where = ", ".join(f"<#{c}>" for c in sorted(self.channels)) if self.channels else "every channel"
        return [f"Answers in: {where}",
                f"Answers open a thread: {'yes' if self.threads else 'no'}",
                f"/ask replies: {'public' if self.ask_public else 'only for the asker'}",
                f"Ask channel: {f'<#{self.ask_channel}>' if self.ask_channel else 'none'}"]


DEFAULT = ServerConfig()


class ServerConfigs:
    """All servers' settings, read once into memory (a lookup per message never touches the disk);
    a change is written through to SQLite before it is used."""

    def __init__(self, path: Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("CREATE TABLE IF NOT EXISTS servers (guild_id INTEGER PRIMARY KEY, config TEXT NOT NULL)")
        self._configs = {guild_id: self._decode(text) for guild_id, text in self._db.execute("SELECT * FROM servers")}

    @staticmethod
    def _decode(text: str) -> ServerConfig:
        data = json.loads(text)
        return ServerConfig(channels=frozenset(data.get("channels", ())), threads=bool(data.get("threads")),
                            ask_public=bool(data.get("ask_public", True)), ask_channel=data.get("ask_channel"))

    def get(self, guild_id: int | None) -> ServerConfig:
        return self._configs.get(guild_id, DEFAULT) if guild_id else DEFAULT

    def set(self, guild_id: int, config: ServerConfig) -> None:
        data = {**asdict(config), "channels": sorted(config.channels)}
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO servers VALUES (?, ?)", (guild_id, json.dumps(data)))
            self._configs[guild_id] = config

    def close(self) -> None:
        with self._lock:
            self._db.close()
