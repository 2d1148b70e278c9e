"""Ways to ask: @mention, DM, reply or thread follow-up, /ask; plus /source and /about."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.embeds import about_embed, paragraph_embed
from bot.discord_app.questions import UserCooldown, question_from_message
from bot.discord_app.views import AnswerView

if TYPE_CHECKING:
    from bot.discord_app.client import ForumBot


@dataclass
class Reply:
    """An answer to send (embed + buttons) and the question to remember for follow-ups."""

    embed: discord.Embed
    view: discord.ui.View
    question: str

    def send_kwargs(self) -> dict:
        return {"embed": self.embed, "view": self.view}


class Ask(commands.Cog):
    def __init__(self, bot: ForumBot):
        self.bot = bot
        self.cooldown = UserCooldown(bot.settings.cooldown_rate, bot.settings.cooldown_seconds)

    # -- shared by every way of asking -----------------------------------------------------------
    def check_limits(self, question: str, user_id: int) -> str | None:
        """A polite notice when the question is too long or the user asks too fast, else None."""
        limit = self.bot.settings.max_question_chars
        if len(question) > limit:
            return f"That question is {len(question):,} characters long; please keep it under {limit:,}."
        wait = self.cooldown.retry_after(user_id)
        if wait:
            return f"You're asking quickly! Please wait {wait:.0f} s before your next question."
        return None

    async def respond(self, question: str, context: str | None, user: discord.abc.User,
                      guild_id: int | None, channel_id: int | None) -> Reply:
        answer = await self.bot.run_model(self.bot.engine.ask, question, [context] if context else [])
        log_id = self.bot.question_log.record(answer, user.id, guild_id, channel_id)  # queued: never waits, never fails
        effective = f"{context} {question}" if context else question
        return Reply(embed=answer.to_embed(), view=AnswerView(self.bot, answer, log_id), question=effective)

    async def earlier_question(self, message: discord.Message) -> str | None:
        """The question behind the answer this message replies to, or whose thread it is in."""
        earlier: discord.Message | None = None
        try:
            if message.reference and message.reference.message_id:
                resolved = message.reference.resolved
                earlier = resolved if isinstance(resolved, discord.Message) else \
                    await message.channel.fetch_message(message.reference.message_id)
            elif isinstance(message.channel, discord.Thread) and message.channel.parent is not None:
                if message.channel.id in self.bot.asked:
                    return self.bot.asked[message.channel.id]
                earlier = await message.channel.parent.fetch_message(message.channel.id)
        except (discord.NotFound, discord.Forbidden, discord.HTTPException):
            return None
        if earlier is None or self.bot.user is None or earlier.author.id != self.bot.user.id:
            return None
        return self.bot.asked.get(earlier.id) or (earlier.embeds[0].title if earlier.embeds else None)

    # -- messages ------------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        addressed = message.guild is None or self.bot.user in message.mentions
        question = question_from_message(message.content, self.bot.user.id)
        if not (addressed or question):
            return  # Discord withholds the text of other messages (no message-content intent): not for us
        context = await self.earlier_question(message)  # may fetch a message: only once the text is there
        if not (addressed or context):
            return
        notice = self.check_limits(question, message.author.id)
        if notice:
            await message.reply(notice)
            return
        reply = await self.respond(question, context, message.author,
                                   message.guild.id if message.guild else None, message.channel.id)
        sent = await message.reply(**reply.send_kwargs())
        self.bot.remember(sent.id, reply.question)

    # -- slash commands ---------------------------------------------------------------------------
    @app_commands.command(name="ask", description="Ask a question about the 2020 Zhongguancun Forum article.")
    @app_commands.describe(question="Your question, in English")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        question = question_from_message(question, None)
        notice = self.check_limits(question, interaction.user.id)
        if notice:
            await interaction.response.send_message(notice, ephemeral=True)
            return
        await interaction.response.defer(thinking=True)
        reply = await self.respond(question, None, interaction.user, interaction.guild_id, interaction.channel_id)
        sent = await interaction.followup.send(**reply.send_kwargs(), wait=True)
        self.bot.remember(sent.id, reply.question)

    @app_commands.command(name="source", description="Show a whole paragraph of the article.")
    @app_commands.describe(paragraph="Paragraph number (¶)", document="Document id, when there are several")
    async def source(self, interaction: discord.Interaction, paragraph: int, document: str | None = None) -> None:
        store = self.bot.engine.store
        docs = store.documents
        if document is None and len(docs) > 1:
            await interaction.response.send_message(
                f"There are {len(docs)} documents; name one: " + ", ".join(sorted(docs)[:20]), ephemeral=True)
            return
        doc = docs.get(document) if document else next(iter(docs.values()))
        if doc is None:
            await interaction.response.send_message(f"No document called `{document[:100]}`.", ephemeral=True)
            return
        if not 1 <= paragraph <= len(doc.paragraphs):
            await interaction.response.send_message(f"{doc.title} has paragraphs 1–{len(doc.paragraphs)}.", ephemeral=True)
            return
        await interaction.response.send_message(
            embed=paragraph_embed(doc.title, doc.id, paragraph, doc.paragraphs[paragraph - 1], store.version), ephemeral=True)

    @source.autocomplete("document")
    async def _document_names(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = [d for d in sorted(self.bot.engine.store.documents) if current.lower() in d.lower()]
        return [app_commands.Choice(name=d[:100], value=d[:100]) for d in names[:25]]

    @app_commands.command(name="about", description="What forumbot knows and how to ask it.")
    async def about(self, interaction: discord.Interaction) -> None:
        store = self.bot.engine.store
        await interaction.response.send_message(
            embed=about_embed(store.documents, store.manifest["counts"]["paragraphs"], store.version, self.bot.engine.examples),
            ephemeral=True)
