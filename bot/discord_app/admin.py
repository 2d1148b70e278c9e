"""Operator commands: /reindex, /reload, /stats, /config. Hidden from non-admins by default permissions,
and checked once for the whole cog (Manage Server, or ids in settings): server owners can override
default permissions, so they are a convenience, not the guard."""
from __future__ import annotations

import asyncio
import logging
import time
from functools import partial
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord_app.embeds import stats_embed
from bot.errors import ForumbotError

if TYPE_CHECKING:
    from bot.discord_app.client import ForumBot

log = logging.getLogger(__name__)
PROGRESS_EVERY = 2.0  # seconds between progress edits, well inside Discord's rate limits
NEEDS_CONTENT_INTENT = ("Note: the ask channel only works with the message-content intent: turn it on in the "
                        "Developer Portal (Bot → Privileged Gateway Intents) and set FORUMBOT_MESSAGE_CONTENT=true.")


def is_admin(interaction: discord.Interaction, admin_ids: list[int]) -> bool:
    if interaction.user.id in admin_ids:
        return True
    permissions = getattr(interaction.user, "guild_permissions", None)
    return bool(interaction.guild_id and permissions and permissions.manage_guild)


class Admin(commands.Cog):
    def __init__(self, bot: ForumBot):
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Every command here; a refusal reaches the bot's error handler as a CheckFailure."""
        return is_admin(interaction, self.bot.settings.admin_user_ids)

    @app_commands.command(name=_("reindex"), description=_("Rebuild the index from the corpus (admins)."))
    @app_commands.default_permissions(manage_guild=True)
    async def reindex(self, interaction: discord.Interaction) -> None:
        old = self.bot.engine.version
        await interaction.response.send_message(f"Rebuilding the index… (still answering from {old})", ephemeral=True)
        loop = asyncio.get_running_loop()
        progress = {"done": 0, "total": 0, "shown": 0.0}

        def on_total(total: int) -> None:
            progress["total"] = total

        def on_progress(count: int) -> None:  # runs in the build thread
            progress["done"] += count
            if time.monotonic() - progress["shown"] >= PROGRESS_EVERY:
                progress["shown"] = time.monotonic()
                text = f"Rebuilding the index… embedded {progress['done']}/{progress['total']} passages"
                asyncio.run_coroutine_threadsafe(interaction.edit_original_response(content=text), loop)

        try:  # the build embeds with the model: it takes a model slot like any question
            report = await self.bot.run_model(self.bot.engine.rebuild, False, on_total, on_progress)
        except ForumbotError as exc:  # anything else reaches the bot's error handler, which logs its traceback
            log.error("/reindex by user %s failed, still serving index %s: %s", interaction.user.id, old, exc)
            await interaction.edit_original_response(content=f"Rebuild failed: {exc}. Still serving index {old}.")
            return
        await interaction.edit_original_response(
            content=f"Index {report.index_version} is live: {report.documents} documents, {report.passages} passages "
                    f"({report.embedded} embedded, {report.passages - report.embedded} reused) in {report.seconds:.1f} s.")

    @app_commands.command(name=_("reload"), description=_("Load the index the CLI built (admins)."))
    @app_commands.default_permissions(manage_guild=True)
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        old = self.bot.engine.version
        try:
            version = await self.bot.reload_index()
        except ForumbotError as exc:
            await interaction.followup.send(f"Reload failed: {exc}. Still serving index {old}.", ephemeral=True)
            return
        await interaction.followup.send(f"Now serving index {version} (was {old}).", ephemeral=True)

    @app_commands.command(name=_("stats"), description=_("Questions, abstentions, latency and gaps (admins)."))
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.rename(days=_("days"))
    @app_commands.describe(days=_("How many days back (default 7)"))
    async def stats(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = 7) -> None:
        # The model groups gaps by meaning, so this takes a model slot like a question.
        stats = await self.bot.run_model(partial(self.bot.question_log.stats, days, encode=self.bot.engine.embedder.encode))
        await interaction.response.send_message(embed=stats_embed(stats), ephemeral=True)

    @app_commands.command(name=_("config"), description=_("Where and how forumbot answers in this server (admins)."))
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.rename(answer_in=_("answer_in"), stop_answering_in=_("stop_answering_in"),
                         all_channels=_("all_channels"), threads=_("threads"), ask_public=_("ask_public"),
                         ask_channel=_("ask_channel"), no_ask_channel=_("no_ask_channel"))
    @app_commands.describe(
        answer_in=_("Also answer in this channel (then only in the listed ones)"),
        stop_answering_in=_("Stop answering in this channel"), all_channels=_("Answer in every channel again"),
        threads=_("Answers open a thread named after the question"),
        ask_public=_("Whether /ask answers are public (else only the asker sees them)"),
        ask_channel=_("A channel where every message is a question (needs the message-content intent)"),
        no_ask_channel=_("Remove the ask channel"))
    async def config(self, interaction: discord.Interaction, answer_in: discord.TextChannel | None = None,
                     stop_answering_in: discord.TextChannel | None = None, all_channels: bool = False,
                     threads: bool | None = None, ask_public: bool | None = None,
                     ask_channel: discord.TextChannel | None = None, no_ask_channel: bool = False) -> None:
        """Without options: show the settings. With options: change them, then show them."""
        guild_id = interaction.guild_id
        assert guild_id is not None  # guild_only: Discord never sends it from a DM
        config = self.bot.servers.get(guild_id)
        channels = set() if all_channels else set(config.channels)
        if answer_in:
            channels.add(answer_in.id)
        if stop_answering_in:
            channels.discard(stop_answering_in.id)
        changed = config.with_changes(
            channels=frozenset(channels),
            threads=config.threads if threads is None else threads,
            ask_public=config.ask_public if ask_public is None else ask_public,
            ask_channel=None if no_ask_channel else (ask_channel.id if ask_channel else config.ask_channel))
        if changed != config:
            await asyncio.to_thread(self.bot.servers.set, guild_id, changed)
        lines = changed.describe()
        if changed.ask_channel and not self.bot.settings.message_content:
            lines.append(NEEDS_CONTENT_INTENT)
        await interaction.response.send_message("\n".join(lines), ephemeral=True)
