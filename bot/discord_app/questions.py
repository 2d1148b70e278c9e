"""Pure helpers: Discord text to plain questions, user text to safe embed text, limits, follow-up turns."""
from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

import discord
from discord.ext import commands

from bot.answer import MAX_HISTORY
from bot.engine import clean_question

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&\d+>")
_CHANNEL_MENTION = re.compile(r"<#\d+>")
_CUSTOM_EMOJI = re.compile(r"<a?:(\w+):\d+>")
_TIMESTAMP = re.compile(r"<t:-?\d+(?::[tTdDfFR])?>")
_SLASH_MENTION = re.compile(r"</([\w -]+):\d+>")
_EVERYONE = re.compile(r"@(everyone|here)\b")
_CODE_FENCE = re.compile(r"```(?:\w+\n)?")
_MARKUP = re.compile(r"(\|\||\*\*|__|~~|`|^>+ ?|^#{1,3} |^-# |(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))", re.M)

HISTORY_TURN_CHARS = 200  # each one cut to this


def _neutralise(text: str, bot_id: int | None) -> str:
    # "@someone", a word no question is about ("@user" made "user" a search term: "users" is a corpus word).
    text = _USER_MENTION.sub(lambda m: "" if bot_id and int(m.group(1)) == bot_id else "@someone", text)
    text = _ROLE_MENTION.sub("@someone", text)
    text = _CHANNEL_MENTION.sub("#channel", text)
    text = _EVERYONE.sub(r"\1", text)
    text = _TIMESTAMP.sub("", text)
    text = _SLASH_MENTION.sub(r"/\1", text)
    text = _CUSTOM_EMOJI.sub(r":\1:", text)
    text = _CODE_FENCE.sub(" ", text)
    return _MARKUP.sub("", text)


def question_from_message(content: str, bot_id: int | None) -> str:
    """Plain text of a message, for every way of asking.

    Normalised first (zero-width and control characters out, line by line so markdown lines survive),
    then mentions, timestamps, emoji and markdown reduced to words, repeated until nothing changes:
    removing one piece of markup must not assemble another (`<@&<t:1>1>`), nor may an invisible
    character hide one from the patterns (`@\u200beveryone`)."""
    text = "\n".join(clean_question(line) for line in content.splitlines())
    for _ in range(5):
        reduced = _neutralise(text, bot_id)
        if reduced == text:
            break
        text = reduced
    return " ".join(text.split())


def safe(text: str) -> str:
    """User text as it may appear in an embed: no live mentions, masked links or markdown."""
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def bounded_history(turns: Iterable[str]) -> tuple[str, ...]:
    """The last few earlier questions, oldest first, each cut: follow-up context never grows without bound."""
    return tuple(turn[:HISTORY_TURN_CHARS] for turn in list(turns)[-MAX_HISTORY:])


@dataclass(frozen=True)
class Verdict:
    notice: str | None = None  # None: ask away; else why not
    repeated: bool = False  # the user was already told so in this cooldown window


class AskLimits:
    """Question length, and one cooldown per user id shared by every way of asking (mention, DM, /ask,
    thread, context menu, example buttons). In a channel, a user over the limit is told once per window."""

    def __init__(self, max_chars: int, rate: int, per: float):
        self.max_chars = max_chars
        self.questions = commands.CooldownMapping.from_cooldown(rate, per, attrgetter("id"))
        self.notices = commands.CooldownMapping.from_cooldown(1, per, attrgetter("id"))

    def check(self, question: str, user: discord.abc.Snowflake, now: float | None = None) -> Verdict:
        if len(question) > self.max_chars:
            return Verdict(f"That question is {len(question):,} characters long; please keep it under {self.max_chars:,}.")
        now = now or time.time()
        wait = self.questions.update_rate_limit(user, now)
        if not wait:
            return Verdict()
        repeated = self.notices.update_rate_limit(user, now) is not None
        return Verdict(f"You're asking quickly! Please wait {wait:.0f} s before your next question.", repeated)
