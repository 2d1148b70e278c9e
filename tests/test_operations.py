"""Keeping the knowledge current: many documents, incremental rebuilds, swaps with no gap."""
import threading

import pytest

from bot.engine import Engine
from bot.errors import CorpusError

EXTRA = """Robots at the forum

The forum also showed welding robots built by Example Robotics for automobile factories.

Example Robotics said its robots reduced welding defects by a third in one year."""


@pytest.fixture
def ops_engine(settings_for, embedder):
    engine = Engine(settings_for("ops"), embedder)
    engine.rebuild()
    return engine


def test_incremental_rebuild_embeds_only_changed_documents(ops_engine):
    corpus = ops_engine.settings.corpus_dir
    article_passages = ops_engine.store.manifest["counts"]["passages"]
    (corpus / "robots.md").write_text(EXTRA, encoding="utf-8")
    added = ops_engine.rebuild()
    new_passages = added.passages - article_passages
    assert added.documents == 2 and added.embedded == new_passages > 0

    (corpus / "robots.md").write_text(EXTRA.replace("a third", "a half"), encoding="utf-8")
    edited = ops_engine.rebuild()
    assert edited.embedded == new_passages  # only the edited document

    unchanged = ops_engine.rebuild()
    assert unchanged.embedded == 0
    assert ops_engine.rebuild(full=True).embedded == unchanged.passages

    (corpus / "robots.md").unlink()
    removed = ops_engine.rebuild()
    assert removed.embedded == 0 and removed.documents == 1 and removed.passages == article_passages


def test_citations_name_their_document(ops_engine):
    (ops_engine.settings.corpus_dir / "robots.md").write_text(EXTRA, encoding="utf-8")
    ops_engine.rebuild()
    answer = ops_engine.ask("Who built the welding robots?")
    assert answer.citations[0].doc == "robots" and answer.citations[0].title == "Robots at the forum"
    assert ops_engine.ask("Who is Li Bohu?").citations[0].doc == "zgc-forum-2020-industrial-internet"
    assert set(ops_engine.store.manifest["documents"]) == {"robots", "zgc-forum-2020-industrial-internet"}


def test_swap_under_concurrent_questions_loses_none(ops_engine):
    old = ops_engine.version
    (ops_engine.settings.corpus_dir / "robots.md").write_text(EXTRA, encoding="utf-8")
    answers, errors, stop = [], [], threading.Event()

    def keep_asking():
        while not stop.is_set():
            try:
                answers.append(ops_engine.ask("Who is Li Bohu?"))
            except Exception as exc:  # any error is a lost question
                errors.append(exc)

    threads = [threading.Thread(target=keep_asking) for _ in range(3)]
    for t in threads:
        t.start()
    report = ops_engine.rebuild()
    for _ in range(20):  # keep asking a little after the swap
        answers.append(ops_engine.ask("Who is Li Bohu?"))
    stop.set()
    for t in threads:
        t.join()
    assert errors == []
    assert {a.index_version for a in answers} <= {old, report.index_version}
    assert answers[-1].index_version == report.index_version != old
    assert all(a.citations[0].paragraph == 2 for a in answers)


def test_failed_rebuild_keeps_the_old_index_serving(ops_engine):
    old = ops_engine.version
    (ops_engine.settings.corpus_dir / "broken.txt").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(CorpusError, match="broken.txt"):
        ops_engine.rebuild()
    answer = ops_engine.ask("Who is Li Bohu?")
    assert answer.index_version == old and answer.citations[0].paragraph == 2


def test_hnsw_above_the_threshold(settings_for, embedder):
    engine = Engine(settings_for("hnsw", hnsw_threshold=10), embedder)
    report = engine.rebuild()
    assert report.index_type == "hnsw" and engine.store.manifest["index_type"] == "hnsw"
    assert engine.ask("Who is Li Bohu?").citations[0].paragraph == 2


def test_build_and_calibration_give_one_version_that_an_identical_rebuild_keeps(settings_for, embedder, tmp_path):
    """`index build` calibrates too; the version it reports is the one answers carry, and it is stable."""
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "in_scope.jsonl").write_text('{"question": "Who is Li Bohu?", "gold": ["Li Bohu"]}\n', encoding="utf-8")
    (questions / "off_topic.jsonl").write_text('{"question": "How do I bake sourdough bread?"}\n', encoding="utf-8")
    engine = Engine(settings_for("stable", calibration_dir=questions), embedder)
    totals, steps = [], []
    first = engine.rebuild(on_calibrate_total=totals.append, on_calibrate_progress=lambda: steps.append(1))
    folder = engine.store.path
    assert totals == [2] and len(steps) == 2
    assert first.index_version == engine.version == engine.ask("Who is Li Bohu?").index_version
    assert engine.rebuild().index_version == first.index_version == engine.version
    assert engine.store.path != folder  # a new version folder, the same version


def test_an_index_stemmed_the_old_way_says_to_rebuild(engine, monkeypatch, caplog):
    import bot.engine
    monkeypatch.setattr(bot.engine, "stems_version", lambda: -1)  # as if this code stemmed differently from the build
    with caplog.at_level("WARNING", logger="bot.engine"):
        engine.reload()
    assert "built with older word stemming: run `forumbot index build`" in caplog.text
