import pytest

from bot.corpus import load_corpus, parse_document
from bot.errors import CorpusError
from tests.conftest import ARTICLE, CORPUS


def test_article_paragraphs_are_numbered_as_a_person_counts_them():
    (doc,) = load_corpus(CORPUS)
    assert doc.id == ARTICLE
    assert doc.title == "Chinese and foreign academicians discuss the future of industrial Internet"
    assert len(doc.paragraphs) == 8
    assert doc.paragraph(1).startswith("News from our newspaper (reporter Zhang Qin)")
    assert doc.paragraph(2).startswith("In his speech titled")
    assert doc.paragraph(8).startswith("The forum also released two major achievements.")
    raw = (CORPUS / f"{ARTICLE}.txt").read_text(encoding="utf-8")
    assert all(p in raw for p in doc.paragraphs)  # stripped, never edited


def test_metadata_header_gives_title_and_is_not_a_paragraph():
    doc = parse_document("d", "---\ntitle: A Title\nyear: 2020\n---\nFirst para.\n\nSecond para.\n", "d.md")
    assert doc.title == "A Title" and doc.meta["year"] == "2020"
    assert doc.paragraphs == ("First para.", "Second para.")


@pytest.mark.parametrize("content, message", [
    (b"", "file is empty"),
    (b"   \n\n  ", "file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("caf\xe9 au lait\n\nbody".encode("latin-1"), "not valid UTF-8"),
    (b"Only a title line\n", "no paragraphs"),
])
def test_bad_files_get_one_line_naming_the_file(tmp_path, content, message):
    (tmp_path / "bad.txt").write_bytes(content)
    with pytest.raises(CorpusError) as error:
        load_corpus(tmp_path)
    text = str(error.value)
    assert message in text and "bad.txt" in text and "\n" not in text


def test_two_documents_with_the_same_id_are_refused(tmp_path):
    (tmp_path / "same.txt").write_text("Title\n\nBody.", encoding="utf-8")
    (tmp_path / "same.md").write_text("Title\n\nBody.", encoding="utf-8")
    with pytest.raises(CorpusError, match="document id 'same' is also used"):
        load_corpus(tmp_path)


def test_empty_corpus_folder_is_refused(tmp_path):
    with pytest.raises(CorpusError, match="no .txt or .md documents"):
        load_corpus(tmp_path)


def test_a_link_out_of_the_corpus_folder_is_refused_unless_allowed(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "secret.txt"
    corpus.mkdir()
    (corpus / "article.txt").write_text("Title\n\nA paragraph.", encoding="utf-8")
    outside.write_text("Keys\n\nThe private key is 1234.", encoding="utf-8")
    (corpus / "inside-link.txt").symlink_to(corpus / "article.txt")  # a link within the folder is fine
    (corpus / "leak.txt").symlink_to(outside)
    with pytest.raises(CorpusError, match=r"leak.txt: links to .*secret.txt, outside the corpus folder"):
        load_corpus(corpus)
    assert {d.id for d in load_corpus(corpus, allow_external_links=True)} == {"article", "inside-link", "leak"}
