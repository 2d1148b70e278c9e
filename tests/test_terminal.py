"""The terminal rendering: nothing said twice, sources compact, day counts at a glance."""
from bot.answer import RELATED_HEADING, Answer, Citation, Kind
from bot.terminal import plain, sparkline

PARAGRAPH = "The forum released a report. It was about industrial Internet development in Beijing."


def cited(quote, n=1, doc="article", title="The article"):
    return Citation(n, doc, title, 3, quote, PARAGRAPH, 0.9)


def test_an_abstention_does_not_repeat_what_its_text_already_quotes():
    quoted = Answer("Who attended?", "The closest it comes is ¶3: “The forum released a report.”", True,
                    related=(cited("The forum released a report."),), kind=Kind.ABSTAINED)
    assert RELATED_HEADING not in plain(quoted) and plain(quoted).count("released a report") == 1
    pointed = Answer("Who attended?", "I couldn't find that.", True, related=(cited("The forum released a report."),),
                     kind=Kind.ABSTAINED)
    assert f"{RELATED_HEADING}\n¶3 “The forum released a report.”" in plain(pointed)


def test_a_title_is_shown_only_when_sources_come_from_several_documents():
    one = Answer("q", "An answer [1] [2]", False, (cited("The forum released a report."), cited("It was about", 2)))
    assert "The article" not in plain(one) and "[1] ¶3 “The forum released a report.”" in plain(one)
    two = Answer("q", "An answer [1] [2]", False, (cited("The forum released a report."), cited("It was", 2, "other", "Other")))
    lines = [" ".join(line.split()) for line in plain(two).splitlines()]  # columns are aligned with spaces
    assert "[1] ¶3 The article “The forum released a report.”" in lines and "[2] ¶3 Other “It was”" in lines


def test_sparkline_scales_to_the_busiest_day_and_marks_empty_days():
    assert sparkline([0, 1, 4, 8]) == "·▁▄█"
    assert sparkline([0, 0]) == "··"
