from bot.discord_app.questions import UserCooldown, question_from_message

BOT = 1234567890123456789


def test_own_mention_is_removed_and_other_markup_becomes_words():
    text = f"<@{BOT}> **who** is <@!98765432109876543> and <@&11111111111111111> in <#22222222222222222>? ||Li Bohu||"
    assert question_from_message(text, BOT) == "who is @user and @role in #channel? Li Bohu"


def test_everyone_here_and_timestamps_cannot_ping_or_confuse():
    text = "@everyone @here what happened <t:1600000000:R> at the forum?"
    assert question_from_message(text, BOT) == "everyone here what happened at the forum?"


def test_code_fences_quotes_and_emoji():
    text = "> ```python\nprint('who is li bohu')\n``` <:pog:123456789012345678> `yang`"
    assert question_from_message(text, BOT) == "print('who is li bohu') :pog: yang"


def test_only_a_mention_is_an_empty_question():
    assert question_from_message(f"<@{BOT}>", BOT) == ""


def test_cooldown_allows_rate_then_asks_to_wait():
    cooldown = UserCooldown(rate=5, per=30)
    assert [cooldown.retry_after(1, now=1000.0) for _ in range(5)] == [0.0] * 5
    assert 0 < cooldown.retry_after(1, now=1001.0) <= 30
    assert cooldown.retry_after(2, now=1001.0) == 0.0  # per user
    assert cooldown.retry_after(1, now=1031.0) == 0.0  # the window has passed
