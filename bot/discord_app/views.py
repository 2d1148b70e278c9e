"""Buttons that survive restarts: every click carries what it needs in its custom_id (a DynamicItem),
so a button sent an hour or a restart ago still works. Registered with `add_dynamic_items`."""
from __future__ import annotations

import functools
import hashlib
import re
from typing import TYPE_CHECKING, cast

import discord

from bot.answer import Answer, Kind
from bot.discord_app.embeds import paragraph_embed, shorten, used_citations
from bot.discord_app.limits import BUTTON_LABEL

if TYPE_CHECKING:
    from bot.discord_app.ask import Ask
    from bot.discord_app.client import ForumBot

DOC_KEY_CHARS = 40  # a longer (or odd) document id travels as a short hash; custom_ids hold at most 100
_PLAIN_DOC = re.compile(r"[\w./-]{1,%d}" % DOC_KEY_CHARS, re.ASCII)
LABEL_CHARS = BUTTON_LABEL
EXAMPLE_BUTTONS = 3  # example questions offered at once: one row, room left for 👍/👎 or the gap flag
REASON_CHARS = 200
VOTES = {"up": 1, "down": -1, "gap": -1}  # "gap": an abstention that should have been answered


def doc_key(doc: str) -> str:
    return doc if _PLAIN_DOC.fullmatch(doc) else "#" + hashlib.sha256(doc.encode()).hexdigest()[:12]


def doc_from_key(key: str, docs) -> str | None:
    if not key.startswith("#"):
        return key if key in docs else None
    return next((d for d in docs if doc_key(d) == key), None)


def forum_bot(interaction: discord.Interaction) -> ForumBot:
    """The bot behind a component's interaction (discord.py types it as a plain Client)."""
    return cast("ForumBot", interaction.client)


def reported(callback):
    """discord.py only logs an exception from a dynamic item: send it to the bot's one error handler."""
    @functools.wraps(callback)
    async def wrapper(self, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as error:  # reported to the user and logged with its traceback
            await forum_bot(interaction).report_error(error, interaction=interaction)
    return wrapper


class ShowParagraph(discord.ui.DynamicItem[discord.ui.Button], template=r"fb:p:(?P<doc>[\w./#-]+):(?P<n>\d{1,6})"):
    """The whole cited paragraph, only to whoever asks for it, linked to its source when known."""

    def __init__(self, doc: str, paragraph: int):
        super().__init__(discord.ui.Button(label=f"Show ¶{paragraph}", style=discord.ButtonStyle.secondary,
                                           custom_id=f"fb:p:{doc_key(doc)}:{paragraph}"))
        self.doc, self.paragraph = doc, paragraph

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> ShowParagraph:
        docs = forum_bot(interaction).engine.store.documents
        return cls(doc_from_key(match["doc"], docs) or match["doc"], int(match["n"]))

    @reported
    async def callback(self, interaction: discord.Interaction) -> None:
        store = forum_bot(interaction).engine.store
        doc = store.documents.get(self.doc)
        if doc is None or not 1 <= self.paragraph <= len(doc.paragraphs):
            await interaction.response.send_message("That paragraph is no longer in the index.", ephemeral=True)
            return
        await interaction.response.send_message(embed=paragraph_embed(
            doc.title, doc.id, self.paragraph, doc.paragraphs[self.paragraph - 1], doc.source), ephemeral=True)


class Vote(discord.ui.DynamicItem[discord.ui.Button], template=r"fb:v:(?P<row>\d+):(?P<kind>up|down|gap)"):
    """One vote per user per answer, changeable. The reply shows the voter's own choice selected."""

    def __init__(self, row: int, kind: str, selected: bool = False):
        style = discord.ButtonStyle.secondary
        if selected:
            style = discord.ButtonStyle.success if kind == "up" else discord.ButtonStyle.danger
        label = {"up": None, "down": None, "gap": "This should have been answered"}[kind]
        emoji = {"up": "👍", "down": "👎", "gap": None}[kind]
        super().__init__(discord.ui.Button(label=label, emoji=emoji, style=style, custom_id=f"fb:v:{row}:{kind}"))
        self.row_id, self.kind = row, kind

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> Vote:
        return cls(int(match["row"]), match["kind"])

    @reported
    async def callback(self, interaction: discord.Interaction) -> None:
        forum_bot(interaction).question_log.vote(self.row_id, interaction.user.id, VOTES[self.kind])  # queued: never waits
        if self.kind == "down":
            await interaction.response.send_modal(ReasonModal(self.row_id))
        elif interaction.message is not None and interaction.message.flags.ephemeral:
            await interaction.response.edit_message(view=vote_view(self.row_id, self.kind))
        else:
            await interaction.response.send_message(thanks(self.kind), view=vote_view(self.row_id, self.kind),
                                                    ephemeral=True)


def thanks(kind: str) -> str:
    if kind == "gap":
        return "Thanks: this question goes on the list of gaps to fill."
    return f"Thanks for the feedback! You voted {'👍' if kind == 'up' else '👎'}; press the other to change it."


def vote_view(row: int, selected: str) -> discord.ui.View:
    """The voter's own copy of the buttons, their choice selected."""
    view = discord.ui.View(timeout=None)
    kinds = ("gap",) if selected == "gap" else ("up", "down")
    for kind in kinds:
        view.add_item(Vote(row, kind, selected=kind == selected))
    return view


class ReasonModal(discord.ui.Modal, title="What was wrong with the answer?"):
    reason: discord.ui.TextInput = discord.ui.TextInput(label="Reason (optional)", required=False, max_length=REASON_CHARS,
                                  placeholder="e.g. it quoted the wrong speaker")

    def __init__(self, row: int):
        super().__init__(custom_id=f"fb:reason:{row}")
        self.row_id = row

    async def on_submit(self, interaction: discord.Interaction) -> None:
        reason = " ".join(self.reason.value.split()) or None
        forum_bot(interaction).question_log.vote(self.row_id, interaction.user.id, -1, reason)  # queued: never waits
        await interaction.response.send_message(thanks("down"), view=vote_view(self.row_id, "down"), ephemeral=True)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await forum_bot(interaction).report_error(error, interaction=interaction)


class AskExample(discord.ui.DynamicItem[discord.ui.Button], template=r"fb:ex:(?P<i>\d{1,2})"):
    """An example question as a button: pressing it asks it."""

    def __init__(self, index: int, question: str):
        super().__init__(discord.ui.Button(label=shorten(question, LABEL_CHARS), style=discord.ButtonStyle.primary,
                                           custom_id=f"fb:ex:{index}"))
        self.index = index

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> AskExample:
        index = int(match["i"])
        examples = forum_bot(interaction).engine.examples
        return cls(index, examples[index] if index < len(examples) else "")

    @reported
    async def callback(self, interaction: discord.Interaction) -> None:
        examples = forum_bot(interaction).engine.examples
        if self.index >= len(examples):
            await interaction.response.send_message("That example is gone; try `/help`.", ephemeral=True)
            return
        ask = cast("Ask", forum_bot(interaction).get_cog("Ask"))
        await ask.answer_interaction(interaction, examples[self.index])


DYNAMIC_ITEMS = (ShowParagraph, Vote, AskExample)


def example_buttons(view: discord.ui.View, examples: list[str]) -> discord.ui.View:
    for index, question in enumerate(examples[:EXAMPLE_BUTTONS]):
        view.add_item(AskExample(index, question))
    return view


def answer_view(answer: Answer, row: int, examples: list[str]) -> discord.ui.View:
    """Show ¶n for each paragraph the answer uses (as its sources list) and 👍/👎; on an abstention,
    example questions and a 'should have been answered' flag instead."""
    view = discord.ui.View(timeout=None)
    shown = set()
    for citation in used_citations(answer):
        if (citation.doc, citation.paragraph) not in shown:
            shown.add((citation.doc, citation.paragraph))
            view.add_item(ShowParagraph(citation.doc, citation.paragraph))
    if not answer.abstained:
        view.add_item(Vote(row, "up"))
        view.add_item(Vote(row, "down"))
        return view
    example_buttons(view, examples)
    if answer.kind is not Kind.HELP:
        view.add_item(Vote(row, "gap"))
    return view
