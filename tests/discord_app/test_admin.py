"""Operator commands: admins only, rebuild and reload without a gap, stats."""
import asyncio
import os
import signal

import pytest

from bot.corpus import load_corpus
from bot.store import build_index

from tests.discord_app.conftest import interaction

ADMIN_COMMANDS = ("reindex", "reload", "stats")


@pytest.mark.parametrize("name", ADMIN_COMMANDS)
async def test_non_admins_are_denied_politely_and_privately(bot, name):
    cog = bot.get_cog("Admin")
    inter = interaction(user_id=1, manage_guild=False)
    command = getattr(cog, name)
    await (command.callback(cog, inter, 7) if name == "stats" else command.callback(cog, inter))
    args, kwargs = inter.response.send_message.await_args
    assert "only server managers" in args[0] and kwargs["ephemeral"] is True
    inter.response.defer.assert_not_awaited()


async def test_manage_server_or_listed_ids_are_admins(bot):
    cog = bot.get_cog("Admin")
    for inter in (interaction(user_id=1, manage_guild=True), interaction(user_id=4242, guild_id=None)):
        await cog.stats.callback(cog, inter, 7)
        assert "embed" in inter.response.send_message.await_args.kwargs


async def reindex_after_adding(bot, name: str, text: str):
    """An admin runs /reindex after a corpus file was added; returns the old version and the interaction."""
    (bot.engine.settings.corpus_dir / name).write_text(text, encoding="utf-8")
    old = bot.engine.version
    inter = interaction(user_id=4242)
    await bot.get_cog("Admin").reindex.callback(bot.get_cog("Admin"), inter)
    return old, inter


async def test_reindex_edits_progress_and_swaps_in_the_new_version(private_bot):
    bot = private_bot
    old, inter = await reindex_after_adding(bot, "extra.md", "Extra notes\n\nThe forum had a robotics exhibition.")
    assert "Rebuilding" in inter.response.send_message.await_args.args[0]
    final = inter.edit_original_response.await_args.kwargs["content"]
    assert bot.engine.version != old and f"Index {bot.engine.version} is live" in final
    ask = bot.get_cog("Ask")
    user = interaction(user_id=31)
    await ask.ask.callback(ask, user, "Who is Li Bohu?")
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
    return build_index(load_corpus(settings.corpus_dir), bot.engine.embedder, settings.index_dir, full=True,
                       sentences_per_passage=settings.chunk_sentences, hnsw_threshold=settings.hnsw_threshold).index_version


async def test_reload_loads_what_the_cli_built(private_bot):
    bot = private_bot
    new = build_behind_the_bots_back(bot, "reloaded")
    assert bot.engine.version != new
    inter = interaction(user_id=4242)
    await bot.get_cog("Admin").reload.callback(bot.get_cog("Admin"), inter)
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
        await bot.get_cog("Admin").reload.callback(bot.get_cog("Admin"), inter)
    finally:
        manifest.write_bytes(saved)
    assert inter.followup.send.await_args.args[0].startswith("Reload failed:") and old in inter.followup.send.await_args.args[0]
    assert bot.engine.version == old and bot.engine.ask("Who is Li Bohu?").citations[0].paragraph == 2
