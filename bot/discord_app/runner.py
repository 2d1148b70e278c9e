"""Starting the bot from the CLI: check the token first, never print it, fail with one line."""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import discord

from bot.errors import ConfigError, NetworkError
from bot.settings import Settings

# A bot token's shape: three dot-separated base64url parts, the first and last 20 characters or more. Only
# the shape can be checked offline; whether Discord accepts the token is known when the bot connects.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")
TOKEN_SHAPE_HINT = ("a bot token is three dot-separated parts of letters, digits, - and _, about 70 characters in all; "
                    "only Discord can tell whether one is valid")
HOW_TO_SET = "set DISCORD_TOKEN in the environment or in .env (see .env.example and the README)"


def checked_token(settings: Settings) -> str:
    if settings.discord_token is None:
        raise ConfigError(f"DISCORD_TOKEN is not set; {HOW_TO_SET}")
    token = settings.discord_token.get_secret_value().strip()
    if not _TOKEN_SHAPE.match(token):
        raise ConfigError(f"DISCORD_TOKEN does not look like a bot token ({TOKEN_SHAPE_HINT}); {HOW_TO_SET}")
    return token


@contextmanager
def _one_line_failures() -> Iterator[None]:
    """What Discord refuses, or a network that does not reach it, as one line instead of a traceback."""
    try:
        yield
    except discord.LoginFailure:
        raise ConfigError(f"Discord rejected DISCORD_TOKEN; {HOW_TO_SET}") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError("Discord refused the intents; forumbot needs no privileged intents, "
                          "check the application settings") from None
    except (OSError, aiohttp.ClientError, discord.GatewayNotFound) as exc:  # ClientConnectorError is both
        raise NetworkError(f"cannot reach Discord ({exc}); check the network connection, proxy or firewall, "
                           "then try again") from None


def run_bot(settings: Settings, load_engine) -> None:
    from bot.discord_app.client import create_bot

    token = checked_token(settings)
    discord.utils.setup_logging(level=logging.INFO)
    bot = create_bot(settings, load_engine(settings))
    with _one_line_failures():
        bot.run(token, log_handler=None)


def sync_commands(settings: Settings, guild_id: int | None, load_engine) -> int:
    """Register the slash commands once (globally, or instantly in one server)."""
    from bot.discord_app.client import create_bot

    token = checked_token(settings)
    bot = create_bot(settings, load_engine(settings))

    async def sync() -> int:
        async with bot:
            await bot.login(token)
            await bot.setup_hook()
            return await bot.sync_commands(guild_id)

    with _one_line_failures():
        return asyncio.run(sync())
