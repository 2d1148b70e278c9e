"""Follow-ups in a thread under an answer (dpytest has no threads, so the thread is a spec'd mock)."""
from unittest.mock import AsyncMock, MagicMock

import discord


def thread_message(bot, thread_id: int, starter: discord.Message | None) -> MagicMock:
    message = MagicMock(spec=discord.Message)
    message.reference = None
    message.channel = MagicMock(spec=discord.Thread, id=thread_id)
    message.channel.parent = MagicMock(spec=discord.TextChannel)
    message.channel.parent.fetch_message = AsyncMock(return_value=starter)
    return message


def bot_answer(bot, message_id: int, title: str) -> MagicMock:
    answer = MagicMock(spec=discord.Message, id=message_id)
    answer.author = bot.user
    answer.embeds = [discord.Embed(title=title)]
    return answer


async def test_a_thread_under_an_answer_carries_its_question(bot):
    cog = bot.get_cog("Ask")
    starter = bot_answer(bot, 111, "Who is Yang Xiuling?")
    assert await cog.earlier_question(thread_message(bot, 111, starter)) == "Who is Yang Xiuling?"


async def test_remembered_question_wins_over_the_embed_title(bot):
    bot.remember(222, "Who is Yang Xiuling? what did she say")
    cog = bot.get_cog("Ask")
    assert await cog.earlier_question(thread_message(bot, 222, None)) == "Who is Yang Xiuling? what did she say"


async def test_a_thread_under_someone_elses_message_is_not_a_follow_up(bot):
    cog = bot.get_cog("Ask")
    other = MagicMock(spec=discord.Message, id=333)
    other.author = MagicMock(spec=discord.User, id=999)
    assert await cog.earlier_question(thread_message(bot, 333, other)) is None


async def test_a_deleted_starter_message_is_not_an_error(bot):
    cog = bot.get_cog("Ask")
    message = thread_message(bot, 444, None)
    message.channel.parent.fetch_message.side_effect = discord.NotFound(MagicMock(status=404), "gone")
    assert await cog.earlier_question(message) is None


async def test_unaddressed_thread_messages_cost_no_fetch(bot):
    """Under default intents every thread message arrives empty unless it mentions the bot: no API call for it."""
    message = thread_message(bot, 555, bot_answer(bot, 555, "Who is Yang Xiuling?"))
    message.author = MagicMock(spec=discord.Member, id=7, bot=False)
    message.guild = MagicMock(spec=discord.Guild, id=1)
    message.mentions, message.content = [], ""
    message.reply = AsyncMock()
    await bot.get_cog("Ask").on_message(message)
    message.channel.parent.fetch_message.assert_not_awaited()
    message.reply.assert_not_awaited()
