"""Answers and notices as Discord messages, always within Discord's limits (so never an HTTP 400)."""
from __future__ import annotations

import discord

from bot.answer import Answer, Kind

# Discord's limits (the footer's 2048 and the total's 6000 are kept by our own lower caps below).
TITLE, DESCRIPTION, FIELD_VALUE = 256, 4096, 1024
# Our own, lower caps: a short answer reads better, and the total stays far below 6000.
ANSWER_CHARS, FOOTER_CHARS = 1500, 200
SOURCE_QUOTE_CHARS = 150  # a source line points at the passage; "Show ¶n" shows all of it
COLOURS = {Kind.ANSWERED: discord.Colour.blurple(), Kind.ABSTAINED: discord.Colour.light_grey(),
           Kind.HELP: discord.Colour.green(), Kind.LANGUAGE: discord.Colour.light_grey()}


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"


def footer_text(answer: Answer) -> str:
    titles = sorted({c.title for c in answer.citations})
    return shorten(f"{' · '.join(titles) + ' · ' if titles else ''}index {answer.index_version}", FOOTER_CHARS)


def citation_lines(answer: Answer) -> str:
    """One line per citation, `[1] ¶5 — "quote…"`, quotes shortened so the field fits."""
    if not answer.citations:
        return ""
    budget = min(SOURCE_QUOTE_CHARS, FIELD_VALUE // len(answer.citations) - 40)
    several_documents = len({c.doc for c in answer.citations}) > 1
    lines = []
    for c in answer.citations:
        doc = f"{c.doc} " if several_documents else ""
        lines.append(f"[{c.n}] {doc}¶{c.paragraph} — \u201c{shorten(c.quote, budget)}\u201d")
    return shorten("\n".join(lines), FIELD_VALUE)


def answer_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=shorten(answer.question or "forumbot", TITLE),
                          description=shorten(answer.answer, ANSWER_CHARS), colour=COLOURS[answer.kind])
    if answer.citations:
        embed.add_field(name="Sources", value=citation_lines(answer), inline=False)
    embed.set_footer(text=footer_text(answer))
    return embed


def paragraph_embed(title: str, doc: str, number: int, text: str, version: str) -> discord.Embed:
    embed = discord.Embed(title=shorten(f"¶{number} · {title}", TITLE), description=shorten(text, DESCRIPTION),
                          colour=discord.Colour.blurple())
    embed.set_footer(text=shorten(f"{doc} · index {version}", FOOTER_CHARS))
    return embed


def about_embed(documents: dict, paragraphs: int, version: str, examples: list[str]) -> discord.Embed:
    embed = discord.Embed(title="About forumbot", colour=discord.Colour.green(), description=shorten(
        "I answer questions about the 2020 Zhongguancun Forum's Industrial Internet Forum, quoting the "
        "paragraphs I use so you can check them. When the article doesn't say, I say so.", DESCRIPTION))
    docs = "\n".join(f"• {shorten(d.title, 150)} ({len(d.paragraphs)} ¶)" for d in list(documents.values())[:10])
    embed.add_field(name=f"Knowledge: {len(documents)} document(s), {paragraphs} paragraphs", value=shorten(docs, FIELD_VALUE), inline=False)
    embed.add_field(name="How to ask", value="Mention me, DM me, use `/ask`, or reply to one of my answers to follow up.\n"
                    + "\n".join(f"• {e}" for e in examples), inline=False)
    embed.set_footer(text=f"index {version}")
    return embed
