"""Answers and notices as Discord embeds: calm, linked where a source is known, always within Discord's limits."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import discord

from bot.answer import (RELATED_HEADING, SOURCE_QUOTE_CHARS, Answer, Citation, Kind, shorten, unquoted_related,
                        used_citations)
from bot.discord_app.limits import EMBED_DESCRIPTION as DESCRIPTION
from bot.discord_app.limits import EMBED_FIELD_VALUE as FIELD_VALUE
from bot.discord_app.limits import EMBED_TITLE as TITLE
from bot.discord_app.questions import safe
from bot.questionlog import gap_label

# Our own caps, below Discord's (bot/discord_app/limits.py): a short answer reads better, and the total stays far below 6000.
QUESTION_TITLE_CHARS = 100  # the question as a short title (escaping may double it: still under 256)
ANSWER_CHARS, FOOTER_CHARS = 1500, 200
COLOURS = {Kind.ANSWERED: discord.Colour.blurple(), Kind.ABSTAINED: discord.Colour.light_grey(),
           Kind.HELP: discord.Colour.green(), Kind.LANGUAGE: discord.Colour.light_grey()}
LISTED_TITLE_CHARS, LISTED_DOCUMENTS = 150, 10  # /about lists this many documents, each title cut to this
HOW_TO_ASK = ("Mention me with a question, DM me, use `/ask`, or right-click a message → *Apps* → *Ask forumbot*. "
              "Reply to one of my answers (or ask in its thread) to follow up.")

LinkFor = Callable[[str], str | None]  # document id -> its source URL, if its metadata names one


def web_url(url: str | None) -> str | None:
    """Only an http(s) URL becomes a link; anything else in a metadata header is ignored."""
    return url if url and url.startswith(("https://", "http://")) and " " not in url else None


def source_lines(answer: Answer, link_for: LinkFor) -> str:
    """`[1] ¶5 — "quote…"`, with ¶ linked to the document's source; the quote is left out when the
    answer already says it, so nothing is shown twice."""
    citations = used_citations(answer)
    several_documents = len({c.doc for c in answer.citations}) > 1
    lines = []
    for c in citations:
        url = web_url(link_for(c.doc))
        where = f"¶{c.paragraph}" if url is None else f"[¶{c.paragraph}]({url})"
        if several_documents:
            where = f"{safe(shorten(c.title, 60))} {where}"
        quote = "" if c.quote in answer.answer else f" — \u201c{safe(shorten(c.quote, SOURCE_QUOTE_CHARS))}\u201d"
        lines.append(f"[{c.n}] {where}{quote}")
    return shorten("\n".join(lines), FIELD_VALUE)


def related_lines(related: tuple[Citation, ...]) -> str:
    return shorten("\n".join(f"¶{c.paragraph} — \u201c{safe(shorten(c.quote, 2 * SOURCE_QUOTE_CHARS))}\u201d"
                             for c in related), FIELD_VALUE)


def answer_embed(answer: Answer, link_for: LinkFor) -> discord.Embed:
    """The question as a short title, the answer once, then numbered sources (only those used)."""
    embed = discord.Embed(title=safe(shorten(answer.question, QUESTION_TITLE_CHARS)) or "forumbot",
                          description=safe(shorten(answer.answer, ANSWER_CHARS)), colour=COLOURS[answer.kind])
    if answer.citations:
        embed.add_field(name="Sources", value=source_lines(answer, link_for), inline=False)
    related = unquoted_related(answer)
    if answer.abstained and related:
        embed.add_field(name=RELATED_HEADING, value=related_lines(related), inline=False)
    embed.set_footer(text=shorten(f"index {answer.index_version}", FOOTER_CHARS))
    return embed


def paragraph_embed(title: str, doc: str, number: int, text: str, url: str | None) -> discord.Embed:
    embed = discord.Embed(title=shorten(f"¶{number} · {title}", TITLE), description=shorten(text, DESCRIPTION),
                          colour=discord.Colour.blurple(), url=web_url(url))
    embed.set_footer(text=shorten(doc, FOOTER_CHARS))
    return embed


def about_text(documents: Mapping) -> str:
    """What the bot answers about, from the documents' titles: the corpus, not the code, says what it is."""
    titles = [f"“{safe(shorten(d.title, LISTED_TITLE_CHARS))}”" for d in documents.values()]
    topic = titles[0] if len(titles) == 1 else f"{len(titles)} documents, including {titles[0]}"
    return (f"I answer questions about {topic}, quoting the paragraphs I use so you can check them. "
            "When the documents don't say, I say so.")


def about_embed(documents: Mapping, paragraphs: int, version: str, settings_lines: list[str]) -> discord.Embed:
    embed = discord.Embed(title="About forumbot", colour=discord.Colour.green(), description=about_text(documents))
    listed = list(documents.values())[:LISTED_DOCUMENTS]
    docs = "\n".join(f"• {safe(shorten(d.title, LISTED_TITLE_CHARS))} ({len(d.paragraphs)} ¶)" for d in listed)
    embed.add_field(name=f"Knowledge: {len(documents)} document(s), {paragraphs} paragraphs",
                    value=shorten(docs, FIELD_VALUE), inline=False)
    embed.add_field(name="How to ask", value=HOW_TO_ASK, inline=False)
    if settings_lines:
        embed.add_field(name="In this server", value=shorten("\n".join(settings_lines), FIELD_VALUE), inline=False)
    embed.set_footer(text=f"index {version}")
    return embed


def help_embed(documents: Mapping, retention_days: int) -> discord.Embed:
    embed = discord.Embed(title="How to use forumbot", colour=discord.Colour.green(), description=about_text(documents))
    embed.add_field(name="How to ask", value=HOW_TO_ASK + "\nAsk in English; every answer cites the paragraph (¶) "
                    "it quotes, and **Show ¶n** shows the whole paragraph.", inline=False)
    embed.add_field(name="Privacy", value=(
        f"Each question is logged for {retention_days} days to improve the bot: its text, the server and channel, "
        "the answer's sources, and any 👍/👎 or reason you give. Your user id is never stored, only a salted hash of "
        "it; your name never."), inline=False)
    embed.add_field(name="Try one of these", value="Press a button below.", inline=False)
    return embed


def stats_embed(stats) -> discord.Embed:
    embed = discord.Embed(title=f"Questions, last {stats.days} days", colour=discord.Colour.blurple())
    embed.add_field(name="Questions", value=str(stats.questions))
    embed.add_field(name="Abstained", value=f"{stats.abstention_rate:.0%}")
    embed.add_field(name="Latency p50 / p95", value=f"{stats.latency_p50_ms:.0f} / {stats.latency_p95_ms:.0f} ms")
    embed.add_field(name="Feedback", value=f"👍 {stats.feedback['up']} · 👎 {stats.feedback['down']}")
    for name, rows in (("Top questions", stats.top_questions), ("Gaps: unanswered or voted down", stats.gaps)):
        text = "\n".join(f"{r['count']}× {safe(gap_label(r, 150))}" for r in rows) or "none"
        embed.add_field(name=name, value=shorten(text, FIELD_VALUE), inline=False)
    if stats.unwritten:
        embed.set_footer(text=f"{stats.unwritten} log rows or votes could not be written since the bot started; "
                              "see its log")
    return embed
