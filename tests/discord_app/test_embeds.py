import dataclasses

from bot.answer import Answer, Citation, Kind
from bot.discord_app.embeds import answer_embed, shorten
from tests.discord_app.conftest import assert_within_discord_limits


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis():
    assert shorten("alpha beta gamma delta", 12) == "alpha beta…"
    assert shorten("short", 12) == "short"


def test_answer_embed_shows_answer_markers_citation_lines_and_footer(engine):
    answer = engine.ask("Who is Li Bohu?")
    embed = answer.to_embed()
    assert "[1]" in embed.description
    assert embed.fields[0].name == "Sources" and embed.fields[0].value.startswith("[1] ¶2 — \u201c")
    assert engine.version in embed.footer.text and answer.citations[0].title in embed.footer.text
    assert_within_discord_limits(embed)


def test_huge_answers_stay_within_every_limit():
    text = "word " * 3000
    citations = tuple(Citation(n, "doc-" + "x" * 300, "T" * 3000, n, text, text, 1.0) for n in range(1, 4))
    answer = Answer("q" * 5000, text, False, citations, 1.0, "v" * 3000, Kind.ANSWERED)
    assert_within_discord_limits(answer_embed(answer))


def test_abstention_has_no_sources():
    answer = Answer("pizza?", "I couldn't find that…", True, (), 1.0, "abc", Kind.ABSTAINED)
    embed = answer_embed(answer)
    assert embed.fields == [] and "index abc" in embed.footer.text
    assert dataclasses.asdict(answer)["citations"] == ()
