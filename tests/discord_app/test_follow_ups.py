"""Follow-ups: replies to answers and messages in threads carry the earlier questions, bounded.
(dpytest has no threads, so a thread is a spec'd mock around real discord.py types.)"""
from unittest.mock import AsyncMock, MagicMock

import discord
import discord.ext.test as dpytest
from discord.ext.test import backend, factories

from bot.discord_app.ask import THREAD_HINT_MENTION
from bot.answer import MAX_HISTORY
from tests.discord_app.conftest import mention


def thread_message(bot, thread_id: int, starter: discord.Message | None, content: str = "") -> MagicMock:
    message = MagicMock(spec=discord.Message, content=content, guild=None, mentions=[bot.user])
    message.author = MagicMock(spec=discord.Member, id=55, bot=False)
    message.reference = None
    message.channel = MagicMock(spec=discord.Thread, id=thread_id)
    message.channel.parent = MagicMock(spec=discord.TextChannel)
    message.channel.parent.fetch_message = AsyncMock(return_value=starter)
    message.reply = AsyncMock(return_value=MagicMock(spec=discord.Message, id=thread_id + 1))
    return message


def bot_answer(bot, message_id: int, title: str) -> MagicMock:
    answer = MagicMock(spec=discord.Message, id=message_id)
    answer.author = bot.user
    answer.embeds = [discord.Embed(title=title)]
    return answer


async def test_a_thread_under_an_answer_carries_its_question_after_a_restart(bot):
    cog = bot.get_cog("Ask")
    starter = bot_answer(bot, 111, "Who is Yang\\_Xiuling?")  # the title as rendered: escaped
    assert await cog.earlier_turns(thread_message(bot, 111, starter)) == ("Who is Yang_Xiuling?",)


async def test_follow_ups_in_a_thread_use_its_earlier_turns(bot, monkeypatch):
    asked = []
    original = bot.engine.ask
    monkeypatch.setattr(bot.engine, "ask", lambda q, history=(): asked.append((q, list(history))) or original(q, history))
    bot.remember(222, ("Who is Yang Xiuling?",))
    message = thread_message(bot, 222, None, content=mention(bot, "what did she say about Beijing?"))
    await bot.get_cog("Ask").on_message(message)
    assert asked[-1] == ("what did she say about Beijing?", ["Who is Yang Xiuling?"])
    assert "Beijing" in message.reply.await_args.kwargs["embed"].description
    assert bot.turns[222] == ("Who is Yang Xiuling?", "what did she say about Beijing?")


async def test_a_thread_under_someone_elses_message_is_not_a_follow_up(bot):
    other = MagicMock(spec=discord.Message, id=333, mentions=[], content="hello")
    other.author = MagicMock(spec=discord.User, id=999)
    assert await bot.get_cog("Ask").earlier_turns(thread_message(bot, 333, other)) == ()


async def test_a_deleted_starter_message_is_not_an_error(bot):
    message = thread_message(bot, 444, None)
    message.channel.parent.fetch_message.side_effect = discord.NotFound(MagicMock(status=404), "gone")
    assert await bot.get_cog("Ask").earlier_turns(message) == ()


def reply_to(answer, text: str):
    channel = answer.channel
    data = factories.make_message_dict(channel, dpytest.get_config().members[0], content=text)
    data["message_reference"] = {"message_id": answer.id, "channel_id": channel.id, "guild_id": channel.guild.id}
    data["referenced_message"] = factories.dict_from_message(answer)
    data["type"] = 19
    backend.get_state().parse_message_create(data)


async def test_context_along_a_reply_chain_is_bounded(bot):
    await dpytest.message(mention(bot, "Who is Yang Xiuling? " + "very " * 100))
    answer = dpytest.get_message()
    for i in range(4):  # with the first question, the 5 a user may ask per window
        reply_to(answer, mention(bot, f"and follow-up number {i}?"))
        await dpytest.run_all_events()
        answer = dpytest.get_message()
    turns = bot.turns[answer.id]
    assert len(turns) == MAX_HISTORY and turns[-1] == "and follow-up number 3?"
    assert sum(map(len, turns)) <= MAX_HISTORY * 200


async def test_threads_on_open_a_thread_named_after_the_question_and_say_a_mention_is_needed(bot):
    channel = dpytest.get_config().channels[0]
    bot.servers.set(channel.guild.id, bot.servers.get(channel.guild.id).with_changes(threads=True))
    message = MagicMock(spec=discord.Message, content=mention(bot, "Who is Li Bohu?"), guild=channel.guild,
                        mentions=[bot.user], reference=None)
    message.author = MagicMock(spec=discord.Member, id=56, bot=False)
    message.channel = MagicMock(spec=discord.TextChannel, id=channel.id)
    thread = message.create_thread.return_value = MagicMock(spec=discord.Thread, id=777_000)
    thread.send = AsyncMock(return_value=MagicMock(spec=discord.Message, id=777_001))
    await bot.get_cog("Ask").on_message(message)
    assert message.create_thread.await_args.kwargs == {"name": "Who is Li Bohu?"}
    args, kwargs = thread.send.await_args
    assert args == (THREAD_HINT_MENTION,) and "¶2" in kwargs["embed"].fields[0].value
    assert bot.turns[777_000] == ("Who is Li Bohu?",)
    message.reply.assert_not_called()
