"""The shell renders answers itself: calm, escaped, linked when a source is known, within Discord's limits."""
from types import SimpleNamespace

from bot.answer import Answer, Citation, Kind
from bot.discord_app.embeds import RELATED_HEADING, answer_embed, shorten, stats_embed
from bot.discord_app.views import answer_view
from tests.discord_app.conftest import assert_within_discord_limits

def NO_LINKS(doc):  # a document with no source URL
    return None


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis():
    assert shorten("alpha beta gamma delta", 12) == "alpha beta…"
    assert shorten("short", 12) == "short"


def test_answer_embed_says_the_answer_once_with_compact_sources_and_a_small_footer(engine):
    answer = engine.ask("Who is Li Bohu?")
    embed = answer_embed(answer, NO_LINKS)
    assert "[1]" in embed.description and embed.title == "Who is Li Bohu?"
    assert embed.fields[0].name == "Sources" and embed.fields[0].value.startswith("[1] ¶2")
    assert answer.citations[0].quote not in embed.fields[0].value  # the answer already says it
    assert embed.footer.text == f"index {engine.version}"
    assert_within_discord_limits(embed)


def test_only_the_sources_the_answer_uses_are_listed_and_linked_when_known():
    cited = (Citation(1, "a", "A", 2, "alpha quote", "alpha quote text", 0.9),
             Citation(2, "a", "A", 5, "beta quote", "beta quote text", 0.8))
    answer = Answer("q", "Alpha says so. [1]", False, cited, 1.0, "v1", Kind.ANSWERED)
    value = answer_embed(answer, lambda doc: "https://example.org/a").fields[0].value
    assert value == "[1] [¶2](https://example.org/a) — \u201calpha quote\u201d"
    assert "[¶2]" not in answer_embed(answer, lambda doc: "javascript:alert(1)").fields[0].value
    assert [b.item.label for b in answer_view(answer, 1, []).children][:-2] == ["Show ¶2"]


def test_question_title_is_short_and_escaped():
    answer = Answer("[click](https://evil.example) " + "why " * 100, "text", True, (), kind=Kind.ABSTAINED)
    title = answer_embed(answer, NO_LINKS).title
    assert title.startswith("\\[click](https://evil.example)") and len(title) <= 110 and title.endswith("…")


def test_related_passages_of_a_near_topic_abstention_are_shown():
    related = (Citation(1, "a", "A", 3, "The forum released a report.", "The forum released a report.", 0.5),)
    answer = Answer("How long was the report?", "The article doesn't say.", True, kind=Kind.ABSTAINED, related=related)
    embed = answer_embed(answer, NO_LINKS)
    assert embed.fields[0].name == RELATED_HEADING and embed.fields[0].value == "¶3 — \u201cThe forum released a report.\u201d"


def test_a_related_passage_the_answer_already_quotes_is_not_shown_twice():
    related = (Citation(1, "a", "A", 3, "The forum released a report.", "The forum released a report.", 0.5),)
    text = "The article doesn't say that. The closest it comes is ¶3: \u201cThe forum released a report.\u201d"
    answer = Answer("How long was the report?", text, True, kind=Kind.ABSTAINED, related=related)
    assert all(field.name != RELATED_HEADING for field in answer_embed(answer, NO_LINKS).fields)


def test_huge_answers_stay_within_every_limit():
    text = "word " * 3000
    citations = tuple(Citation(n, "doc-" + "x" * 300, "T" * 3000, n, text, text, 1.0) for n in range(1, 4))
    answer = Answer("q" * 5000, text + " [1] [2] [3]", False, citations, 1.0, "v" * 3000, Kind.ANSWERED)
    assert_within_discord_limits(answer_embed(answer, NO_LINKS))


def test_abstention_has_no_sources():
    answer = Answer("pizza?", "I couldn't find that…", True, (), 1.0, "abc", Kind.ABSTAINED)
    embed = answer_embed(answer, NO_LINKS)
    assert embed.fields == [] and embed.footer.text == "index abc"


def test_stats_show_questions_as_text_never_as_live_links():
    row = {"question": "[free nitro](https://evil.example) @everyone", "count": 2}
    stats = SimpleNamespace(days=7, questions=2, abstention_rate=0.5, latency_p50_ms=1, latency_p95_ms=2,
                            feedback={"up": 0, "down": 0}, top_questions=[row], gaps=[row], unwritten=0)
    embed = stats_embed(stats)
    for field in embed.fields[-2:]:
        assert field.value.startswith("2× \\[free nitro](https://evil.example)") and "@everyone" not in field.value
