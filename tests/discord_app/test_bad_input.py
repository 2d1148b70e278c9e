"""Hostile and odd messages: each gets exactly one clear reply within Discord's limits, and no pings."""
import logging

import discord.ext.test as dpytest
import pytest
from pydantic import SecretStr

from tests.discord_app.conftest import assert_within_discord_limits, interaction, mention, run_command

HOSTILE = [
    "",
    "     \n\t   ",
    "x" * 10_000,
    "who is \x00\x07 Li\u200b Bohu\u202e?\u2066",
    "🤖🔥 who is Li Bohu? 🙏🏽",
    "```py\nprint('who is Li Bohu?')\n```",
    "||spoiler|| **who** _is_ ~~not~~ Li Bohu? > quoted",
    "@everyone @here <@&{role}> <#{channel}> who is Li Bohu?",  # dpytest needs real ids
    "<t:1600000000:R> when did the forum kick off?",
    "ما هو المنتدى؟",
    "Кто такой Ли Бохү?",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_messages_get_one_reply_within_limits(bot, text):
    config = dpytest.get_config()
    text = text.replace("{role}", str(config.guilds[0].default_role.id)).replace("{channel}", str(config.channels[0].id))
    await dpytest.message(mention(bot, text))
    reply = dpytest.get_message()
    assert dpytest.verify().message().nothing()  # exactly one reply
    assert len(reply.content or "") <= 2000
    for embed in reply.embeds:
        assert_within_discord_limits(embed)
        assert "@everyone" not in (embed.title or "") + (embed.description or "")
    assert reply.content or reply.embeds


async def test_the_bot_keeps_answering_after_the_index_is_deleted(private_bot):
    import shutil

    bot = private_bot
    shutil.rmtree(bot.engine.settings.index_dir)
    await dpytest.message(mention(bot, "who is Li Bohu?"))
    assert "¶2" in dpytest.get_message().embeds[0].fields[0].value
    inter = interaction(user_id=4242)
    await run_command(bot, inter, "reload")
    assert "Reload failed: no index" in inter.followup.send.await_args.args[0]
    await dpytest.message(mention(bot, "who is Li Bohu?"))
    assert "¶2" in dpytest.get_message().embeds[0].fields[0].value


async def test_an_error_from_the_model_is_reported_and_the_bot_goes_on(bot, monkeypatch):
    def broken(texts):
        raise RuntimeError("model failure (simulated)")

    monkeypatch.setattr(bot.engine.embedder, "encode", broken)
    await dpytest.message(mention(bot, "a brand new question about the report"))
    assert "something went wrong" in dpytest.get_message().content.lower()
    monkeypatch.undo()
    await dpytest.message(mention(bot, "a brand new question about the report"))
    assert dpytest.get_message().embeds


async def test_the_token_never_reaches_the_logs(bot, caplog, monkeypatch):
    secret = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"
    monkeypatch.setattr(bot, "settings", bot.settings.model_copy(update={"discord_token": SecretStr(secret)}))
    caplog.set_level(logging.DEBUG)

    def broken(*args):
        raise RuntimeError(f"failure while settings were {bot.settings!r}")

    monkeypatch.setattr(bot.engine, "ask", broken)
    await dpytest.message(mention(bot, "who is Li Bohu?"))
    dpytest.get_message()
    assert "unhandled error" in caplog.text and "failure while settings were" in caplog.text
    assert secret not in caplog.text
