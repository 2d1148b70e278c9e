"""Slash commands through discord.py's dispatch (CommandTree._call), with MagicMock(spec=discord.Interaction)."""
from unittest.mock import MagicMock

import discord

from tests.discord_app.conftest import assert_within_discord_limits, custom_ids, interaction, run_command


async def ask(bot, inter, question):
    await run_command(bot, inter, "ask", question=question)
    return inter.followup.send.await_args.kwargs if inter.followup.send.await_count else None


async def test_ask_defers_then_answers_publicly_with_buttons(bot):
    inter = interaction()
    sent = await ask(bot, inter, "Who is Li Bohu?")
    inter.response.defer.assert_awaited_once_with(thinking=True, ephemeral=False)
    embed, view = sent["embed"], sent["view"]
    assert "¶2" in embed.fields[0].value and "[1]" in embed.description and embed.title == "Who is Li Bohu?"
    assert sent["ephemeral"] is False
    assert_within_discord_limits(embed)
    labels = [item.item.label or str(item.item.emoji) for item in view.children]
    assert labels[0] == "Show ¶2" and labels[-2:] == ["👍", "👎"]
    assert custom_ids(view)[0] == "fb:p:zgc-forum-2020-industrial-internet:2"
    assert custom_ids(view)[-1].startswith("fb:v:") and custom_ids(view)[-1].endswith(":down")
    assert all(len(c) <= 100 for c in custom_ids(view)) and view.timeout is None


async def test_abstention_offers_example_questions_and_a_gap_flag_but_no_sources(bot):
    sent = await ask(bot, interaction(), "What's the best pizza topping?")
    assert sent["embed"].fields == []
    ids = custom_ids(sent["view"])
    assert ids[:3] == ["fb:ex:0", "fb:ex:1", "fb:ex:2"] and ids[-1].endswith(":gap")
    assert sent["view"].children[0].item.label == bot.engine.examples[0]


async def test_ask_respects_the_same_cooldown_and_length_limit(bot):
    for _ in range(5):
        await ask(bot, interaction(user_id=9), "Who is Li Bohu?")
    for _ in range(2):  # told every time, but only the asker sees it
        inter = interaction(user_id=9)
        assert await ask(bot, inter, "Who is Li Bohu?") is None
        args, kwargs = inter.response.send_message.await_args
        assert "Please wait" in args[0] and kwargs["ephemeral"] is True
    inter = interaction(user_id=10)
    await ask(bot, inter, "x" * 1001)
    assert "characters long" in inter.response.send_message.await_args.args[0]
    inter.response.defer.assert_not_awaited()


async def test_zero_width_characters_cannot_rebuild_a_mention_in_ask(bot):
    sent = await ask(bot, interaction(user_id=11), "@\u200beveryone <@\u200b&123456789012345678> who is Li Bohu?")
    shown = sent["embed"].title + sent["embed"].description
    assert "@everyone" not in shown and "<@&" not in shown
    assert bot.question_log.stats(days=1).top_questions[0]["question"] == "everyone @someone who is Li Bohu?"


async def test_source_shows_a_paragraph_and_rejects_bad_numbers(bot):
    inter = interaction()
    await run_command(bot, inter, "source", paragraph=5)
    kwargs = inter.response.send_message.await_args.kwargs
    assert kwargs["ephemeral"] and kwargs["embed"].description.startswith("Yang Xiuling")
    assert kwargs["embed"].url is None  # the shipped article names no source URL: none is invented
    inter = interaction()
    await run_command(bot, inter, "source", paragraph=99)
    assert "paragraphs 1–8" in inter.response.send_message.await_args.args[0]


async def test_about_names_the_documents_index_version_and_server_settings(bot):
    inter = interaction()
    await run_command(bot, inter, "about")
    embed = inter.response.send_message.await_args.kwargs["embed"]
    assert bot.engine.version in embed.footer.text and "8 paragraphs" in embed.fields[0].name
    assert embed.fields[-1].name == "In this server" and "Answers in: every channel" in embed.fields[-1].value
    assert_within_discord_limits(embed)


async def test_help_says_how_to_ask_and_what_is_logged_with_example_buttons(bot):
    inter = interaction()
    await run_command(bot, inter, "help")
    kwargs = inter.response.send_message.await_args.kwargs
    privacy = next(f.value for f in kwargs["embed"].fields if f.name == "Privacy")
    assert "salted hash" in privacy and "90 days" in privacy
    assert custom_ids(kwargs["view"]) == ["fb:ex:0", "fb:ex:1", "fb:ex:2"] and kwargs["ephemeral"]


async def test_private_ask_and_threads_follow_the_server_settings(bot):
    config = bot.servers.get(555)
    bot.servers.set(555, config.with_changes(ask_public=False))
    inter = interaction(user_id=12)
    sent = await ask(bot, inter, "Who is Li Bohu?")
    assert sent["ephemeral"] is True and inter.response.defer.await_args.kwargs["ephemeral"] is True
    bot.servers.set(555, config.with_changes(threads=True))
    inter = interaction(user_id=12)
    inter.channel = MagicMock(spec=discord.TextChannel)
    await ask(bot, inter, "Who is Yang Xiuling?")
    answer = inter.followup.send.return_value
    assert answer.create_thread.await_args.kwargs["name"] == "Who is Yang Xiuling?"
    thread = answer.create_thread.return_value
    assert "Mention me" in thread.send.await_args.args[0]
    assert bot.turns[thread.id] == ("Who is Yang Xiuling?",)


async def test_ask_outside_the_allowed_channels_is_told_where_to_ask(bot):
    bot.servers.set(555, bot.servers.get(555).with_changes(channels=frozenset({888})))
    inter = interaction(user_id=13)
    assert await ask(bot, inter, "Who is Li Bohu?") is None
    assert "<#888>" in inter.response.send_message.await_args.args[0]


async def test_an_error_in_a_slash_command_is_reported_not_raised(bot, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(bot.engine, "ask", broken)
    inter = interaction(user_id=77)
    inter.response.is_done.return_value = True
    await run_command(bot, inter, "ask", question="Who is Li Bohu?")
    assert "something went wrong" in inter.followup.send.await_args.args[0].lower()


async def test_a_documents_source_url_links_its_citations_and_paragraphs(private_bot):
    bot = private_bot
    (bot.engine.settings.corpus_dir / "robots.md").write_text(
        "---\ntitle: Robots at the forum\nsource: https://example.org/robots\n---\n"
        "The forum had a robotics exhibition with forty industrial robots.", encoding="utf-8")
    await bot.run_model(bot.engine.rebuild)
    sent = await ask(bot, interaction(user_id=50), "What did the robotics exhibition at the forum have?")
    assert "(https://example.org/robots)" in sent["embed"].fields[0].value
    inter = interaction()
    await run_command(bot, inter, "source", paragraph=1, document="robots")
    assert inter.response.send_message.await_args.kwargs["embed"].url == "https://example.org/robots"
