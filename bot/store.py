"""Reading the on-disk index: FAISS vectors, BM25 data, the passage table and a manifest (built by `bot.builder`).

Layout of the index root:
    current -> versions/<index_version>-<millis>   (a symlink, replaced in one rename)
    versions/<index_version>-<millis>/{manifest.json, passages.jsonl, documents.json, vectors.faiss, bm25/}
    .build-<random>/                       (a version being written, renamed into versions/ when complete)
    .build.lock                            (held while writing, so one build writes at a time)
A build writes a new version folder beside the old one, then swaps the link; readers resolve the link
once, so they never see a half-written index, and a failed build leaves the old one serving.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.chunking import Passage
from bot.corpus import Document
from bot.errors import IndexStoreError
from bot.manifest import validate_manifest

FORMAT_VERSION = 1
REBUILD_HINT = "run `forumbot index build`"


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    title: str
    paragraphs: tuple[str, ...]
    content_hash: str
    source: str = ""  # the `source:` URL of its metadata header, for links in answers; "" when unknown
    examples: tuple[str, ...] = ()  # its header's `examples:`, questions the bot offers as a start

    @classmethod
    def of(cls, doc: Document) -> DocumentRecord:
        return cls(doc.id, doc.title, doc.paragraphs, doc.content_hash, doc.meta.get("source", ""), doc.examples)

    @classmethod
    def from_json(cls, data: dict) -> DocumentRecord:
        return cls(data["id"], data["title"], tuple(data["paragraphs"]), data["content_hash"], data.get("source", ""),
                   tuple(data.get("examples", ())))


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
        raise IndexStoreError(f"index at {root}/ has format {manifest['format_version']}, expected {FORMAT_VERSION}; "
                              f"{REBUILD_HINT}")
    validate_manifest(manifest, f"{root}/", REBUILD_HINT)
    return manifest


class IndexStore:
    """A loaded, read-only index version: what retrieval and answering read. Swapping versions means
    replacing the whole object; `bot.builder` writes new ones."""

    def __init__(self, path: Path, manifest: dict, passages: list[Passage],
                 documents: dict[str, DocumentRecord], vectors, bm25):
        self.path, self.manifest, self.passages, self.documents = path, manifest, passages, documents
        self.vectors, self.bm25 = vectors, bm25
        self.vocabulary = frozenset(k for k in bm25.vocab_dict if k)

    @property
    def version(self) -> str:
        return self.manifest["index_version"]

    @classmethod
    def load(cls, root: Path, model_name: str | None = None, dimension: int | None = None) -> IndexStore:
        """Read the version `current` points at (resolved once) and check that its parts agree."""
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
            lines = (path / "passages.jsonl").read_text(encoding="utf-8").splitlines()
            passages = [Passage(**json.loads(line)) for line in lines]
            records = json.loads((path / "documents.json").read_text(encoding="utf-8"))
            documents = {d["id"]: DocumentRecord.from_json(d) for d in records}
            vectors = faiss.read_index(str(path / "vectors.faiss"))
            bm25 = bm25s.BM25.load(str(path / "bm25"), show_progress=False)
        except Exception as exc:  # any unreadable part means the same: rebuild
            raise IndexStoreError(f"index at {root}/ is corrupt ({type(exc).__name__} reading {path.name}); "
                                  f"{REBUILD_HINT}") from None
        if problem := _inconsistency(manifest, passages, documents, vectors):
            raise IndexStoreError(f"index at {root}/ is corrupt ({problem}); {REBUILD_HINT}")
        return cls(path, manifest, passages, documents, vectors, bm25)

    @property
    def examples(self) -> list[str]:
        """The example questions the documents' headers offer, in corpus order, each once."""
        return list(dict.fromkeys(e for doc in self.documents.values() for e in doc.examples))

    def search_dense(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores, ids = self.vectors.search(query.reshape(1, -1), min(k, len(self.passages)))
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def dense_score(self, passage: int, query: np.ndarray) -> float:
        """Cosine similarity of one passage to the query, for a passage the dense search did not return."""
        return float(self.vectors.reconstruct(passage) @ query)

    def bm25_scores(self, terms: Sequence[str]) -> np.ndarray:
        known = [t for t in terms if t in self.vocabulary]
        if not known:
            return np.zeros(len(self.passages), dtype=np.float32)
        return self.bm25.get_scores(known)

    def passage_vectors(self, doc_id: str) -> tuple[list[Passage], np.ndarray]:
        """The stored passages and vectors of one document, for reuse by an incremental build."""
        ids = [i for i, p in enumerate(self.passages) if p.doc == doc_id]
        if not ids:
            return [], np.empty((0, self.vectors.d), np.float32)
        return [self.passages[i] for i in ids], np.vstack([self.vectors.reconstruct(i) for i in ids])


def _inconsistency(manifest: dict, passages: list[Passage], documents: dict[str, DocumentRecord],
                   vectors) -> str | None:
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
