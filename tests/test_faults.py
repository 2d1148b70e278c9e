"""Faults and bad operator input at the engine: one clear error, and the index that worked keeps serving."""
import shutil

import pytest

from bot.engine import Engine
from bot.errors import CorpusError, IndexStoreError


@pytest.fixture
def serving(settings_for, embedder):
    engine = Engine(settings_for("faults"), embedder)
    engine.rebuild()
    return engine


def still_serving(engine, version):
    answer = engine.ask("Who is Li Bohu?")
    assert answer.index_version == version and answer.citations[0].paragraph == 2


def test_index_deleted_while_running(serving):
    version = serving.version
    shutil.rmtree(serving.settings.index_dir)
    still_serving(serving, version)
    with pytest.raises(IndexStoreError, match="no index"):
        serving.reload()
    still_serving(serving, version)


def test_manifest_from_another_model_is_refused_at_reload(serving):
    version = serving.version
    manifest = serving.settings.index_dir / "current" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"all-MiniLM-L6-v2"', '"other-model"'), encoding="utf-8")
    with pytest.raises(IndexStoreError, match="built with model 'other-model'"):
        serving.reload()
    still_serving(serving, version)


def test_truncated_faiss_file_is_refused_at_reload(serving):
    version = serving.version
    faiss_file = (serving.settings.index_dir / "current").resolve() / "vectors.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[: faiss_file.stat().st_size // 3])
    with pytest.raises(IndexStoreError, match="corrupt"):
        serving.reload()
    still_serving(serving, version)


def test_full_disk_during_a_build(serving, monkeypatch):
    version = serving.version
    (serving.settings.corpus_dir / "more.txt").write_text("More\n\nAnother paragraph.", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("faiss.write_index", disk_full)
    with pytest.raises(IndexStoreError, match="No space left on device.*previous index is unchanged"):
        serving.rebuild()
    still_serving(serving, version)


@pytest.mark.parametrize("content", [b"\xff\xfe\x00\x01binary", b""])
def test_bad_corpus_file_stops_the_build_not_the_service(serving, content):
    version = serving.version
    (serving.settings.corpus_dir / "bad.txt").write_bytes(content)
    with pytest.raises(CorpusError, match="bad.txt"):
        serving.rebuild()
    still_serving(serving, version)


def test_empty_corpus_stops_the_build_not_the_service(serving):
    version = serving.version
    for path in serving.settings.corpus_dir.iterdir():
        path.unlink()
    with pytest.raises(CorpusError, match="no .txt or .md documents"):
        serving.rebuild()
    still_serving(serving, version)


def test_an_error_from_the_model_propagates_once_and_the_next_question_works(serving, monkeypatch):
    version = serving.version

    def broken(texts):
        raise RuntimeError("CUDA out of memory (simulated)")

    monkeypatch.setattr(serving.embedder, "encode", broken)
    with pytest.raises(RuntimeError):
        serving.ask("What did the forum release?")
    monkeypatch.undo()
    still_serving(serving, version)


@pytest.mark.parametrize("content", ["[]", "null", '{"format_version": 1}'])
def test_a_manifest_of_the_wrong_shape_is_refused_at_reload(serving, content):
    version = serving.version
    ((serving.settings.index_dir / "current").resolve() / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(IndexStoreError, match="corrupt"):
        serving.reload()
    still_serving(serving, version)
