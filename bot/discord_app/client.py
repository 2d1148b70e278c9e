"""The bot: settings, the shared engine, the question log, server settings, and one error handler for everything."""
from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.answer import Answer
from bot.discord_app.questions import AskLimits
from bot.discord_app.servers import ServerConfigs
from bot.discord_app.translations import ForumbotTranslator
from bot.discord_app.views import DYNAMIC_ITEMS
from bot.questionlog import open_log
from bot.settings import Settings, get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")
SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
ADMINS_ONLY = "Sorry, only server managers can do that."
REMEMBERED_TURNS = 2000  # answer message or thread id -> the questions so far, for follow-ups


def ask_engine(engine, question: str, history: Sequence[str]) -> Answer:
    """The shell's one call into the engine. `history` holds the earlier questions, oldest first."""
    return engine.ask(question, list(history))


def intents_for(settings: Settings) -> discord.Intents:
    """Default intents; message content only when the operator turned it on (it is privileged)."""
    intents = discord.Intents.default()
    intents.message_content = settings.message_content
    return intents


class ForumBot(commands.AutoShardedBot):
    """With one shard (the default below 2,500 servers) an AutoShardedBot behaves like a Bot."""

    def __init__(self, settings: Settings, engine):
        # A text-only bot: discord.py's warnings that voice needs PyNaCl and davey are noise in its output.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        # discord.py requires a command prefix; on_message below never runs prefix commands. shard_ids=None
        # (all shards) is discord.py's own default, though its annotation leaves None out.
        super().__init__(command_prefix=commands.when_mentioned, intents=intents_for(settings),
                         allowed_mentions=discord.AllowedMentions.none(), help_command=None,
                         shard_count=settings.shard_count, shard_ids=settings.shard_ids)  # type: ignore[arg-type]
        self.settings, self.engine = settings, engine
        self.question_log = open_log(settings)
        self.servers = ServerConfigs(settings.data_dir / "servers.sqlite3")
        self.limits = AskLimits(settings.max_question_chars, settings.cooldown_rate, settings.cooldown_seconds)
        self.model_slots = asyncio.Semaphore(settings.max_concurrency)
        self.turns: OrderedDict[int, tuple[str, ...]] = OrderedDict()
        self.signal_reloads: set[asyncio.Task] = set()  # referenced until done, so none is collected mid-run
        self.tree.error(self._on_app_command_error)

    async def setup_hook(self) -> None:
        from bot.discord_app.admin import Admin
        from bot.discord_app.ask import Ask

        await self.tree.set_translator(ForumbotTranslator())
        self.add_dynamic_items(*DYNAMIC_ITEMS)
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
        """Run engine work (questions, reloads, rebuilds) in a thread, at most `max_concurrency` at once,
        so the heartbeat never waits."""
        async with self.model_slots:
            return await asyncio.to_thread(fn, *args)

    async def reload_index(self) -> str:
        """Load the index on disk (built by the CLI); on failure the current one keeps serving."""
        return await self.run_model(self.engine.reload)  # the engine logs the swap, or the failure

    def _reload_on_signal(self) -> None:
        """kill -HUP: reload in a task that is kept, and whose failure (already logged) is marked handled."""
        task = asyncio.ensure_future(self.reload_index())
        self.signal_reloads.add(task)
        task.add_done_callback(self._signal_reload_done)

    def _signal_reload_done(self, task: asyncio.Task) -> None:
        self.signal_reloads.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: the engine logged it, and the old index keeps serving

    def link_for(self, doc: str) -> str | None:
        """The source URL a document's metadata names, if any (never invented)."""
        record = self.engine.store.documents.get(doc)
        return getattr(record, "source", "") or None

    def remember(self, key: int, turns: tuple[str, ...]) -> None:
        """The questions so far under an answer message or in a thread, for its follow-ups."""
        self.turns[key] = turns
        self.turns.move_to_end(key)
        if len(self.turns) > REMEMBERED_TURNS:
            self.turns.popitem(last=False)

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
        """Tell the user briefly; log the traceback of anything unexpected; never let the bot stop."""
        if isinstance(error, app_commands.CheckFailure):
            text = ADMINS_ONLY  # the only checks are the admin cog's
        else:
            error = getattr(error, "original", error)
            log.error("unhandled error", exc_info=(type(error), error, error.__traceback__))
            text = SOMETHING_WENT_WRONG
        try:
            if interaction is not None:
                if interaction.response.is_done():
                    await interaction.followup.send(text, ephemeral=True)
                else:
                    await interaction.response.send_message(text, ephemeral=True)
            elif message is not None:
                await message.reply(text)
        except discord.HTTPException:
            log.warning("could not tell the user about the error")

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        error = sys.exc_info()[1] or RuntimeError(f"unknown error in {event_method}")  # discord.py calls this inside `except`
        message = args[0] if args and isinstance(args[0], discord.Message) else None
        await self.report_error(error, message=message)

    async def _on_app_command_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await self.report_error(error, interaction=interaction)

    async def close(self) -> None:
        self.prune_log.cancel()
        await super().close()
        self.question_log.close()
        self.servers.close()


def create_bot(settings: Settings | None = None, engine=None) -> ForumBot:
    """The bot, not yet connected. With no arguments: default settings and the index on disk."""
    settings = settings or get_settings()
    if engine is None:
        from bot.engine import Engine

        engine = Engine.load(settings)
    return ForumBot(settings, engine)
