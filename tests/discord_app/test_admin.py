"""Operator commands: admins only, rebuild and reload without a gap, stats."""
import asyncio
import os
import signal

import discord.ext.test as dpytest
import pytest

from bot.discord_app.servers import ServerConfigs
from bot.errors import ForumbotError
from tests.conftest import build
from tests.discord_app.conftest import interaction, run_command, run_with_namespace

ADMIN_COMMANDS = ("reindex", "reload", "stats", "config")


@pytest.mark.parametrize("name", ADMIN_COMMANDS)
async def test_non_admins_are_denied_politely_and_privately(bot, name, monkeypatch):
    monkeypatch.setattr(bot.engine, "rebuild", lambda *a: pytest.fail("a non-admin rebuilt the index"))
    inter = interaction(user_id=1, manage_guild=False)
    await run_command(bot, inter, name)
    args, kwargs = inter.response.send_message.await_args
    assert "only server managers" in args[0] and kwargs["ephemeral"] is True
    inter.response.defer.assert_not_awaited()


@pytest.mark.parametrize("name", ADMIN_COMMANDS)
def test_admin_commands_are_hidden_from_non_admins(bot, name):
    assert bot.tree.get_command(name).default_permissions.manage_guild


async def test_manage_server_or_listed_ids_are_admins(bot):
    for inter in (interaction(user_id=1, manage_guild=True), interaction(user_id=4242, guild_id=None)):
        await run_command(bot, inter, "stats", days=7)
        assert "embed" in inter.response.send_message.await_args.kwargs


class Picked:
    """A channel option as Discord resolves it."""

    def __init__(self, channel):
        self.channel = channel

    def resolve(self):
        return self.channel


async def test_config_is_stored_shown_by_about_and_survives_a_restart(bot):
    channel = dpytest.get_config().channels[0]
    admin = interaction(user_id=1, manage_guild=True, guild_id=channel.guild.id)
    await run_with_namespace(bot, admin, "config", answer_in=Picked(channel), threads=True, ask_public=False,
                             ask_channel=Picked(channel))
    shown = admin.response.send_message.await_args.args[0]
    assert f"Answers in: <#{channel.id}>" in shown and "thread: yes" in shown and "only for the asker" in shown
    assert "FORUMBOT_MESSAGE_CONTENT=true" in shown  # the ask channel needs the privileged intent
    reopened = ServerConfigs(bot.settings.data_dir / "servers.sqlite3")
    assert reopened.get(channel.guild.id) == bot.servers.get(channel.guild.id) and reopened.get(channel.guild.id).threads
    reopened.close()
    about = interaction(guild_id=channel.guild.id)
    await run_command(bot, about, "about")
    assert "Answers open a thread: yes" in about.response.send_message.await_args.kwargs["embed"].fields[-1].value
    await run_with_namespace(bot, admin, "config", all_channels=True, no_ask_channel=True)
    assert "Answers in: every channel" in admin.response.send_message.await_args.args[0]


async def test_reindex_takes_a_model_slot_like_a_question(private_bot, monkeypatch):
    bot = private_bot
    started = []

    def rebuild(*args):
        started.append(args)
        raise ForumbotError("stopped here")

    monkeypatch.setattr(bot.engine, "rebuild", rebuild)
    for _ in range(bot.settings.max_concurrency):  # every slot busy answering questions
        await bot.model_slots.acquire()
    task = asyncio.create_task(run_command(bot, interaction(user_id=4242), "reindex"))
    for _ in range(20):
        await asyncio.sleep(0)
    assert started == [] and not task.done()  # waits for a slot: never more model work than the limit
    for _ in range(bot.settings.max_concurrency):
        bot.model_slots.release()
    await task
    assert len(started) == 1


async def reindex_after_adding(bot, name: str, text: str):
    """An admin runs /reindex after a corpus file was added; returns the old version and the interaction."""
    (bot.engine.settings.corpus_dir / name).write_text(text, encoding="utf-8")
    old = bot.engine.version
    inter = interaction(user_id=4242)
    await run_command(bot, inter, "reindex")
    return old, inter


async def test_reindex_edits_progress_and_swaps_in_the_new_version(private_bot):
    bot = private_bot
    old, inter = await reindex_after_adding(bot, "extra.md", "Extra notes\n\nThe forum had a robotics exhibition.")
    assert "Rebuilding" in inter.response.send_message.await_args.args[0]
    final = inter.edit_original_response.await_args.kwargs["content"]
    assert bot.engine.version != old and f"Index {bot.engine.version} is live" in final
    user = interaction(user_id=31)
    await run_command(bot, user, "ask", question="Who is Li Bohu?")
    assert bot.engine.version in user.followup.send.await_args.kwargs["embed"].footer.text


async def test_failed_reindex_is_reported_and_the_old_index_keeps_serving(private_bot):
    bot = private_bot
    old, inter = await reindex_after_adding(bot, "empty.txt", "")
    final = inter.edit_original_response.await_args.kwargs["content"]
    assert final.startswith("Rebuild failed:") and "empty.txt" in final and old in final
    assert bot.engine.version == old and bot.engine.ask("Who is Li Bohu?").citations[0].paragraph == 2


def build_behind_the_bots_back(bot, name: str) -> str:
    """An operator adds a document and runs `forumbot index build` in another process: a new version
    on disk, not yet served. (New content, so the version differs even within the same second.)"""
    settings = bot.engine.settings
    (settings.corpus_dir / f"{name}.md").write_text(f"{name}\n\nA paragraph about {name}.", encoding="utf-8")
    return build(settings, bot.engine.embedder, full=True).index_version


async def test_reload_loads_what_the_cli_built(private_bot):
    bot = private_bot
    new = build_behind_the_bots_back(bot, "reloaded")
    assert bot.engine.version != new
    inter = interaction(user_id=4242)
    await run_command(bot, inter, "reload")
    assert f"Now serving index {new}" in inter.followup.send.await_args.args[0]
    assert bot.engine.version == new


async def test_sighup_reloads_too(private_bot):
    bot = private_bot
    assert signal.getsignal(signal.SIGHUP) not in (signal.SIG_DFL, None)  # the bot's handler, not termination
    new = build_behind_the_bots_back(bot, "hangup")
    os.kill(os.getpid(), signal.SIGHUP)
    for _ in range(50):
        await asyncio.sleep(0.05)
        if bot.engine.version == new:
            break
    assert bot.engine.version == new and bot.engine.ask("Who is Li Bohu?").citations[0].paragraph == 2


async def test_failed_reload_keeps_serving(private_bot):
    bot = private_bot
    old = bot.engine.version
    manifest = bot.engine.settings.index_dir / "current" / "manifest.json"
    saved = manifest.read_bytes()
    manifest.write_text("{corrupt", encoding="utf-8")
    inter = interaction(user_id=4242)
    try:
        await run_command(bot, inter, "reload")
    finally:
        manifest.write_bytes(saved)
    assert inter.followup.send.await_args.args[0].startswith("Reload failed:") and old in inter.followup.send.await_args.args[0]
    assert bot.engine.version == old and bot.engine.ask("Who is Li Bohu?").citations[0].paragraph == 2
