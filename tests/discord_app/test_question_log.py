"""The question log is off the answer's path: a locked or damaged log neither delays nor fails an answer."""
import logging
import sqlite3

import discord.ext.test as dpytest

from tests.conftest import locked
from tests.discord_app.conftest import bot_message, click, custom_ids, interaction, mention, run_command


async def test_answers_go_out_while_the_log_is_locked_and_a_vote_lands_once_the_row_is_written(bot):
    inter = interaction(user_id=5)
    with locked(bot.question_log.path):  # another process holds the write lock: a backup, a sqlite3 shell
        await run_command(bot, inter, "ask", question="Who is Li Bohu?")
        sent = inter.followup.send.await_args.kwargs
        assert "¶2" in sent["embed"].fields[0].value
        voted = await click(bot, bot_message(bot, sent["view"]), custom_ids(sent["view"])[-2], user_id=5)  # 👍, row unwritten
        assert "You voted 👍" in voted.response.send_message.await_args.args[0]
        await dpytest.message(mention(bot, "Who is Yang Xiuling?"))
        assert dpytest.get_message().embeds[0].fields
    row = int(custom_ids(sent["view"])[-1].split(":")[2])
    assert bot.question_log.row(row) is not None and bot.question_log.votes(row) == {"up": 1, "down": 0}
    assert bot.question_log.stats(days=1).questions == 2 and bot.question_log.unwritten == 0


async def test_a_failing_prune_does_not_end_the_daily_loop(bot, caplog):
    """An exception in a tasks.loop body ends the loop for good; prune logs instead of raising."""
    with sqlite3.connect(bot.question_log.path) as other:
        other.execute("DROP TABLE questions")  # a damaged log: every statement on it fails
    with caplog.at_level(logging.WARNING):
        await bot.prune_log.coro(bot)
    assert "pruning failed (no such table: questions)" in caplog.text


async def test_stats_tell_admins_how_many_rows_could_not_be_written(bot, monkeypatch):
    from bot.discord_app.admin import stats_embed

    assert stats_embed(bot.question_log.stats(days=7)).footer.text is None
    monkeypatch.setattr(type(bot.question_log), "unwritten", 3)
    assert stats_embed(bot.question_log.stats(days=7)).footer.text.startswith("3 log rows or votes could not be written")
