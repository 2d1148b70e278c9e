"""Operator commands: /reindex, /reload, /stats. Admins only: Manage Server, or ids in settings."""
from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import ForumbotError

if TYPE_CHECKING:
    from bot.discord_app.client import ForumBot

PROGRESS_EVERY = 2.0  # seconds between progress edits, well inside Discord's rate limits


def is_admin(interaction: discord.Interaction, admin_ids: list[int]) -> bool:
    if interaction.user.id in admin_ids:
        return True
    permissions = getattr(interaction.user, "guild_permissions", None)
    return bool(interaction.guild_id and permissions and permissions.manage_guild)


def stats_embed(stats) -> discord.Embed:
    embed = discord.Embed(title=f"Questions, last {stats.days} days", colour=discord.Colour.blurple())
    embed.add_field(name="Questions", value=str(stats.questions))
    embed.add_field(name="Abstained", value=f"{stats.abstention_rate:.0%}")
    embed.add_field(name="Latency p50 / p95", value=f"{stats.latency_p50_ms:.0f} / {stats.latency_p95_ms:.0f} ms")
    embed.add_field(name="Feedback", value=f"👍 {stats.feedback['up']} · 👎 {stats.feedback['down']}")
    for name, rows in (("Top questions", stats.top_questions), ("Gaps: unanswered or voted down", stats.gaps)):
        text = "\n".join(f"{r['count']}× {r['question'][:150]}" for r in rows) or "none"
        embed.add_field(name=name, value=text[:1024], inline=False)
    if stats.unwritten:
        embed.set_footer(text=f"{stats.unwritten} log rows or votes could not be written since the bot started; see its log")
    return embed


class Admin(commands.Cog):
    def __init__(self, bot: ForumBot):
        self.bot = bot

    async def _deny(self, interaction: discord.Interaction) -> bool:
        if is_admin(interaction, self.bot.settings.admin_user_ids):
            return False
        await interaction.response.send_message("Sorry, only server managers can do that.", ephemeral=True)
        return True

    @app_commands.command(name="reindex", description="Rebuild the index from the corpus (admins).")
    async def reindex(self, interaction: discord.Interaction) -> None:
        if await self._deny(interaction):
            return
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

        try:
            report = await asyncio.to_thread(self.bot.engine.rebuild, False, on_total, on_progress)
        except ForumbotError as exc:
            await interaction.edit_original_response(content=f"Rebuild failed: {exc}. Still serving index {old}.")
            return
        await interaction.edit_original_response(
            content=f"Index {report.index_version} is live: {report.documents} documents, {report.passages} passages "
                    f"({report.embedded} embedded, {report.passages - report.embedded} reused) in {report.seconds:.1f} s.")

    @app_commands.command(name="reload", description="Load the index the CLI built (admins).")
    async def reload(self, interaction: discord.Interaction) -> None:
        if await self._deny(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        old = self.bot.engine.version
        try:
            version = await self.bot.reload_index()
        except ForumbotError as exc:
            await interaction.followup.send(f"Reload failed: {exc}. Still serving index {old}.", ephemeral=True)
            return
        await interaction.followup.send(f"Now serving index {version} (was {old}).", ephemeral=True)

    @app_commands.command(name="stats", description="Questions, abstentions, latency and gaps (admins).")
    @app_commands.describe(days="How many days back (default 7)")
    async def stats(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = 7) -> None:
        if await self._deny(interaction):
            return
        stats = await asyncio.to_thread(self.bot.question_log.stats, days)
        await interaction.response.send_message(embed=stats_embed(stats), ephemeral=True)
