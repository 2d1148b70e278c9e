"""Many users asking at once through the bot's message handler: the driver the burst test asserts on and
`benchmarks/load.py` times. Every question must end one of three ways, exactly once: answered; told to wait
by the cooldown (once per user and window); or, after that notice, left quiet."""
from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from unittest.mock import MagicMock

import discord

LAG_TICK = 0.005  # seconds: how often the event loop's lateness is sampled (the gateway heartbeat lives on it)


def direct_message(user_id: int, content: str, replies: list) -> MagicMock:
    """A DM as discord.py delivers it (every DM is a question), whose reply is recorded."""
    message = MagicMock(spec=discord.Message)
    message.author = MagicMock(spec=discord.User, id=user_id, bot=False)
    message.guild, message.reference, message.mentions, message.content = None, None, [], content
    message.channel = MagicMock(spec=discord.DMChannel, id=10_000 + user_id)
    message.created = time.perf_counter()

    async def reply(content=None, **kwargs):
        replies.append((message, content, kwargs, time.perf_counter()))
        return SimpleNamespace(id=len(replies))  # the bot reads only the sent message's id

    message.reply = reply  # a plain coroutine: AsyncMock's bookkeeping would dominate the measured loop time
    message.channel.typing = Typing  # likewise: a spec'd MagicMock builds its child mocks (~2 ms) on the loop
    return message


class Typing:
    """What channel.typing() gives the handler: an async context manager (here one that tells nobody)."""

    async def __aenter__(self) -> Typing:
        return self

    async def __aexit__(self, *exc) -> None:
        return None


async def measure_lag(stop: asyncio.Event, lags: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(LAG_TICK)
        lags.append(time.perf_counter() - started - LAG_TICK)


async def run_load(bot, users: int, per_user: int, questions: list[str]) -> dict:
    """Send users × per_user messages at once through the Ask cog; return what happened to each."""
    cog = bot.get_cog("Ask")
    replies: list = []
    # Each text is unique (a user tag appended), so every answer really runs the model: no cache hits.
    messages = [direct_message(u + 1, f"{questions[(u * per_user + i) % len(questions)]} (from user {u + 1})", replies)
                for u in range(users) for i in range(per_user)]
    lags: list[float] = []
    stop = asyncio.Event()
    lag_task = asyncio.create_task(measure_lag(stop, lags))
    started = time.perf_counter()
    for m in messages:
        m.created = time.perf_counter()
    await asyncio.gather(*(cog.on_message(m) for m in messages))
    elapsed = time.perf_counter() - started
    stop.set()
    await lag_task
    per_message = {id(m): 0 for m in messages}
    answered = waited = 0
    told: set[int] = set()
    for message, content, kwargs, _ in replies:
        per_message[id(message)] += 1
        if "embed" in kwargs:
            answered += 1
        elif content and "Please wait" in content:
            waited += 1
            told.add(message.author.id)
    unanswered = [m for m in messages if per_message[id(m)] == 0]
    return {
        "questions": len(messages), "users": users, "answered": answered, "told_to_wait": waited,
        "quiet_after_notice": sum(1 for m in unanswered if m.author.id in told),
        "lost": sum(1 for m in unanswered if m.author.id not in told),
        "answered_twice": sum(1 for n in per_message.values() if n > 1),
        "reply_seconds": [at - m.created for m, _, _, at in replies],
        "max_loop_lag_ms": round(max(lags) * 1000, 2) if lags else 0.0,
        "seconds": round(elapsed, 2),
    }
