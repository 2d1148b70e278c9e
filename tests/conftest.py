"""Shared fixtures: the real model is loaded once per test session, and a real index is built once."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
QUESTIONS = ROOT / "benchmarks" / "questions"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
ARTICLE = "zgc-forum-2020-industrial-internet"


@contextmanager
def locked(database: Path):
    """Another process's write lock on a SQLite file, as a backup or an open `sqlite3` shell holds it."""
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("COMMIT")
        other.close()


@contextmanager
def tmpfs(path: Path, size: str):
    """A real tmpfs at path, where the tests may mount one (as root); skips the test elsewhere."""
    path.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def build(settings, embedder, **kw):
    """Build an index from `settings`' corpus, as `forumbot index build` would, without calibrating it."""
    from bot.builder import IndexBuilder
    from bot.corpus import load_corpus

    builder = IndexBuilder(embedder, settings.index_dir, sentences_per_passage=settings.chunk_sentences,
                           hnsw_threshold=settings.hnsw_threshold)
    return builder.build(load_corpus(settings.corpus_dir), **kw)


@pytest.fixture(scope="session")
def embedder():
    from bot.embedding import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def settings_for(tmp_path_factory):
    """Settings pointing at a fresh corpus copy and index folder."""
    from bot.settings import Settings

    def make(name: str, **overrides) -> "Settings":
        base = tmp_path_factory.mktemp(name)
        shutil.copytree(CORPUS, base / "corpus")
        return Settings(corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data",
                        discord_token=None, **overrides)

    return make


@pytest.fixture(scope="session")
def engine(settings_for, embedder):
    """The engine every answer test shares: built and calibrated exactly as `make index` does."""
    from bot.engine import Engine

    engine = Engine(settings_for("shared-engine", calibration_dir=QUESTIONS), embedder)
    engine.rebuild()
    return engine
