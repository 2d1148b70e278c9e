import discord
import pytest

from bot.answer import MAX_HISTORY
from bot.discord_app.questions import HISTORY_TURN_CHARS, AskLimits, bounded_history, question_from_message, safe

BOT = 1234567890123456789


def test_own_mention_is_removed_and_other_markup_becomes_words():
    text = f"<@{BOT}> **who** is <@!98765432109876543> and <@&11111111111111111> in <#22222222222222222>? ||Li Bohu||"
    assert question_from_message(text, BOT) == "who is @someone and @someone in #channel? Li Bohu"


def test_everyone_here_and_timestamps_cannot_ping_or_confuse():
    text = "@everyone @here what happened <t:1600000000:R> at the forum?"
    assert question_from_message(text, BOT) == "everyone here what happened at the forum?"


def test_code_fences_quotes_and_emoji():
    text = "> ```python\nprint('who is li bohu')\n``` <:pog:123456789012345678> `yang`"
    assert question_from_message(text, BOT) == "print('who is li bohu') :pog: yang"


def test_only_a_mention_is_an_empty_question():
    assert question_from_message(f"<@{BOT}>", BOT) == ""


@pytest.mark.parametrize("text", ["@\u200beveryone", "@here\u2060", "<@\u200b&123456789012345678>",
                                  "<\u200b@123456789012345678>", "<@&<t:1:R>123456789012345678>",
                                  "@every<@1234567890123456789>one", "<\ufeff#22222222222222222>"])
def test_invisible_characters_and_nested_markup_cannot_rebuild_a_mention(text):
    question = question_from_message(f"{text} who is Li Bohu?", BOT)
    assert "@everyone" not in question and "@here" not in question and "<@" not in question and "<#" not in question
    assert "\u200b" not in question and question.endswith("who is Li Bohu?")


def test_user_text_in_embeds_is_escaped():
    shown = safe("[free nitro](https://evil.example) @everyone **bold**")
    assert "\\[free nitro](https://evil.example)" in shown and "@\u200beveryone" in shown and "\\*\\*bold" in shown


def test_follow_up_history_is_bounded_in_turns_and_length():
    turns = [f"question {i} " + "x" * 500 for i in range(10)]
    history = bounded_history(turns)
    assert len(history) == MAX_HISTORY and history[0].startswith(f"question {10 - MAX_HISTORY}")
    assert all(len(t) == HISTORY_TURN_CHARS for t in history)


def test_limits_allow_rate_then_tell_once_per_window():
    limits = AskLimits(max_chars=1000, rate=5, per=30)
    user, other = discord.Object(id=1), discord.Object(id=2)
    assert [limits.check("q", user, now=1000.0).notice for _ in range(5)] == [None] * 5
    first = limits.check("q", user, now=1001.0)
    assert "Please wait" in first.notice and not first.repeated
    assert limits.check("q", user, now=1002.0).repeated  # told already in this window: stay quiet
    assert limits.check("q", other, now=1002.0).notice is None  # per user
    assert limits.check("q", user, now=1031.0).notice is None  # the window has passed
    assert "characters long" in limits.check("x" * 1001, other, now=1003.0).notice
