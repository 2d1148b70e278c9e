"""The on-disk index: FAISS vectors, BM25 data, the passage table and a manifest, swapped in atomically.

Layout of the index root:
    current -> versions/<index_version>-<millis>   (a symlink, replaced in one rename)
    versions/<index_version>-<millis>/{manifest.json, passages.jsonl, documents.json, vectors.faiss, bm25/}
    .build-<random>/                       (a version being written, renamed into versions/ when complete)
    .build.lock                            (held while writing, so one build writes at a time)
A build writes a new version folder beside the old one, then swaps the link; readers resolve the link
once, so they never see a half-written index, and a failed build leaves the old one serving. A failed
build removes its folder; one killed outright leaves it for the next build to remove.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.chunking import Passage
from bot.corpus import Document
from bot.errors import IndexStoreError
from bot.manifest import validate_manifest
from bot.onnx_encoder import MODELS

FORMAT_VERSION = 1
REBUILD_HINT = "run `forumbot index build`"
KEEP_VERSIONS = 2
BUILD_PREFIX = ".build-"  # a version being written; renamed into versions/ when complete
BUILD_LOCK = ".build.lock"  # one writer at a time, across processes (the CLI and a running bot)
_TRAILING_CAUSE = re.compile(r"\(([^()]+)\)$")
# Low length normalisation: a long sentence that names the subject should not lose to a short one that merely mentions it.
BM25_K1, BM25_B = 1.2, 0.25


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    title: str
    paragraphs: tuple[str, ...]
    content_hash: str
    source: str = ""  # the `source:` URL of its metadata header, for links in answers; "" when unknown

    @classmethod
    def of(cls, doc: Document) -> DocumentRecord:
        return cls(doc.id, doc.title, doc.paragraphs, doc.content_hash, doc.meta.get("source", ""))


# The calibration values answering reads; the fit's report (counts, rates, AUC) does not change an answer.
ANSWERING_CALIBRATION = ("threshold", "unsupported", "calibrated")


def index_version(manifest: dict) -> str:
    """A short hash of what determines answers: the documents' content, the model, chunker, BM25 and
    the calibration thresholds. Not the build time, so a rebuild that changes nothing keeps the version
    (and the version in answer footers does not change for no reason)."""
    fields = {k: v for k, v in manifest.items() if k not in ("index_version", "built_at", "calibration")}
    calibration = manifest.get("calibration") or {}
    fields["calibration"] = {k: calibration[k] for k in ANSWERING_CALIBRATION if k in calibration}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:8]


def current_version(root: Path) -> Path:
    """The version folder `current` points at now. Resolve it once per use: a build may swap it meanwhile."""
    return (Path(root) / "current").resolve()


def read_manifest(root: Path, version: Path | None = None) -> dict:
    """The validated manifest of `version` (default: the current one)."""
    path = (version or current_version(root)) / "manifest.json"
    if not path.exists():
        raise IndexStoreError(f"no index at {root}/; {REBUILD_HINT}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise IndexStoreError(f"index at {root}/ is corrupt (manifest.json unreadable); {REBUILD_HINT}") from None
    if isinstance(manifest, dict) and manifest.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        raise IndexStoreError(f"index at {root}/ has format {manifest['format_version']}, expected {FORMAT_VERSION}; {REBUILD_HINT}")
    validate_manifest(manifest, f"{root}/", REBUILD_HINT)
    return manifest


def write_json_atomic(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def write_calibration(root: Path, calibration: dict) -> None:
    """Store the thresholds in the current manifest. They change answers, so they are part of
    index_version: the version is recomputed (the folder keeps the name the build gave it)."""
    version = current_version(root)
    path = version / "manifest.json"
    manifest = read_manifest(root, version)
    manifest["calibration"] = calibration
    manifest["index_version"] = index_version(manifest)
    try:
        write_json_atomic(path, manifest)
    except OSError as exc:
        raise IndexStoreError(f"cannot write {path} ({exc.strerror}); check permissions") from None


class IndexStore:
    """A loaded, read-only index version. Swapping versions means replacing the whole object."""

    def __init__(self, path: Path, manifest: dict, passages: list[Passage],
                 documents: dict[str, DocumentRecord], vectors, bm25):
        self.path, self.manifest, self.passages, self.documents = path, manifest, passages, documents
        self.vectors, self.bm25 = vectors, bm25
        self.vocabulary = frozenset(k for k in bm25.vocab_dict if k)
        self.sentence_table: dict[tuple[str, int], list[tuple[int, int]]] = {}

    @property
    def version(self) -> str:
        return self.manifest["index_version"]

    @classmethod
    def load(cls, root: Path, model_name: str | None = None, dimension: int | None = None) -> IndexStore:
        import bm25s
        import faiss
        root = Path(root)
        path = current_version(root)
        manifest = read_manifest(root, path)
        if model_name is not None and manifest["model"] != model_name:
            raise IndexStoreError(f"index at {root}/ was built with model '{manifest['model']}', "
                                  f"but the configured model is '{model_name}'; {REBUILD_HINT}")
        if dimension is not None and manifest["dimension"] != dimension:
            raise IndexStoreError(f"index at {root}/ has dimension {manifest['dimension']}, "
                                  f"the model gives {dimension}; {REBUILD_HINT}")
        try:
            passages = [Passage(**json.loads(line)) for line in (path / "passages.jsonl").read_text(encoding="utf-8").splitlines()]
            documents = {d["id"]: DocumentRecord(d["id"], d["title"], tuple(d["paragraphs"]), d["content_hash"],
                                                 d.get("source", ""))
                         for d in json.loads((path / "documents.json").read_text(encoding="utf-8"))}
            vectors = faiss.read_index(str(path / "vectors.faiss"))
            bm25 = bm25s.BM25.load(str(path / "bm25"), show_progress=False)
        except Exception as exc:  # noqa: BLE001 - any unreadable part means the same: rebuild
            raise IndexStoreError(f"index at {root}/ is corrupt ({type(exc).__name__} reading {path.name}); {REBUILD_HINT}") from None
        if problem := _inconsistency(manifest, passages, documents, vectors):
            raise IndexStoreError(f"index at {root}/ is corrupt ({problem}); {REBUILD_HINT}")
        return cls(path, manifest, passages, documents, vectors, bm25)

    def search_dense(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores, ids = self.vectors.search(query.reshape(1, -1), min(k, len(self.passages)))
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def bm25_scores(self, terms: Sequence[str]) -> np.ndarray:
        known = [t for t in terms if t in self.vocabulary]
        if not known:
            return np.zeros(len(self.passages), dtype=np.float32)
        return self.bm25.get_scores(known)

    def passage_vectors(self, doc_id: str) -> tuple[list[Passage], np.ndarray]:
        """The stored passages and vectors of one document, for reuse by an incremental build."""
        ids = [i for i, p in enumerate(self.passages) if p.doc == doc_id]
        return [self.passages[i] for i in ids], np.vstack([self.vectors.reconstruct(i) for i in ids]) if ids else np.empty((0, self.vectors.d), np.float32)


def _inconsistency(manifest: dict, passages: list[Passage], documents: dict[str, DocumentRecord], vectors) -> str | None:
    """What the parts of one version disagree on, if anything: such an index would load, then fail on every question."""
    counts = manifest["counts"]
    if vectors.d != manifest["dimension"] or not vectors.ntotal == len(passages) == counts["passages"]:
        return "vector count or size disagrees with the passage table"
    if set(documents) != set(manifest["documents"]) or len(documents) != counts["documents"]:
        return "documents.json and the manifest list different documents"
    per_document = Counter(p.doc for p in passages)
    for doc_id, entry in manifest["documents"].items():
        if entry["paragraphs"] != len(documents[doc_id].paragraphs) or entry["passages"] != per_document[doc_id]:
            return f"document '{doc_id}' has other paragraph or passage counts than the manifest says"
    if counts["paragraphs"] != sum(len(d.paragraphs) for d in documents.values()):
        return "paragraph count disagrees with documents.json"
    for number, p in enumerate(passages, start=1):
        doc = documents.get(p.doc)
        if doc is None or type(p.paragraph) is not int or not 1 <= p.paragraph <= len(doc.paragraphs):
            return f"passage {number} points at a missing paragraph"
        if type(p.start) is not int or type(p.end) is not int or not 0 <= p.start < p.end \
                or doc.paragraphs[p.paragraph - 1][p.start:p.end] != p.text:
            return f"passage {number} has offsets that do not match its paragraph"
    return None


@dataclass
class BuildReport:
    documents: int
    paragraphs: int
    passages: int
    embedded: int  # passages actually encoded (the rest reused from the previous index)
    seconds: float
    index_version: str
    index_type: str


def _empty_faiss_index(dimension: int, count: int, hnsw_threshold: int):
    import faiss

    if count > hnsw_threshold:
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 64
        return index, "hnsw"
    return faiss.IndexFlatIP(dimension), "flat"


def _swap_current(root: Path, version_dir: Path) -> None:
    link = root / "current"
    tmp_link = root / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(version_dir.relative_to(root))
    if link.exists() and not link.is_symlink():  # an old-style folder: move it aside first
        shutil.rmtree(link)
    os.replace(tmp_link, link)


def _prune_versions(root: Path, keep: Path) -> None:
    versions = sorted((p for p in (root / "versions").iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in versions[KEEP_VERSIONS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    used = {json.loads((v / "manifest.json").read_text(encoding="utf-8")).get("onnx")
            for v in (root / "versions").iterdir() if (v / "manifest.json").exists()}
    for export in (root / MODELS).glob("[!.]*"):  # exports of a model no kept version uses
        if export.name not in used:
            shutil.rmtree(export, ignore_errors=True)


def build_index(docs: Sequence[Document], embedder, root: Path, *, sentences_per_passage: int,
                hnsw_threshold: int, full: bool = False, on_total: Callable[[int], None] | None = None,
                on_progress: Callable[[int], None] | None = None) -> BuildReport:
    """Chunk, embed (reusing unchanged documents' vectors) and write a new index version atomically."""
    import bm25s

    from bot.chunking import chunk_documents
    from bot.text import content_terms

    started = time.perf_counter()
    root = Path(root)
    previous = None
    if not full:
        try:
            previous = IndexStore.load(root, embedder.name, embedder.dimension)
            if previous.manifest["chunker"] != {"sentences_per_passage": sentences_per_passage, "max_tokens": embedder.max_tokens}:
                previous = None
        except IndexStoreError:
            previous = None

    # Reused documents' passages come first, then fresh ones in encode order, so vectors stream
    # straight into FAISS batch by batch and are never held twice.
    reused: list[Passage] = []
    reused_vectors: list[np.ndarray] = []
    fresh: list[Passage] = []
    for doc in docs:
        old = previous.documents.get(doc.id) if previous else None
        if old and old.content_hash == doc.content_hash:
            doc_passages, doc_vectors = previous.passage_vectors(doc.id)
            reused += doc_passages
            reused_vectors.append(doc_vectors)
        else:
            fresh += chunk_documents([doc], sentences_per_passage, embedder.count_tokens, embedder.max_tokens)
    # Length-sorted batches pad least: sentence-transformers sorts within a call, so sort across calls too.
    fresh.sort(key=lambda p: len(p.text))
    passages = reused + fresh

    index, kind = _empty_faiss_index(embedder.dimension, len(passages), hnsw_threshold)
    if reused:
        index.add(np.vstack(reused_vectors))
    del reused_vectors
    if on_total:
        on_total(len(fresh))
    for batch in embedder.encode_batches([p.text for p in fresh]):
        index.add(batch)
        if on_progress:
            on_progress(len(batch))

    bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
    bm25.index([content_terms(p.text) or [""] for p in passages], show_progress=False)

    manifest = {
        "format_version": FORMAT_VERSION,
        "model": embedder.name,
        "dimension": embedder.dimension,
        "chunker": {"sentences_per_passage": sentences_per_passage, "max_tokens": embedder.max_tokens},
        "bm25": {"k1": BM25_K1, "b": BM25_B},
        "index_type": kind,
        "onnx": embedder.export_onnx(root / MODELS),  # the query model without torch; None: PyTorch answers
        "documents": {d.id: {"title": d.title, "content_hash": d.content_hash, "paragraphs": len(d.paragraphs),
                             "passages": sum(1 for p in passages if p.doc == d.id)} for d in docs},
        "counts": {"documents": len(docs), "paragraphs": sum(len(d.paragraphs) for d in docs), "passages": len(passages)},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if calibration := _previous_calibration(root, embedder):
        manifest["calibration"] = calibration
    manifest["index_version"] = index_version(manifest)

    _write_version(root, manifest, passages, docs, index, bm25)
    return BuildReport(len(docs), manifest["counts"]["paragraphs"], len(passages), len(fresh),
                       time.perf_counter() - started, manifest["index_version"], kind)


def _previous_calibration(root: Path, embedder) -> dict | None:
    """Thresholds fitted for this model survive any rebuild, full or not, until recalibrated."""
    try:
        manifest = read_manifest(root)
    except IndexStoreError:
        return None
    same_model = manifest["model"] == embedder.name and manifest["dimension"] == embedder.dimension
    return manifest.get("calibration") if same_model else None


def _failure(exc: BaseException) -> str:
    """The short cause: OSError's text, or the "(No space left on device)" that ends faiss's one-line message."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
    match = _TRAILING_CAUSE.search(text)
    return match.group(1) if match else text


def _remove_stale_builds(root: Path) -> None:
    """Folders of builds that were killed (kill -9, power loss): only called under the build lock, so
    no other build is writing one of them."""
    for stale in root.glob(f"{BUILD_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def _write_version(root: Path, manifest: dict, passages: list[Passage], docs: Sequence[Document], index, bm25) -> None:
    import faiss

    try:
        (root / "versions").mkdir(parents=True, exist_ok=True)
        lock = open(root / BUILD_LOCK, "a")  # noqa: SIM115 - held open for the whole write below
    except OSError as exc:
        raise IndexStoreError(f"cannot write the index to {root}/ ({exc.strerror}); check permissions or pass --out DIR") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released on close, and by the kernel when a build is killed
        _remove_stale_builds(root)
        tmp = root / f"{BUILD_PREFIX}{secrets.token_hex(4)}"
        try:
            tmp.mkdir()  # the umask decides the mode, as for any folder: a bot running as another user can read it
        except OSError as exc:
            raise IndexStoreError(f"cannot write the index to {root}/ ({exc.strerror}); check permissions or pass --out DIR") from None
        try:
            with open(tmp / "passages.jsonl", "w", encoding="utf-8") as f:
                f.writelines(json.dumps(asdict(p), ensure_ascii=False) + "\n" for p in passages)
            (tmp / "documents.json").write_text(json.dumps([asdict(DocumentRecord.of(d)) for d in docs], ensure_ascii=False), encoding="utf-8")
            faiss.write_index(index, str(tmp / "vectors.faiss"))
            bm25.save(str(tmp / "bm25"))
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
            target = root / "versions" / f"{manifest['index_version']}-{int(time.time() * 1000)}"
            os.rename(tmp, target)
            _swap_current(root, target)
        except (OSError, RuntimeError) as exc:  # faiss reports a failed write (a full disk) as RuntimeError
            raise IndexStoreError(f"index build failed writing {root}/ ({_failure(exc)}); the previous index is unchanged") from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # after a failure or Ctrl-C: a half-written build must not keep the disk full
        _prune_versions(root, target)
