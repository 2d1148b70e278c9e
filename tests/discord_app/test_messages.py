"""Messages through dpytest: mention, DM, reply follow-up, and everything that must not be answered."""
import discord
import discord.ext.test as dpytest
from discord.ext import commands
from discord.ext.test import backend, factories

from tests.discord_app.conftest import assert_within_discord_limits, mention


async def test_mention_gets_a_cited_reply(bot, sends):
    asked = await dpytest.message(mention(bot, "who is Li Bohu?"))
    reply = dpytest.get_message()
    assert sends[-1]["reference"].id == asked.id  # a reply to that message
    embed = reply.embeds[0]
    assert "[1]" in embed.description and "¶2" in embed.fields[0].value
    assert_within_discord_limits(embed)
    assert dpytest.verify().message().nothing()


async def test_messages_without_a_mention_are_ignored(bot):
    await dpytest.message("who is Li Bohu?")
    assert dpytest.verify().message().nothing()


async def test_messages_from_bots_are_ignored(bot):
    member = dpytest.get_config().members[0]
    member._user.bot = True
    try:
        await dpytest.message(mention(bot, "who is Li Bohu?"), member=member)
    finally:
        member._user.bot = False
    assert dpytest.verify().message().nothing()


async def test_direct_messages_are_questions(bot):
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    await dpytest.message("yang xiuling job title", channel=dm)
    reply = dpytest.get_message()
    assert "Deputy Secretary-General" in reply.embeds[0].description


async def test_reply_to_an_answer_is_a_follow_up(bot):
    await dpytest.message(mention(bot, "Who is Yang Xiuling?"))
    answer = dpytest.get_message()
    channel = answer.channel
    member = dpytest.get_config().members[0]
    data = factories.make_message_dict(channel, member, content="what did she say about Beijing?")
    data["message_reference"] = {"message_id": answer.id, "channel_id": channel.id, "guild_id": channel.guild.id}
    data["referenced_message"] = factories.dict_from_message(answer)
    data["type"] = 19
    backend.get_state().parse_message_create(data)
    await dpytest.run_all_events()
    follow_up = dpytest.get_message()
    assert follow_up.embeds[0].title == "what did she say about Beijing?"
    assert "Beijing" in follow_up.embeds[0].description
    assert follow_up.embeds[0].fields[0].value.split("¶")[1][0] in "567"


async def test_cooldown_answers_five_then_asks_to_wait_once_then_stays_quiet(bot):
    for _ in range(5):
        await dpytest.message(mention(bot, "who is Li Bohu?"))
        assert dpytest.get_message().embeds
    await dpytest.message(mention(bot, "who is Li Bohu?"))
    notice = dpytest.get_message()
    assert notice.embeds == [] and "Please wait" in notice.content
    for _ in range(25):  # 30 mentions in all: one notice, not 25
        await dpytest.message(mention(bot, "who is Li Bohu?"))
    assert dpytest.verify().message().nothing()


async def test_zero_width_characters_cannot_rebuild_a_mention(bot):
    role = dpytest.get_config().guilds[0].default_role.id
    await dpytest.message(mention(bot, f"@\u200beveryone <@\u200b&{role}> @here\u2060 who is Li Bohu?"))
    embed = dpytest.get_message().embeds[0]
    assert "@everyone" not in embed.title and "<@&" not in embed.title and "@here" not in embed.title
    logged = bot.question_log.stats(days=1).top_questions[0]["question"]
    assert "@everyone" not in logged and "<@&" not in logged and "@here" not in logged


async def test_a_typing_indicator_shows_while_a_mention_is_answered(bot, monkeypatch):
    typed = []
    original = discord.abc.Messageable.typing
    monkeypatch.setattr(discord.abc.Messageable, "typing", lambda self: typed.append(self) or original(self))
    await dpytest.message(mention(bot, "who is Li Bohu?"))
    assert dpytest.get_message().embeds and len(typed) == 1


async def test_only_the_configured_channels_are_answered(bot):
    guild = dpytest.get_config().guilds[0]
    bot.servers.set(guild.id, bot.servers.get(guild.id).with_changes(channels=frozenset({1})))
    await dpytest.message(mention(bot, "who is Li Bohu?"))
    assert dpytest.verify().message().nothing()
    bot.servers.set(guild.id, bot.servers.get(guild.id).with_changes(channels=frozenset({dpytest.get_config().channels[0].id})))
    await dpytest.message(mention(bot, "who is Li Bohu?"))
    assert dpytest.get_message().embeds


async def test_the_ask_channel_needs_the_message_content_intent(bot, monkeypatch):
    channel = dpytest.get_config().channels[0]
    bot.servers.set(channel.guild.id, bot.servers.get(channel.guild.id).with_changes(ask_channel=channel.id))
    await dpytest.message("who is Li Bohu?")  # no mention: without the intent this text would arrive empty
    assert dpytest.verify().message().nothing()
    monkeypatch.setattr(bot, "settings", bot.settings.model_copy(update={"message_content": True}))
    await dpytest.message("who is Li Bohu?")
    assert "¶2" in dpytest.get_message().embeds[0].fields[0].value


async def test_over_long_question_gets_a_clear_message(bot):
    await dpytest.message(mention(bot, "why " * 2500))
    notice = dpytest.get_message()
    assert "characters long; please keep it under 1,000" in notice.content


async def test_everyone_in_a_question_is_never_a_ping(bot, sends):
    await dpytest.message(mention(bot, "@everyone who is Li Bohu? <@&123456789012345678>"))
    reply = dpytest.get_message()
    shown = (reply.content or "") + reply.embeds[0].title + reply.embeds[0].description
    assert "@everyone" not in shown and "<@&" not in shown
    assert sends[-1].get("allowed_mentions") is None  # so the client-wide AllowedMentions.none() applies


async def test_off_topic_question_abstains_with_examples(bot):
    await dpytest.message(mention(bot, "What's the best pizza topping?"))
    embed = dpytest.get_message().embeds[0]
    assert embed.fields == [] and "Who is Li Bohu?" in embed.description


async def test_only_a_mention_gets_help(bot):
    await dpytest.message(mention(bot, ""))
    embed = dpytest.get_message().embeds[0]
    assert embed.fields == [] and "Try:" in embed.description


async def test_an_exception_in_the_handler_does_not_stop_the_bot(bot, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(bot.engine, "ask", broken)
    await dpytest.message(mention(bot, "who is Li Bohu?"))
    assert "something went wrong" in dpytest.get_message().content.lower()
    monkeypatch.undo()
    await dpytest.message(mention(bot, "who is Li Bohu?"))
    assert dpytest.get_message().embeds[0].fields


def test_no_pings_and_only_default_intents(engine, tmp_path):
    from bot import create_bot

    fresh = create_bot(engine.settings.model_copy(update={"data_dir": tmp_path}), engine)
    assert isinstance(fresh, commands.AutoShardedBot)
    assert fresh.allowed_mentions.to_dict() == {"parse": []} and fresh.allowed_mentions.replied_user is False
    assert fresh.intents == discord.Intents.default() and not fresh.intents.message_content
    assert not fresh.intents.members and not fresh.intents.presences
    fresh.question_log.close()
    opted_in = create_bot(engine.settings.model_copy(update={"data_dir": tmp_path, "message_content": True}), engine)
    assert opted_in.intents.message_content and not opted_in.intents.members
    opted_in.question_log.close()


async def test_follow_up_without_content_is_ignored(bot):
    """Without the message-content intent, a reply that doesn't ping the bot arrives empty: stay quiet."""
    await dpytest.message(mention(bot, "Who is Yang Xiuling?"))
    answer = dpytest.get_message()
    channel = answer.channel
    data = factories.make_message_dict(channel, dpytest.get_config().members[0], content="")
    data["message_reference"] = {"message_id": answer.id, "channel_id": channel.id, "guild_id": channel.guild.id}
    data["referenced_message"] = factories.dict_from_message(answer)
    data["type"] = 19
    backend.get_state().parse_message_create(data)
    await dpytest.run_all_events()
    assert dpytest.verify().message().nothing()
