"""Buttons under an answer: show a cited paragraph (ephemeral), and 👍 / 👎 feedback."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord

from bot.answer import Answer
from bot.discord_app.embeds import paragraph_embed

if TYPE_CHECKING:
    from bot.discord_app.client import ForumBot

VIEW_TIMEOUT = 3600.0


class ShowPassage(discord.ui.Button):
    def __init__(self, n: int, paragraph: int):
        super().__init__(label=f"Show ¶{paragraph}", style=discord.ButtonStyle.secondary, custom_id=None)
        self.n = n

    async def callback(self, interaction: discord.Interaction) -> None:
        view: AnswerView = self.view
        citation = view.answer.citations[self.n - 1]
        await interaction.response.send_message(
            embed=paragraph_embed(citation.title, citation.doc, citation.paragraph, citation.text, view.answer.index_version),
            ephemeral=True)


class Feedback(discord.ui.Button):
    def __init__(self, value: int):
        super().__init__(emoji="👍" if value > 0 else "👎", style=discord.ButtonStyle.secondary)
        self.value = value

    async def callback(self, interaction: discord.Interaction) -> None:
        view: AnswerView = self.view
        await asyncio.to_thread(view.bot.question_log.set_feedback, view.log_id, self.value)
        await interaction.response.send_message("Thanks for the feedback!", ephemeral=True)


class AnswerView(discord.ui.View):
    def __init__(self, bot: ForumBot, answer: Answer, log_id: int):
        super().__init__(timeout=VIEW_TIMEOUT)
        self.bot, self.answer, self.log_id = bot, answer, log_id
        for citation in answer.citations:
            self.add_item(ShowPassage(citation.n, citation.paragraph))
        if not answer.abstained:
            self.add_item(Feedback(+1))
            self.add_item(Feedback(-1))

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        await self.bot.report_error(error, interaction=interaction)
