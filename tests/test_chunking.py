from bot.chunking import chunk_documents, chunk_paragraph, clause_cuts, clause_runs, sentence_spans
from bot.corpus import load_corpus
from tests.conftest import CORPUS


def test_every_passage_is_an_exact_slice_of_its_paragraph(embedder):
    docs = {d.id: d for d in load_corpus(CORPUS)}
    passages = chunk_documents(docs.values(), 2, embedder.count_tokens, embedder.max_tokens)
    assert passages
    for p in passages:
        assert docs[p.doc].paragraph(p.paragraph)[p.start:p.end] == p.text
        assert embedder.count_tokens(p.text) <= embedder.max_tokens


def test_every_paragraph_is_covered_by_its_sentences():
    (doc,) = load_corpus(CORPUS)
    for paragraph in doc.paragraphs:
        spans = sentence_spans(paragraph)
        assert len(spans) >= 1
        assert "".join(paragraph[s:e] for s, e in spans).replace(" ", "") == paragraph.replace(" ", "")


def test_sentences_split_after_closing_quotes():
    text = 'It issued the "Report." The report covers cases. Dr. Li agreed.'
    expected = ['It issued the "Report."', "The report covers cases.", "Dr. Li agreed."]
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_over_long_sentences_are_split_not_truncated():
    text = ", ".join(f"clause number {i} about industrial internet platforms" for i in range(40)) + "."
    def words(text):  # a stand-in tokenizer: one token per word
        return len(text.split())
    passages = chunk_paragraph("d", 1, text, 2, words, max_tokens=30)
    assert len(passages) > 1
    assert all(words(p.text) <= 30 and text[p.start:p.end] == p.text for p in passages)
    covered = set()
    for p in passages:
        covered.update(range(p.start, p.end))
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


LONG_SENTENCE = ("The speaker explained the history of the programme, its early partners and its funding, "
                 'and then recommended the joint development of "skills, tools, and markets" for the region.')


def test_clauses_are_never_cut_inside_a_quotation():
    cuts = clause_cuts(LONG_SENTENCE, 0, len(LONG_SENTENCE))
    inside = LONG_SENTENCE.index('"skills'), LONG_SENTENCE.index('markets"')
    assert cuts and not any(inside[0] < cut <= inside[1] for cut in cuts)


def test_a_sentence_too_long_to_quote_is_also_indexed_as_quotable_clause_runs():
    def characters(text):
        return len(text)
    runs = clause_runs(LONG_SENTENCE, 0, len(LONG_SENTENCE), limit=120)
    assert runs and all(e - s <= 120 for s, e in runs)
    assert any(LONG_SENTENCE[s:e].endswith('"skills, tools, and markets" for the region.') for s, e in runs)
    passages = chunk_paragraph("d", 1, LONG_SENTENCE, 2, characters, max_tokens=1000, run_chars=120)
    assert {(p.start, p.end) for p in passages} == {(0, len(LONG_SENTENCE)), *runs}
    whole = [p for p in passages if (p.start, p.end) == (0, len(LONG_SENTENCE))]
    assert chunk_paragraph("d", 1, LONG_SENTENCE, 2, characters, max_tokens=1000, run_chars=None) == whole


class CountingText(str):
    """A paragraph that counts the characters handed out by indexing and slicing it."""

    read = 0

    def __getitem__(self, key):
        piece = super().__getitem__(key)
        self.read += len(piece)
        return piece


def test_sentence_splitting_reads_each_character_a_bounded_number_of_times():
    text = CountingText("Dr. Li said the platform grew. " * 5000)  # 155 kB, 5,000 sentences
    assert len(sentence_spans(text)) == 5000
    assert text.read <= 3 * len(text)  # a re-read prefix per sentence (quadratic) would be ~2,500x


def test_a_two_megabyte_paragraph_splits_into_its_sentences():
    sentence = "The forum (held in Beijing) discussed the industrial Internet, e.g. platforms and 5G. "
    text = sentence * (2_000_000 // len(sentence))
    spans = sentence_spans(text)
    assert len(spans) == text.count(sentence) and text[spans[-1][0]:spans[-1][1]] == sentence.strip()
