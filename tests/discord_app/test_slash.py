"""Slash commands and buttons with MagicMock(spec=discord.Interaction): dpytest has no interactions."""
import discord

from tests.discord_app.conftest import assert_within_discord_limits, interaction


async def ask(bot, inter, question):
    cog = bot.get_cog("Ask")
    await cog.ask.callback(cog, inter, question)
    return inter.followup.send.await_args.kwargs if inter.followup.send.await_count else None


async def test_ask_defers_then_answers_publicly_with_buttons(bot):
    inter = interaction()
    sent = await ask(bot, inter, "Who is Li Bohu?")
    inter.response.defer.assert_awaited_once_with(thinking=True)
    embed, view = sent["embed"], sent["view"]
    assert "¶2" in embed.fields[0].value and "[1]" in embed.description
    assert not sent.get("ephemeral")
    assert_within_discord_limits(embed)
    labels = [item.label or str(item.emoji) for item in view.children]
    assert labels[0] == "Show ¶2" and labels[-2:] == ["👍", "👎"]


async def test_show_passage_button_sends_the_whole_paragraph_ephemerally(bot):
    sent = await ask(bot, interaction(), "Who is Li Bohu?")
    show = sent["view"].children[0]
    click = interaction()
    await show.callback(click)
    kwargs = click.response.send_message.await_args.kwargs
    assert kwargs["ephemeral"] is True
    paragraph = bot.engine.store.documents["zgc-forum-2020-industrial-internet"].paragraphs[1]
    assert kwargs["embed"].description == paragraph and kwargs["embed"].title.startswith("¶2")


async def test_feedback_buttons_record_on_the_right_row(bot):
    first = await ask(bot, interaction(user_id=1), "Who is Li Bohu?")
    second = await ask(bot, interaction(user_id=2), "yang xiuling job title")
    up, down = second["view"].children[-2:]
    click = interaction(user_id=2)
    await down.callback(click)
    assert click.response.send_message.await_args.kwargs["ephemeral"] is True
    log = bot.question_log
    assert log.row(second["view"].log_id)["feedback"] == -1
    assert log.row(first["view"].log_id)["feedback"] is None
    await up.callback(interaction(user_id=2))
    assert log.row(second["view"].log_id)["feedback"] == 1


async def test_abstention_has_no_buttons_to_vote_or_show(bot):
    sent = await ask(bot, interaction(), "What's the best pizza topping?")
    assert sent["view"].children == [] and sent["embed"].fields == []


async def test_ask_respects_the_same_cooldown_and_length_limit(bot):
    for _ in range(5):
        await ask(bot, interaction(user_id=9), "Who is Li Bohu?")
    inter = interaction(user_id=9)
    assert await ask(bot, inter, "Who is Li Bohu?") is None
    args, kwargs = inter.response.send_message.await_args
    assert "Please wait" in args[0] and kwargs["ephemeral"] is True
    inter = interaction(user_id=10)
    await ask(bot, inter, "x" * 1001)
    assert "characters long" in inter.response.send_message.await_args.args[0]
    inter.response.defer.assert_not_awaited()


async def test_source_shows_a_paragraph_and_rejects_bad_numbers(bot):
    cog = bot.get_cog("Ask")
    inter = interaction()
    await cog.source.callback(cog, inter, 5)
    kwargs = inter.response.send_message.await_args.kwargs
    assert kwargs["ephemeral"] and kwargs["embed"].description.startswith("Yang Xiuling")
    inter = interaction()
    await cog.source.callback(cog, inter, 99)
    assert "paragraphs 1–8" in inter.response.send_message.await_args.args[0]


async def test_about_names_the_documents_and_index_version(bot):
    cog = bot.get_cog("Ask")
    inter = interaction()
    await cog.about.callback(cog, inter)
    embed = inter.response.send_message.await_args.kwargs["embed"]
    assert bot.engine.version in embed.footer.text and "8 paragraphs" in embed.fields[0].name
    assert_within_discord_limits(embed)


async def test_an_error_in_a_slash_command_is_reported_not_raised(bot, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(bot.engine, "ask", broken)
    inter = interaction(user_id=77)
    inter.response.is_done.return_value = True
    cog = bot.get_cog("Ask")
    try:
        await cog.ask.callback(cog, inter, "Who is Li Bohu?")
    except RuntimeError as error:
        await bot.tree.on_error(inter, discord.app_commands.CommandInvokeError(cog.ask, error))
    assert "something went wrong" in inter.followup.send.await_args.args[0].lower()
