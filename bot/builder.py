"""Building an index version: chunk, embed (reusing unchanged documents' vectors), BM25, write, swap.

Reading is `bot.store`'s job; this module is the only one that writes under the index root (layout in
`bot.store`). A build writes a `.build-*` folder beside the served versions and renames it in when
complete, under a lock so one build writes at a time; a failed build removes its folder, and one killed
outright leaves it for the next build to remove.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.chunking import Passage
from bot.corpus import Document
from bot.errors import IndexStoreError
from bot.onnx_encoder import MODELS
from bot.store import FORMAT_VERSION, DocumentRecord, IndexStore, current_version, read_manifest

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG; once any library configures the root handler, every build would print
# "DEBUG:bm25s:Building index from tokens". Its warnings still come through.
logging.getLogger("bm25s").setLevel(logging.WARNING)

KEEP_VERSIONS = 2  # the one serving and the one before it, for a quick manual rollback
BUILD_PREFIX = ".build-"  # a version being written; renamed into versions/ when complete
BUILD_LOCK = ".build.lock"  # one writer at a time, across processes (the CLI and a running bot)
# Low length normalisation: a long sentence that names the subject should not lose to a short one that merely mentions it.
# Low k1: a term's repeats saturate early, so a paragraph repeating the document's common words gains little.
BM25_K1, BM25_B = 0.8, 0.25
# HNSW, used above `hnsw_threshold` passages: 32 links per node; efSearch 64 gave recall@10 0.986 on 1M clustered
# vectors at 0.55 ms a query (32: 0.941; 128: 0.998 at twice the time), see benchmarks/RESULTS.md.
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 64
_TRAILING_CAUSE = re.compile(r"\(([^()]+)\)$")


@dataclass
class BuildReport:
    documents: int
    paragraphs: int
    passages: int
    embedded: int  # passages actually encoded (the rest reused from the previous index)
    seconds: float
    index_version: str
    index_type: str


# The calibration values answering reads; the fit's report (counts, rates, AUC) does not change an answer.
ANSWERING_CALIBRATION = ("threshold", "unsupported", "calibrated")


def stems_version() -> int:
    from bot.text import STEMS_VERSION  # imported when building: `index info` stays light

    return STEMS_VERSION


def index_version(manifest: dict) -> str:
    """A short hash of what determines answers: the documents' content, the model, chunker, BM25 and
    the calibration thresholds. Not the build time, so a rebuild that changes nothing keeps the version
    (and the version in answer footers does not change for no reason)."""
    fields = {k: v for k, v in manifest.items() if k not in ("index_version", "built_at", "calibration")}
    calibration = manifest.get("calibration") or {}
    fields["calibration"] = {k: calibration[k] for k in ANSWERING_CALIBRATION if k in calibration}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:8]


def write_manifest(path: Path, manifest: dict) -> None:
    """The one way a manifest is written: beside it, then renamed over it, so no reader sees half of one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def write_calibration(root: Path, calibration: dict) -> None:
    """Store the thresholds in the current manifest. They change answers, so they are part of
    index_version: the version is recomputed (the folder keeps the name the build gave it)."""
    version = current_version(root)
    manifest = read_manifest(root, version)
    manifest["calibration"] = calibration
    manifest["index_version"] = index_version(manifest)
    try:
        write_manifest(version / "manifest.json", manifest)
    except OSError as exc:
        raise IndexStoreError(f"cannot write {version / 'manifest.json'} ({exc.strerror}); check permissions") from None


def empty_faiss_index(dimension: int, count: int, hnsw_threshold: int):
    """Exact (flat) search up to `hnsw_threshold` vectors, approximate (HNSW) above: (index, kind)."""
    import faiss

    if count > hnsw_threshold:
        index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
        return index, "hnsw"
    return faiss.IndexFlatIP(dimension), "flat"


class IndexBuilder:
    """Builds new versions of the index at `root` with one embedder and chunking setting."""

    def __init__(self, embedder, root: Path, *, sentences_per_passage: int, hnsw_threshold: int):
        self.embedder, self.root = embedder, Path(root)
        self.sentences_per_passage, self.hnsw_threshold = sentences_per_passage, hnsw_threshold

    @property
    def chunker(self) -> dict:
        from bot.chunking import CHUNKER_VERSION, CLAUSE_RUN_CHARS

        return {"version": CHUNKER_VERSION, "sentences_per_passage": self.sentences_per_passage,
                "max_tokens": self.embedder.max_tokens, "run_chars": CLAUSE_RUN_CHARS}

    def build(self, docs: Sequence[Document], *, full: bool = False, on_total: Callable[[int], None] | None = None,
              on_progress: Callable[[int], None] | None = None) -> BuildReport:
        """Chunk, embed, index and swap in a new version; on any failure the served one stays."""
        started = time.perf_counter()
        reused, reused_vectors, fresh = self._chunk(docs, None if full else self._reusable())
        passages = reused + fresh
        index, kind = empty_faiss_index(self.embedder.dimension, len(passages), self.hnsw_threshold)
        if reused:
            index.add(np.vstack(reused_vectors))
        del reused_vectors
        self._embed(fresh, index, on_total, on_progress)
        manifest = self._manifest(docs, passages, kind)
        self._write(manifest, passages, docs, index, self._bm25(passages))
        report = BuildReport(len(docs), manifest["counts"]["paragraphs"], len(passages), len(fresh),
                             time.perf_counter() - started, manifest["index_version"], kind)
        log.info("built index %s (%s): %d documents, %d passages (%d embedded) in %.1f s", report.index_version,
                 kind, report.documents, report.passages, report.embedded, report.seconds)
        return report

    def _reusable(self) -> IndexStore | None:
        """The served index, when its vectors can be reused: same model, same chunking."""
        try:
            previous = IndexStore.load(self.root, self.embedder.name, self.embedder.dimension)
        except IndexStoreError:
            return None
        return previous if previous.manifest["chunker"] == self.chunker else None

    def _chunk(self, docs: Sequence[Document], previous: IndexStore | None
               ) -> tuple[list[Passage], list[np.ndarray], list[Passage]]:
        """Reused documents' passages and vectors, then fresh passages in encode order, so vectors stream
        straight into FAISS batch by batch and are never held twice."""
        from bot.chunking import chunk_documents

        reused: list[Passage] = []
        reused_vectors: list[np.ndarray] = []
        fresh: list[Passage] = []
        for doc in docs:
            old = previous.documents.get(doc.id) if previous else None
            if previous and old and old.content_hash == doc.content_hash:
                doc_passages, doc_vectors = previous.passage_vectors(doc.id)
                reused += doc_passages
                reused_vectors.append(doc_vectors)
            else:
                fresh += chunk_documents([doc], self.sentences_per_passage, self.embedder.count_tokens,
                                         self.embedder.max_tokens)
        # Length-sorted batches pad least: sentence-transformers sorts within a call, so sort across calls too.
        fresh.sort(key=lambda p: len(p.text))
        return reused, reused_vectors, fresh

    def _embed(self, fresh: list[Passage], index, on_total: Callable[[int], None] | None,
               on_progress: Callable[[int], None] | None) -> None:
        if on_total:
            on_total(len(fresh))
        for batch in self.embedder.encode_batches([p.text for p in fresh]):
            index.add(batch)
            if on_progress:
                on_progress(len(batch))

    @staticmethod
    def _bm25(passages: list[Passage]):
        import bm25s

        from bot.text import content_terms

        bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        bm25.index([content_terms(p.text) or [""] for p in passages], show_progress=False)
        return bm25

    def _manifest(self, docs: Sequence[Document], passages: list[Passage], kind: str) -> dict:
        per_document: dict[str, int] = {}
        for p in passages:
            per_document[p.doc] = per_document.get(p.doc, 0) + 1
        manifest = {
            "format_version": FORMAT_VERSION,
            "model": self.embedder.name,
            "dimension": self.embedder.dimension,
            "chunker": self.chunker,
            "bm25": {"k1": BM25_K1, "b": BM25_B, "stems": stems_version()},
            "index_type": kind,
            "onnx": self.embedder.export_onnx(self.root / MODELS),  # the query model without torch; None: PyTorch answers
            "documents": {d.id: {"title": d.title, "content_hash": d.content_hash, "paragraphs": len(d.paragraphs),
                                 "passages": per_document.get(d.id, 0)} for d in docs},
            "counts": {"documents": len(docs), "paragraphs": sum(len(d.paragraphs) for d in docs),
                       "passages": len(passages)},
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if calibration := self._previous_calibration():
            manifest["calibration"] = calibration
        manifest["index_version"] = index_version(manifest)
        return manifest

    def _previous_calibration(self) -> dict | None:
        """Thresholds fitted for this model survive any rebuild, full or not, until recalibrated."""
        try:
            manifest = read_manifest(self.root)
        except IndexStoreError:
            return None
        same_model = manifest["model"] == self.embedder.name and manifest["dimension"] == self.embedder.dimension
        return manifest.get("calibration") if same_model else None

    def _write(self, manifest: dict, passages: list[Passage], docs: Sequence[Document], index, bm25) -> None:
        """Write the version folder under the build lock, then swap `current` to it."""
        import faiss

        root = self.root
        try:
            (root / "versions").mkdir(parents=True, exist_ok=True)
            lock = open(root / BUILD_LOCK, "a")  # held open for the whole write below
        except OSError as exc:
            raise _unwritable(root, exc) from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released on close, and by the kernel when a build is killed
            _remove_stale_builds(root)
            tmp = root / f"{BUILD_PREFIX}{secrets.token_hex(4)}"
            try:
                tmp.mkdir()  # the umask decides the mode, as for any folder: a bot running as another user can read it
            except OSError as exc:
                raise _unwritable(root, exc) from None
            try:
                with open(tmp / "passages.jsonl", "w", encoding="utf-8") as f:
                    f.writelines(json.dumps(asdict(p), ensure_ascii=False) + "\n" for p in passages)
                records = [asdict(DocumentRecord.of(d)) for d in docs]
                (tmp / "documents.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
                faiss.write_index(index, str(tmp / "vectors.faiss"))
                bm25.save(str(tmp / "bm25"))
                write_manifest(tmp / "manifest.json", manifest)
                target = root / "versions" / f"{manifest['index_version']}-{int(time.time() * 1000)}"
                os.rename(tmp, target)
                _swap_current(root, target)
            except (OSError, RuntimeError) as exc:  # faiss reports a failed write (a full disk) as RuntimeError
                log.error("index build failed writing %s/: %s; the previous index is unchanged", root, _failure(exc))
                raise IndexStoreError(f"index build failed writing {root}/ ({_failure(exc)}); "
                                      "the previous index is unchanged") from None
            finally:
                # After a failure or Ctrl-C too: a half-written build must not keep the disk full.
                shutil.rmtree(tmp, ignore_errors=True)
            log.info("swapped in index %s at %s", manifest["index_version"], target)
            _prune_versions(root, target)


def _unwritable(root: Path, exc: OSError) -> IndexStoreError:
    return IndexStoreError(f"cannot write the index to {root}/ ({exc.strerror}); check permissions or pass --out DIR")


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
        log.warning("removing %s, left by a build that was killed", stale.name)
        shutil.rmtree(stale, ignore_errors=True)


def _swap_current(root: Path, version_dir: Path) -> None:
    """Point `current` at `version_dir` in one rename: readers see the old version or the new, never neither."""
    link = root / "current"
    tmp_link = root / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(version_dir.relative_to(root))
    if link.exists() and not link.is_symlink():  # an old-style folder: move it aside first
        shutil.rmtree(link)
    os.replace(tmp_link, link)


def _prune_versions(root: Path, keep: Path) -> None:
    versions = sorted((p for p in (root / "versions").iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime,
                      reverse=True)
    for old in versions[KEEP_VERSIONS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    used = {json.loads((v / "manifest.json").read_text(encoding="utf-8")).get("onnx")
            for v in (root / "versions").iterdir() if (v / "manifest.json").exists()}
    for export in (root / MODELS).glob("[!.]*"):  # exports of a model no kept version uses
        if export.name not in used:
            shutil.rmtree(export, ignore_errors=True)
