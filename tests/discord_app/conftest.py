"""A real discord.py bot around the shared engine, driven by dpytest (messages) and mocks (interactions)."""
from __future__ import annotations

from unittest.mock import AsyncMock, MagicMock

import discord
import discord.ext.test as dpytest
import pytest
import pytest_asyncio

from bot import create_bot


async def started_bot(engine, data_dir):
    settings = engine.settings.model_copy(update={"data_dir": data_dir, "cooldown_rate": 5,
                                                  "cooldown_seconds": 30.0, "admin_user_ids": [4242]})
    bot = create_bot(settings, engine)
    # dpytest builds its guild from member events, which discord.py only caches with the members intent.
    # The harness turns it on for its fake gateway; the real bot keeps Intents.default() (tested apart).
    bot._connection._intents.members = True
    bot._connection.member_cache_flags = discord.MemberCacheFlags.from_intents(bot._connection._intents)
    await bot._async_setup_hook()
    await bot.setup_hook()
    allowed_mentions = bot.allowed_mentions
    dpytest.configure(bot, members=3)
    bot.allowed_mentions = allowed_mentions  # dpytest's fake state starts without the client's setting
    return bot


async def stopped(bot):
    await dpytest.empty_queue()
    bot.prune_log.cancel()
    bot.question_log.close()


@pytest_asyncio.fixture
async def bot(engine, tmp_path):
    """The bot around the shared engine: for tests that only ask."""
    bot = await started_bot(engine, tmp_path / "data")
    yield bot
    await stopped(bot)


@pytest_asyncio.fixture
async def private_bot(settings_for, embedder, tmp_path):
    """A bot with an engine and index of its own: for tests that rebuild, reload or delete the index."""
    from bot.engine import Engine

    engine = Engine(settings_for("private"), embedder)
    engine.rebuild()
    bot = await started_bot(engine, tmp_path / "data")
    yield bot
    await stopped(bot)


@pytest.fixture
def sends(monkeypatch) -> list[dict]:
    """The keyword arguments of every message the bot sends (dpytest drops the message reference)."""
    sent: list[dict] = []
    original = discord.abc.Messageable.send

    async def recording(self, content=None, **kwargs):
        sent.append(kwargs)
        return await original(self, content, **kwargs)

    monkeypatch.setattr(discord.abc.Messageable, "send", recording)
    return sent


def mention(bot, text: str) -> str:
    return f"<@{bot.user.id}> {text}"


def interaction(user_id: int = 1, manage_guild: bool = False, guild_id: int | None = 555) -> MagicMock:
    """A mocked slash-command or button interaction: dpytest has no interaction support."""
    inter = MagicMock(spec=discord.Interaction)
    inter.user = MagicMock(spec=discord.Member)
    inter.user.id = user_id
    inter.user.guild_permissions = discord.Permissions(manage_guild=manage_guild)
    inter.guild_id, inter.channel_id = guild_id, 777
    inter.response = MagicMock()
    inter.response.is_done = MagicMock(return_value=False)
    for name in ("send_message", "defer", "edit_message"):
        setattr(inter.response, name, AsyncMock())
    inter.followup = MagicMock()
    inter.followup.send = AsyncMock(return_value=MagicMock(id=987654321))
    inter.edit_original_response = AsyncMock()
    return inter


def assert_within_discord_limits(embed: discord.Embed) -> None:
    assert len(embed) <= 6000 and len(embed.fields) <= 25
    assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
    assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in embed.fields)
    assert len(embed.footer.text or "") <= 2048
