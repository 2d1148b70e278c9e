import pytest

from bot.corpus import load_corpus
from bot.errors import IndexStoreError
from bot.store import IndexStore, build_index, read_manifest


def build(settings, embedder, **kw):
    return build_index(load_corpus(settings.corpus_dir), embedder, settings.index_dir,
                       sentences_per_passage=2, hnsw_threshold=100_000, **kw)


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


def test_corrupt_manifest_and_truncated_faiss_are_refused(built):
    current = (built.index_dir / "current").resolve()
    faiss_file = current / "vectors.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    with pytest.raises(IndexStoreError, match="corrupt"):
        IndexStore.load(built.index_dir)
    (current / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexStoreError, match=r"corrupt \(manifest.json unreadable\)"):
        IndexStore.load(built.index_dir)


def test_failed_build_leaves_the_old_index_loadable(built, embedder, monkeypatch):
    before = read_manifest(built.index_dir)["index_version"]
    (built.corpus_dir / "extra.txt").write_text("Extra\n\nA new paragraph about robots.", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("faiss.write_index", disk_full)
    with pytest.raises(IndexStoreError, match="previous index is unchanged"):
        build(built, embedder)
    store = IndexStore.load(built.index_dir, embedder.name, embedder.dimension)
    assert store.version == before and set(store.documents) == {"zgc-forum-2020-industrial-internet"}
    assert not [p for p in built.index_dir.iterdir() if p.name.startswith(".build-")]


def test_interrupted_build_leaves_the_old_index_loadable(built, embedder, monkeypatch):
    before = read_manifest(built.index_dir)["index_version"]

    def interrupted(texts, batch_size=256):
        yield embedder.encode(texts[:1])
        raise KeyboardInterrupt

    monkeypatch.setattr(embedder, "encode_batches", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(built, embedder, full=True)
    assert IndexStore.load(built.index_dir).version == before


def test_unwritable_index_folder_is_one_line(built, embedder, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    before = read_manifest(built.index_dir)["index_version"]
    monkeypatch.setattr("tempfile.mkdtemp", denied)
    with pytest.raises(IndexStoreError, match=r"cannot write the index to .* \(Permission denied\)"):
        build(built, embedder, full=True)
    assert IndexStore.load(built.index_dir).version == before


def test_calibration_survives_full_rebuilds(built, embedder):
    from bot.store import write_calibration

    write_calibration(built.index_dir, {"threshold": 0.5, "strong": 1.0, "calibrated": True})
    build(built, embedder, full=True)
    assert read_manifest(built.index_dir)["calibration"]["threshold"] == 0.5
