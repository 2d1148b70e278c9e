"""Corpus files become Documents whose paragraph numbers match what a person counts in the file."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import CorpusError

SUFFIXES = (".txt", ".md")
_HEADER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
EXAMPLE_SEPARATOR = "|"  # `examples: Who is X? | What did Y say?`: questions end in "?", never in "|"


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    paragraphs: tuple[str, ...]  # paragraph n is paragraphs[n - 1]
    meta: dict[str, str] = field(default_factory=dict)
    content_hash: str = ""

    def paragraph(self, number: int) -> str:
        return self.paragraphs[number - 1]

    @property
    def examples(self) -> tuple[str, ...]:
        """Example questions from the header's `examples:` line: what the bot offers a new user to try."""
        return tuple(e.strip() for e in self.meta.get("examples", "").split(EXAMPLE_SEPARATOR) if e.strip())


def parse_document(doc_id: str, text: str, source: str) -> Document:
    """Split text into an optional `---` metadata header, a title line, and paragraphs.

    The title is the header's `title`, else the first non-empty line (which is then not a paragraph).
    Paragraphs are the non-empty blocks of the body, stripped of surrounding whitespace only.
    """
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    meta: dict[str, str] = {}
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end == -1:
            raise CorpusError(f"{source}: metadata header opened with '---' but never closed")
        for line in text[4:end].splitlines():
            if match := _HEADER_LINE.match(line.strip()):
                meta[match.group(1).lower()] = match.group(2).strip()
        text = text[end + 4 :].split("\n", 1)[1] if "\n" in text[end + 4 :] else ""
    body = text.strip()
    if not body:
        raise CorpusError(f"{source}: file is empty; add the document text or remove the file")
    title = meta.get("title")
    if title is None:
        title, _, body = body.partition("\n")
        title = title.strip().lstrip("#").strip()
    paragraphs = tuple(block.strip() for block in _BLANK_LINES.split(body) if block.strip())
    if not paragraphs:
        raise CorpusError(f"{source}: no paragraphs after the title line; separate paragraphs with blank lines")
    return Document(id=doc_id, title=title, paragraphs=paragraphs, meta=meta)


def load_document(path: Path, root: Path) -> Document:
    data = path.read_bytes()
    if b"\x00" in data:
        raise CorpusError(f"{path}: looks binary (contains NUL bytes); corpus files must be UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not valid UTF-8 (byte {exc.start}); re-save it as UTF-8") from None
    doc_id = path.relative_to(root).with_suffix("").as_posix()
    doc = parse_document(doc_id, text, str(path))
    return Document(doc.id, doc.title, doc.paragraphs, doc.meta, hashlib.sha256(data).hexdigest())


def corpus_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))


def _check_inside(path: Path, root: Path) -> None:
    """A link out of the corpus folder could publish any file the bot can read (a key, /etc/passwd), quoted verbatim."""
    target = path.resolve()
    if not target.is_relative_to(root.resolve()):
        raise CorpusError(f"{path}: links to {target}, outside the corpus folder; copy the file in, "
                          "or set FORUMBOT_CORPUS_ALLOW_EXTERNAL_LINKS=true")


def check_corpus_folder(root: Path) -> None:
    """The corpus path is an existing folder: cheap, so the CLI checks it before loading the model."""
    root = Path(root)
    if root.is_file():
        raise CorpusError(f"{root}: is a file, not a folder; pass --corpus a folder of .txt/.md documents "
                          "or set FORUMBOT_CORPUS_DIR")
    if not root.is_dir():
        raise CorpusError(f"{root}: corpus folder not found; pass --corpus DIR or set FORUMBOT_CORPUS_DIR")


def load_corpus(root: Path, allow_external_links: bool = False) -> list[Document]:
    """Load every .txt/.md file under root; any bad file stops the load with a one-line error."""
    root = Path(root)
    check_corpus_folder(root)
    docs: dict[str, Document] = {}
    sources: dict[str, Path] = {}
    for path in corpus_files(root):
        if not allow_external_links:
            _check_inside(path, root)
        doc = load_document(path, root)
        if doc.id in docs:
            raise CorpusError(f"{path}: document id '{doc.id}' is also used by {sources[doc.id]}; rename one of them")
        docs[doc.id], sources[doc.id] = doc, path
    if not docs:
        raise CorpusError(f"{root}: no .txt or .md documents found; add at least one")
    return list(docs.values())
