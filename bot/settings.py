"""All configuration in one place: environment variables (FORUMBOT_*), a `.env` file, then defaults."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "all-MiniLM-L6-v2"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FORUMBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Secrets: SecretStr keeps the token out of reprs, logs and tracebacks.
    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "FORUMBOT_DISCORD_TOKEN")
    )
    log_salt: SecretStr | None = None  # salt for hashing user ids; generated in data_dir if unset

    # Where things live.
    corpus_dir: Path = Path("corpus")
    corpus_allow_external_links: bool = False  # read corpus symlinks that point outside corpus_dir
    index_dir: Path = Path("index")
    data_dir: Path = Path("data")
    calibration_dir: Path = Path("benchmarks/questions")  # labelled questions the thresholds are fitted on

    # Model and index.
    model: str = DEFAULT_MODEL  # any sentence-transformers name or path
    device: str = "cpu"
    chunk_sentences: int = 2  # sentences per passage window
    hnsw_threshold: int = 100_000  # passages above which FAISS uses HNSW instead of a flat index
    query_cache_size: int = 512
    onnx: bool = True  # answer with the index's ONNX export when onnxruntime is installed; PyTorch otherwise
    # Its int8 quantization (the fp32 export when off): twice as fast, and `forumbot eval` finds no answer lost
    # on any public set (benchmarks/RESULTS.md).
    onnx_int8: bool = True

    # Answering.
    max_citations: int = 3
    # The longest quote: a whole sentence of a long-sentenced article (its plan's last clause is often its point);
    # 400 cut them, and quoted the first clauses of a 630-character sentence without the one asked about.
    max_answer_chars: int = 600

    # Discord behaviour.
    max_question_chars: int = 1000
    cooldown_rate: int = 5
    cooldown_seconds: float = 30.0
    max_concurrency: int = 2  # model calls running at once, off the event loop
    sync_on_start: bool = False
    sync_guild_id: int | None = None
    shard_count: int | None = None
    shard_ids: list[int] | None = None
    admin_user_ids: list[int] = []
    # The privileged message-content intent (switch it on in the Developer Portal too): only needed for an
    # "ask channel" where every message is a question, and for follow-ups in threads without a mention.
    message_content: bool = False

    # Question log.
    log_retention_days: int = 90
    log_chat: bool = False  # also log `forumbot chat` questions (off: the chat is for trying the bot out)

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value):
        return value or None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
