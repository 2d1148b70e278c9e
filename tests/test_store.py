import json
import os
from pathlib import Path

import pytest

from bot.errors import IndexStoreError
from bot.builder import write_calibration
from bot.store import IndexStore, current_version, read_manifest
from tests.conftest import build, tmpfs


@pytest.fixture
def built(settings_for, embedder):
    settings = settings_for("store")
    build(settings, embedder)
    return settings


def test_manifest_records_what_the_index_was_built_from(built, embedder):
    manifest = read_manifest(built.index_dir)
    assert manifest["model"] == "all-MiniLM-L6-v2" and manifest["dimension"] == embedder.dimension
    assert manifest["chunker"]["sentences_per_passage"] == 2 and manifest["index_type"] == "flat"
    assert manifest["counts"]["paragraphs"] == 8
    assert len(manifest["index_version"]) == 8
    store = IndexStore.load(built.index_dir, embedder.name, embedder.dimension)
    assert store.vectors.ntotal == manifest["counts"]["passages"] == len(store.passages)


def test_index_from_another_model_is_refused_with_the_fix(built):
    with pytest.raises(IndexStoreError, match=r"built with model 'all-MiniLM-L6-v2'.*`forumbot index build`"):
        IndexStore.load(built.index_dir, "paraphrase-multilingual-MiniLM-L12-v2", 384)
    with pytest.raises(IndexStoreError, match="dimension"):
        IndexStore.load(built.index_dir, "all-MiniLM-L6-v2", 768)


def test_missing_index_names_the_command(tmp_path):
    with pytest.raises(IndexStoreError, match=r"no index at .*forumbot index build"):
        IndexStore.load(tmp_path / "nowhere")


def test_unreadable_manifest_is_refused(built):
    """(A truncated vectors file is tested at reload, in test_faults.py.)"""
    current = (built.index_dir / "current").resolve()
    (current / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexStoreError, match=r"corrupt \(manifest.json unreadable\)"):
        IndexStore.load(built.index_dir)


def test_interrupted_build_leaves_the_old_index_loadable(built, embedder, monkeypatch):
    before = current_version(built.index_dir)  # the folder: an unchanged rebuild would keep the version anyway

    def interrupted(texts, batch_size=256):
        yield embedder.encode(texts[:1])
        raise KeyboardInterrupt

    monkeypatch.setattr(embedder, "encode_batches", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(built, embedder, full=True)
    assert IndexStore.load(built.index_dir).path == before


def test_unwritable_index_folder_is_one_line(built, embedder, monkeypatch):
    real_mkdir = Path.mkdir

    def denied(self, *args, **kwargs):  # the tests run as root, which file modes do not stop
        if self.name.startswith(".build-"):
            raise PermissionError(13, "Permission denied")
        return real_mkdir(self, *args, **kwargs)

    before = current_version(built.index_dir)
    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(IndexStoreError, match=r"cannot write the index to .* \(Permission denied\)"):
        build(built, embedder, full=True)
    assert IndexStore.load(built.index_dir).path == before


def test_calibration_survives_full_rebuilds(built, embedder):
    write_calibration(built.index_dir, {"threshold": 0.5, "unsupported": 0.5, "calibrated": True})
    build(built, embedder, full=True)
    assert read_manifest(built.index_dir)["calibration"]["threshold"] == 0.5


def test_a_rebuild_that_changes_nothing_keeps_the_version_in_a_new_folder(built, embedder):
    write_calibration(built.index_dir, {"threshold": 0.4, "unsupported": 0.3, "calibrated": True, "fitted_on": {}})
    calibrated, folder = read_manifest(built.index_dir)["index_version"], current_version(built.index_dir)
    assert build(built, embedder, full=True).index_version == calibrated  # the same calibration is carried over
    assert current_version(built.index_dir) != folder and current_version(built.index_dir).name.startswith(calibrated)
    write_calibration(built.index_dir, {"threshold": 0.4, "unsupported": 0.3, "calibrated": True, "auc": 0.9})
    assert read_manifest(built.index_dir)["index_version"] == calibrated  # the fit's report changes no answer
    assert IndexStore.load(built.index_dir, embedder.name, embedder.dimension).version == calibrated


def test_the_version_changes_with_what_changes_answers(built, embedder):
    first = read_manifest(built.index_dir)["index_version"]
    write_calibration(built.index_dir, {"threshold": 0.5, "unsupported": 0.3, "calibrated": True})
    recalibrated = read_manifest(built.index_dir)["index_version"]
    (built.corpus_dir / "extra.txt").write_text("Extra\n\nA new paragraph about robots.", encoding="utf-8")
    grown = build(built, embedder).index_version
    assert len({first, recalibrated, grown}) == 3


def build_folders(root):
    return [p.name for p in root.iterdir() if p.name.startswith(".build-")]


def assert_refused_and_still_loadable(settings, embedder, before, error):
    assert "\n" not in str(error.value) and "previous index is unchanged" in str(error.value)
    assert build_folders(settings.index_dir) == []
    assert IndexStore.load(settings.index_dir, embedder.name, embedder.dimension).version == before


def test_full_disk_while_faiss_writes_is_one_line_and_leaves_nothing_behind(built, embedder, monkeypatch):
    """Simulated with /dev/full: real faiss, a real ENOSPC, which faiss raises as RuntimeError. (At the engine,
    with a failing write and the old index still answering: test_faults.py.)"""
    import faiss

    real_write = faiss.write_index
    before = read_manifest(built.index_dir)["index_version"]
    monkeypatch.setattr("faiss.write_index", lambda index, path: real_write(index, "/dev/full"))
    with pytest.raises(IndexStoreError, match=r"\(No space left on device\)") as error:
        build(built, embedder, full=True)
    assert_refused_and_still_loadable(built, embedder, before, error)


@pytest.fixture
def small_disk(tmp_path):
    """A real 4 MB disk where the tests may mount one; the /dev/full test covers the same path elsewhere."""
    with tmpfs(tmp_path / "disk", "4m") as mount:
        yield mount


def test_full_disk_on_a_real_tmpfs(settings_for, embedder, small_disk):
    settings = settings_for("tmpfs").model_copy(update={"index_dir": small_disk / "index"})
    build(settings, embedder)
    version = (settings.index_dir / "current").resolve()
    before = read_manifest(settings.index_dir)["index_version"]
    free = os.statvfs(small_disk)
    def pages(name):  # the file's size on disk, in whole blocks
        return -(-(version / name).stat().st_size // free.f_frsize) * free.f_frsize
    room = pages("passages.jsonl") + pages("documents.json") + 2 * free.f_frsize
    assert (version / "vectors.faiss").stat().st_size > room  # so the vectors, written next, are what overflows
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (free.f_bavail * free.f_frsize - room))
    with pytest.raises(IndexStoreError, match=r"\(No space left on device\)") as error:
        build(settings, embedder, full=True)
    assert_refused_and_still_loadable(settings, embedder, before, error)
    filler.unlink()  # the operator frees space: the next build works, with nothing of the failed one in the way
    build(settings, embedder, full=True)


def test_a_killed_builds_folder_is_removed_by_the_next_build(built, embedder):
    stale = built.index_dir / ".build-killed1"
    stale.mkdir()
    (stale / "vectors.faiss").write_bytes(b"\0" * 1024)
    build(built, embedder)
    assert build_folders(built.index_dir) == []


def test_version_folders_are_readable_by_other_users(built, embedder):
    previous = os.umask(0o022)
    try:
        build(built, embedder, full=True)
    finally:
        os.umask(previous)
    assert (built.index_dir / "current").resolve().stat().st_mode & 0o777 == 0o755


def test_a_load_reads_manifest_and_data_from_the_same_version(built, embedder, monkeypatch):
    """A build that swaps `current` between reading the manifest and the data must not mix two versions."""
    old = (built.index_dir / "current").resolve()
    (built.corpus_dir / "extra.txt").write_text("Extra\n\nA new paragraph about robots.", encoding="utf-8")
    build(built, embedder)
    new = (built.index_dir / "current").resolve()
    (built.index_dir / "current").unlink()
    (built.index_dir / "current").symlink_to(old)
    real_read_text = Path.read_text

    def swap_after_manifest(self, *args, **kwargs):
        text = real_read_text(self, *args, **kwargs)
        if self.name == "manifest.json":
            (built.index_dir / "current").unlink()
            (built.index_dir / "current").symlink_to(new)
        return text

    monkeypatch.setattr(Path, "read_text", swap_after_manifest)
    store = IndexStore.load(built.index_dir, embedder.name, embedder.dimension)
    assert set(store.documents) == set(store.manifest["documents"]) and store.path == old


def rewrite(path, change):
    path.write_text(json.dumps(change(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")


def without_model(manifest):
    del manifest["model"]
    return manifest


@pytest.mark.parametrize("change, message", [
    (lambda m: [], "the whole file"),
    (lambda m: None, "the whole file"),
    (lambda m: 3, "the whole file"),
    (without_model, "model: Field required"),
    (lambda m: {**m, "calibration": {"threshold": "high", "unsupported": 0.5}}, "calibration.threshold"),
    (lambda m: {**m, "calibration": {"threshold": float("nan"), "unsupported": 0.5}}, "calibration.threshold"),
    (lambda m: {**m, "documents": []}, "documents"),
])
def test_a_manifest_of_the_wrong_shape_is_refused_with_one_line(built, change, message):
    rewrite((built.index_dir / "current").resolve() / "manifest.json", change)
    with pytest.raises(IndexStoreError, match="corrupt") as error:
        IndexStore.load(built.index_dir)
    assert message in str(error.value) and "\n" not in str(error.value)


def second_document(documents):
    return documents + [{**documents[0], "id": "ghost"}]


def passage_in_paragraph_99(line):
    return {**line, "paragraph": 99}


def passage_past_its_paragraph(line):
    return {**line, "start": line["start"] + 5, "end": line["end"] + 5}


@pytest.mark.parametrize("file, change, message", [
    ("documents.json", second_document, "different documents"),
    ("passages.jsonl", passage_in_paragraph_99, "passage 1 points at a missing paragraph"),
    ("passages.jsonl", passage_past_its_paragraph, "passage 1 has offsets that do not match"),
])
def test_an_inconsistent_index_is_refused_at_load(built, file, change, message):
    path = (built.index_dir / "current").resolve() / file
    if file.endswith(".jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([json.dumps(change(json.loads(lines[0]))), *lines[1:]]), encoding="utf-8")
    else:
        rewrite(path, change)
    with pytest.raises(IndexStoreError, match=message):
        IndexStore.load(built.index_dir)
