"""Answers from the shared engine: grounded, cited, verbatim, honest about what the article doesn't say."""
import pytest

from bot.answer import Kind


def assert_grounded(engine, answer):
    """Every quote is a verbatim slice of the paragraph it cites, and that paragraph is in the corpus."""
    for c in answer.citations:
        doc = engine.store.documents[c.doc]
        assert c.text == doc.paragraphs[c.paragraph - 1]
        assert c.quote and c.quote in c.text
        assert f"[{c.n}]" in answer.answer or c.n > 1
    for piece in answer.answer.replace("[1]", "").split("…"):
        piece = piece.strip().removeprefix("The article does not say what the second one is. It only says:").strip()
        if piece and not answer.abstained:
            assert piece in answer.citations[0].text


def test_who_is_li_bohu_cites_paragraph_2(engine):
    answer = engine.ask("Who is Li Bohu?")
    assert not answer.abstained
    assert answer.citations[0].paragraph == 2
    assert "academician of the Chinese Academy of Engineering" in answer.citations[0].quote
    assert answer.index_version == engine.version and answer.latency_ms > 0
    assert_grounded(engine, answer)


@pytest.mark.parametrize("question, name", [
    ("Li Bohu", "Li Bohu"), ("li bohu", "Li Bohu"), ("LI BOHU speech", "Li Bohu"), ("Yang Xiuling", "Yang Xiuling"),
    ("yang xiu ling", "Yang Xiuling"), ("Zhongguancun", "Zhongguancun"), ("zhong guan cun forum", "Zhongguancun"),
])
def test_names_work_in_every_common_form(engine, question, name):
    answer = engine.ask(question)
    assert not answer.abstained, question
    assert name in answer.citations[0].text
    assert_grounded(engine, answer)


@pytest.mark.parametrize("question", ["What's the best pizza topping?", "How do I install Python on Windows?",
                                      "lorem ipsum dolor sit amet", "What did Elon Musk say at the forum?",
                                      "How many people attended the forum?"])
def test_unanswerable_questions_abstain_without_citations(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and answer.citations == () and answer.kind == Kind.ABSTAINED
    assert "Who is Li Bohu?" in answer.answer  # says what it can answer


@pytest.mark.parametrize("question", ["hi", "Hello!", "thanks", "help", "what can you do?", "", "   "])
def test_small_talk_gets_help_never_citations(engine, question):
    answer = engine.ask(question)
    assert answer.kind == Kind.HELP and answer.citations == ()
    assert "Try:" in answer.answer


def test_chinese_question_is_not_answered_with_a_confident_wrong_citation(engine):
    answer = engine.ask("工业互联网论坛发布了什么？")
    assert answer.kind == Kind.LANGUAGE and answer.citations == ()
    assert "English" in answer.answer


def test_second_achievement_is_not_invented(engine):
    answer = engine.ask("What was the second achievement?")
    if not answer.abstained:
        assert answer.citations[0].paragraph == 8
        assert answer.answer.startswith("The article does not say what the second one is.")
        assert "Second" not in answer.citations[0].text
    assert_grounded(engine, answer)


def test_direct_answer_is_short_and_names_the_report(engine):
    answer = engine.ask("What was released at the forum?")
    assert "2020 Beijing Industrial Internet Development Report" in answer.answer
    assert len(answer.answer) <= 450  # ~400 characters of quote plus markers


def test_follow_up_uses_the_earlier_question(engine):
    answer = engine.ask("what did she say about Beijing?", context="Who is Yang Xiuling?")
    assert not answer.abstained
    assert "Yang Xiuling" in answer.citations[0].text or answer.citations[0].paragraph in (5, 6, 7)


def test_control_and_invisible_characters_do_not_change_the_answer(engine):
    plain = engine.ask("Who is Li Bohu?")
    noisy = engine.ask("\u200bWho is\u202e Li\x00 Bohu?\u2066")
    assert noisy.citations[0].paragraph == plain.citations[0].paragraph
    assert noisy.question == "Who is Li Bohu?"


def test_answer_json_follows_the_contract(engine):
    data = engine.ask("Who is Li Bohu?").to_dict()
    assert list(data) == ["question", "answer", "abstained", "citations", "latency_ms", "index_version"]
    assert list(data["citations"][0]) == ["n", "doc", "title", "paragraph", "quote", "text", "score"]
