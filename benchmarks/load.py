"""Load through the Discord layer: many users ask at once through the bot's message handler.

Every question must end one of three ways, exactly once: answered; told to wait by the cooldown (once
per user and window); or, after that notice, left quiet. A timer measures how late the event loop runs
(the gateway heartbeat lives on that loop). The driver is tests/discord_app/burst.py, which the tests assert on.
Run: python -m benchmarks.load   (writes benchmarks/out/load.json)
"""
from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from unittest.mock import MagicMock

import discord

from benchmarks.common import dev_questions, percentiles, save
from tests.discord_app.burst import run_load

async def burst(settings) -> dict:
    """One bot, one burst: the engine as `settings` configures it."""
    from bot import create_bot
    from bot.engine import Engine

    bot = create_bot(settings, Engine.load(settings))
    bot._connection.user = MagicMock(spec=discord.ClientUser, id=1)
    await bot._async_setup_hook()
    await bot.setup_hook()
    result = await run_load(bot, users=50, per_user=10, questions=dev_questions())
    result["time_to_reply"] = percentiles(result.pop("reply_seconds"))
    bot.prune_log.cancel()
    bot.question_log.close()
    bot.servers.close()
    return result


async def main() -> dict:
    """The burst as the bot answered it before the ONNX path (PyTorch, one question per model call), then as it does now."""
    from bot.settings import get_settings

    settings = get_settings().model_copy(update={"data_dir": Path(tempfile.mkdtemp())})
    before = await burst(settings.model_copy(update={"onnx": False, "data_dir": Path(tempfile.mkdtemp())}))
    result = await burst(settings)
    result.update(max_concurrency=settings.max_concurrency,
                  cooldown=f"{settings.cooldown_rate} per {settings.cooldown_seconds:.0f} s",
                  pytorch=before, p99_ratio=round(result["time_to_reply"]["p99_ms"] / before["time_to_reply"]["p99_ms"], 3),
                  target="every question answered, told to wait, or quiet after that notice, exactly once; "
                         "max loop lag < 100 ms; p99 <= 0.3x PyTorch")
    return save("load", result)


if __name__ == "__main__":
    import json

    print(json.dumps(asyncio.run(main()), indent=2))
