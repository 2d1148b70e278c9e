"""Pure helpers that turn Discord messages into plain questions, and limit how often users ask."""
from __future__ import annotations

import re
import time

from discord.ext import commands

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&\d+>")
_CHANNEL_MENTION = re.compile(r"<#\d+>")
_CUSTOM_EMOJI = re.compile(r"<a?:(\w+):\d+>")
_TIMESTAMP = re.compile(r"<t:-?\d+(?::[tTdDfFR])?>")
_SLASH_MENTION = re.compile(r"</([\w -]+):\d+>")
_EVERYONE = re.compile(r"@(everyone|here)\b")
_CODE_FENCE = re.compile(r"```(?:\w+\n)?")
_MARKUP = re.compile(r"(\|\||\*\*|__|~~|`|^>+ ?|^#{1,3} |^-# )", re.M)


def question_from_message(content: str, bot_id: int | None) -> str:
    """Plain text of a message: the bot's own mention removed; other mentions, timestamps, emoji and
    markdown reduced to words, so hostile markup neither reaches retrieval nor echoes back as a ping."""
    text = _USER_MENTION.sub(lambda m: "" if bot_id and int(m.group(1)) == bot_id else "@user", content)
    text = _ROLE_MENTION.sub("@role", text)
    text = _CHANNEL_MENTION.sub("#channel", text)
    text = _EVERYONE.sub(r"\1", text)
    text = _TIMESTAMP.sub("", text)
    text = _SLASH_MENTION.sub(r"/\1", text)
    text = _CUSTOM_EMOJI.sub(r":\1:", text)
    text = _CODE_FENCE.sub(" ", text)
    text = _MARKUP.sub("", text)
    return " ".join(text.split())


class UserCooldown:
    """`rate` questions per `per` seconds for each user, whichever way they ask (mention, DM, /ask)."""

    def __init__(self, rate: int, per: float):
        self.rate, self.per = rate, per
        self._buckets: dict[int, commands.Cooldown] = {}

    def retry_after(self, user_id: int, now: float | None = None) -> float:
        """0 when the user may ask now (and counts this question), else the seconds to wait."""
        now = now or time.time()
        if len(self._buckets) > 10_000:  # forget users whose window has passed
            self._buckets = {u: b for u, b in self._buckets.items() if b.get_tokens(now) < b.rate}
        bucket = self._buckets.setdefault(user_id, commands.Cooldown(self.rate, self.per))
        return bucket.update_rate_limit(now) or 0.0
