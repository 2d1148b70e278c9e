"""A real discord.py bot around the shared engine, driven by dpytest (messages) and mocks (interactions)."""
from __future__ import annotations

import asyncio
from unittest.mock import AsyncMock, MagicMock, patch

import discord
import discord.ext.test as dpytest
import pytest
import pytest_asyncio
from discord import app_commands

from bot import create_bot
from bot.discord_app.views import DYNAMIC_ITEMS


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
    # dpytest refuses sharded clients by an isinstance guard only; the bot runs one shard under test.
    with patch.object(discord, "AutoShardedClient", type("NotSharded", (), {})):
        dpytest.configure(bot, members=3)
    bot.allowed_mentions = allowed_mentions  # dpytest's fake state starts without the client's setting
    bot._connection.loop = asyncio.get_running_loop()  # ... and without a loop, which the typing indicator uses
    bot.add_dynamic_items(*DYNAMIC_ITEMS)  # ... and with a view store of its own
    return bot


async def stopped(bot):
    await dpytest.empty_queue()
    bot.prune_log.cancel()
    bot.question_log.close()
    bot.servers.close()


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


def interaction(user_id: int = 1, manage_guild: bool = False, guild_id: int | None = 555, client=None) -> MagicMock:
    """A mocked slash-command or button interaction: dpytest has no interaction support."""
    inter = MagicMock(spec=discord.Interaction)
    inter.client = client
    inter.command_failed = False
    inter.user = MagicMock(spec=discord.Member)
    inter.user.id = user_id
    inter.user.guild_permissions = discord.Permissions(manage_guild=manage_guild)
    inter.guild_id, inter.channel_id = guild_id, 777
    inter.response = MagicMock()
    inter.response.is_done = MagicMock(return_value=False)
    for name in ("send_message", "defer", "edit_message", "send_modal"):
        setattr(inter.response, name, AsyncMock())
    inter.followup = MagicMock()
    inter.followup.send = AsyncMock(return_value=MagicMock(spec=discord.WebhookMessage, id=987654321))
    inter.edit_original_response = AsyncMock()
    return inter


def assert_within_discord_limits(embed: discord.Embed) -> None:
    assert len(embed) <= 6000 and len(embed.fields) <= 25
    assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
    assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in embed.fields)
    assert len(embed.footer.text or "") <= 2048


OPTION_TYPES = {str: 3, int: 4, bool: 5}


async def run_command(bot, inter, name: str, **options) -> None:
    """A slash command as Discord delivers it, through discord.py's own dispatch (CommandTree._call):
    cog checks, option transforms and the tree's error handler run as in production."""
    inter.type = discord.InteractionType.application_command
    inter.data = {"type": 1, "name": name, "options": [
        {"name": key, "type": OPTION_TYPES[type(value)], "value": value} for key, value in options.items()]}
    await bot.tree._call(inter)


async def run_with_namespace(bot, inter, name: str, **values) -> None:
    """For options dpytest cannot resolve from ids (channels): Command._invoke_with_namespace, then the
    tree's error handler, as CommandTree._call does."""
    command = bot.tree.get_command(name)
    namespace = app_commands.Namespace(inter, {}, [])
    namespace.__dict__.update(values)
    try:
        await command._invoke_with_namespace(inter, namespace)
    except app_commands.AppCommandError as error:
        await bot.tree.on_error(inter, error)


def bot_message(bot, view: discord.ui.View | None = None, *, ephemeral: bool = False, message_id: int = 4321,
                embeds: list[discord.Embed] = ()) -> discord.Message:
    """A message the bot sent earlier, as the gateway delivers it back inside a button click."""
    user = bot.user or discord.Object(id=1)
    data = {"id": str(message_id), "channel_id": "777", "content": "", "tts": False, "pinned": False, "type": 0,
            "author": {"id": str(user.id), "username": "forumbot", "discriminator": "0", "avatar": None, "bot": True},
            "timestamp": "2020-09-18T00:00:00+00:00", "edited_timestamp": None, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "attachments": [], "embeds": [e.to_dict() for e in embeds],
            "components": view.to_components() if view else [], "flags": 64 if ephemeral else 0}
    return discord.Message(state=bot._connection, channel=MagicMock(spec=discord.TextChannel, id=777), data=data)


async def click(bot, message: discord.Message, custom_id: str, user_id: int = 1) -> MagicMock:
    """A button press as discord.py dispatches it: the view store matches the custom_id against the
    registered DynamicItem templates and runs from_custom_id, then the callback."""
    inter = interaction(user_id=user_id, client=bot)
    inter.type = discord.InteractionType.component
    inter.message = message
    inter.data = {"custom_id": custom_id, "component_type": 2}
    store = bot._connection._view_store
    store.dispatch_view(2, custom_id, inter)
    await asyncio.gather(*store._ViewStore__tasks)  # the tasks discord.py scheduled for this click
    return inter


def custom_ids(view: discord.ui.View) -> list[str]:
    return [item.custom_id for item in view.children]
