"""The bot: settings, the shared engine, the question log, and one error handler for everything."""
from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord.ext import commands, tasks

from bot.questionlog import open_log
from bot.settings import Settings, get_settings

log = logging.getLogger("forumbot")
T = TypeVar("T")
SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
REMEMBERED_ANSWERS = 2000  # answer message id -> question, for follow-ups


class ForumBotMixin:
    """Shared by the plain and the auto-sharded bot."""

    def __init__(self, settings: Settings, engine, **kwargs):
        super().__init__(command_prefix=commands.when_mentioned, intents=discord.Intents.default(),
                         allowed_mentions=discord.AllowedMentions.none(), help_command=None, **kwargs)
        self.settings, self.engine = settings, engine
        self.question_log = open_log(settings)
        self.model_slots = asyncio.Semaphore(settings.max_concurrency)
        self.asked: OrderedDict[int, str] = OrderedDict()
        self.signal_reloads: set[asyncio.Task] = set()  # referenced until done, so none is collected mid-run
        self.tree.on_error = self._on_app_command_error

    async def setup_hook(self) -> None:
        from bot.discord_app.admin import Admin
        from bot.discord_app.ask import Ask

        await self.add_cog(Ask(self))
        await self.add_cog(Admin(self))
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._reload_on_signal)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
            pass
        if not self.prune_log.is_running():
            self.prune_log.start()
        if self.settings.sync_on_start:
            await self.sync_commands(self.settings.sync_guild_id)

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: the Ask cog's listener handles every message."""

    # -- model work, off the event loop ---------------------------------------------------
    async def run_model(self, fn: Callable[..., T], *args: Any) -> T:
        """Run engine work in a thread, at most `max_concurrency` at once, so the heartbeat never waits."""
        async with self.model_slots:
            return await asyncio.to_thread(fn, *args)

    async def reload_index(self) -> str:
        """Load the index on disk (built by the CLI); on failure the current one keeps serving."""
        try:
            version = await self.run_model(self.engine.reload)
        except Exception as exc:  # noqa: BLE001 - reported, and the old index stays
            log.error("reload failed, still serving index %s: %s", self.engine.version, exc)
            raise
        log.info("now serving index %s", version)
        return version

    def _reload_on_signal(self) -> None:
        """kill -HUP: reload in a task that is kept, and whose failure (already logged) is marked handled."""
        task = asyncio.ensure_future(self.reload_index())
        self.signal_reloads.add(task)
        task.add_done_callback(self._signal_reload_done)

    def _signal_reload_done(self, task: asyncio.Task) -> None:
        self.signal_reloads.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: reload_index logged it, and the old index keeps serving

    def remember(self, message_id: int, question: str) -> None:
        self.asked[message_id] = question
        if len(self.asked) > REMEMBERED_ANSWERS:
            self.asked.popitem(last=False)

    async def sync_commands(self, guild_id: int | None = None) -> int:
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild:
            self.tree.copy_global_to(guild=guild)
        return len(await self.tree.sync(guild=guild))

    @tasks.loop(hours=24)
    async def prune_log(self) -> None:
        removed = await asyncio.to_thread(self.question_log.prune, self.settings.log_retention_days)
        if removed:
            log.info("pruned %d question log rows older than %d days", removed, self.settings.log_retention_days)

    # -- the one error handler -----------------------------------------------------------------
    async def report_error(self, error: BaseException, *, message: discord.Message | None = None,
                           interaction: discord.Interaction | None = None) -> None:
        """Log the traceback, tell the user briefly, never let the bot stop."""
        error = getattr(error, "original", error)
        log.error("unhandled error", exc_info=(type(error), error, error.__traceback__))
        try:
            if interaction is not None:
                if interaction.response.is_done():
                    await interaction.followup.send(SOMETHING_WENT_WRONG, ephemeral=True)
                else:
                    await interaction.response.send_message(SOMETHING_WENT_WRONG, ephemeral=True)
            elif message is not None:
                await message.reply(SOMETHING_WENT_WRONG)
        except discord.HTTPException:
            log.warning("could not tell the user about the error")

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        error = sys.exc_info()[1]
        message = args[0] if args and isinstance(args[0], discord.Message) else None
        await self.report_error(error, message=message)

    async def _on_app_command_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await self.report_error(error, interaction=interaction)

    async def close(self) -> None:
        self.prune_log.cancel()
        await super().close()
        self.question_log.close()


class ForumBot(ForumBotMixin, commands.Bot):
    pass


class ShardedForumBot(ForumBotMixin, commands.AutoShardedBot):
    pass


def create_bot(settings: Settings | None = None, engine=None) -> commands.Bot:
    """The bot, not yet connected. With no arguments: default settings and the index on disk."""
    settings = settings or get_settings()
    if engine is None:
        from bot.engine import Engine

        engine = Engine.load(settings)
    if settings.shard_count:
        return ShardedForumBot(settings, engine, shard_count=settings.shard_count, shard_ids=settings.shard_ids)
    return ForumBot(settings, engine)
