"""Ways to ask: @mention, DM, reply or thread follow-up, the ask channel, /ask, the "Ask forumbot"
context menu and example buttons; plus /source, /about and /help. All share one path: `answer`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord_app.client import ask_engine
from bot.discord_app.embeds import about_embed, answer_embed, help_embed, paragraph_embed, shorten
from bot.discord_app.limits import AUTOCOMPLETE_CHOICES, CHOICE_CHARS, THREAD_NAME
from bot.discord_app.questions import bounded_history, question_from_message
from bot.discord_app.servers import ServerConfig
from bot.discord_app.views import answer_view, example_buttons

if TYPE_CHECKING:
    from bot.discord_app.client import ForumBot

THREAD_NAME_CHARS = THREAD_NAME - 10  # room for Discord's own suffixes
THREAD_HINT_MENTION = ("Follow-ups go here. Mention me (@forumbot) in each one: without the message-content "
                       "intent, Discord only shows me the messages that mention me.")
THREAD_HINT = "Follow-ups go here: I answer every message in this thread, using the earlier questions as context."
LISTED_IDS = 20  # document ids /source lists when it needs one
NO_TEXT = "That message has no text I can read (only its embeds or attachments), so there is nothing to ask."


@dataclass
class Reply:
    """An answer to send (embed + buttons) and the questions so far, for its follow-ups."""

    embed: discord.Embed
    view: discord.ui.View
    turns: tuple[str, ...]

    def send_kwargs(self) -> dict:
        return {"embed": self.embed, "view": self.view}


def thread_name(question: str) -> str:
    return shorten(question, THREAD_NAME_CHARS) or "forumbot"


def parent_id(channel) -> int | None:
    return getattr(channel, "parent_id", None) if isinstance(channel, discord.Thread) else None


class Ask(commands.Cog):
    def __init__(self, bot: ForumBot):
        self.bot = bot
        self.ask_menu = app_commands.ContextMenu(name=_("Ask forumbot"), callback=self.ask_about_message)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.ask_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.ask_menu.name, type=self.ask_menu.type)

    # -- the one path every question takes -----------------------------------------------------
    async def answer(self, question: str, history: tuple[str, ...], user: discord.abc.User,
                     guild_id: int | None, channel_id: int | None) -> Reply:
        answer = await self.bot.run_model(ask_engine, self.bot.engine, question, history)
        row = self.bot.question_log.record(answer, user.id, guild_id, channel_id)  # queued: never waits, never fails
        return Reply(embed=answer_embed(answer, self.bot.link_for),
                     view=answer_view(answer, row, self.bot.engine.examples),
                     turns=bounded_history((*history, question)))

    def thread_hint(self) -> str:
        return THREAD_HINT if self.bot.settings.message_content else THREAD_HINT_MENTION

    async def earlier_turns(self, message: discord.Message) -> tuple[str, ...]:
        """The questions before this one: those under the answer it replies to, or in the thread it is in."""
        earlier: discord.Message | None = None
        key: int | None = None
        try:
            if message.reference and message.reference.message_id:
                key = message.reference.message_id
                if key in self.bot.turns:
                    return self.bot.turns[key]
                resolved = message.reference.resolved
                earlier = resolved if isinstance(resolved, discord.Message) else \
                    await message.channel.fetch_message(key)
            elif isinstance(message.channel, discord.Thread) and message.channel.parent is not None:
                key = message.channel.id
                if key in self.bot.turns:
                    return self.bot.turns[key]
                parent = message.channel.parent
                # A thread's id is its starter's, which lives in the parent channel, or in the thread for a forum post.
                home = parent if isinstance(parent, discord.TextChannel) else message.channel
                earlier = await home.fetch_message(key)
        except (discord.NotFound, discord.Forbidden, discord.HTTPException):
            return ()
        if earlier is None or self.bot.user is None:
            return ()
        if earlier.author.id == self.bot.user.id and earlier.embeds and earlier.embeds[0].title:
            # After a restart: the answer's title is the (escaped, maybe shortened) question.
            return bounded_history([question_from_message(earlier.embeds[0].title.replace("\\", ""), None)])
        if key == getattr(message.channel, "id", None) and self.bot.user in earlier.mentions:
            return bounded_history([question_from_message(earlier.content, self.bot.user.id)])  # a thread we opened
        return ()

    # -- messages ------------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        config = self.bot.servers.get(message.guild.id if message.guild else None)
        if message.guild and not config.answers_in(message.channel.id, parent_id(message.channel)):
            return
        in_ask_channel = bool(message.guild and self.bot.settings.message_content
                              and config.ask_channel == message.channel.id)
        addressed = message.guild is None or in_ask_channel or self.bot.user in message.mentions
        question = question_from_message(message.content, self.bot.user.id)
        if not (addressed or question):
            return  # Discord withholds the text of other messages (no message-content intent): not for us
        history = await self.earlier_turns(message)  # may fetch a message: only once the text is there
        if not (addressed or history):
            return
        verdict = self.bot.limits.check(question, message.author)
        if verdict.notice:
            if not verdict.repeated:
                await message.reply(verdict.notice)
            return
        async with message.channel.typing():
            reply = await self.answer(question, history, message.author,
                                      message.guild.id if message.guild else None, message.channel.id)
        if config.threads and isinstance(message.channel, discord.TextChannel) and not history:
            thread = await message.create_thread(name=thread_name(question))
            sent = await thread.send(self.thread_hint(), **reply.send_kwargs())
            self.bot.remember(thread.id, reply.turns)
        else:
            sent = await message.reply(**reply.send_kwargs())
            if isinstance(message.channel, discord.Thread):
                self.bot.remember(message.channel.id, reply.turns)
        self.bot.remember(sent.id, reply.turns)

    # -- interactions: /ask, the context menu, example buttons ------------------------------------
    def config_for(self, interaction: discord.Interaction) -> ServerConfig:
        return self.bot.servers.get(interaction.guild_id)

    async def answer_interaction(self, interaction: discord.Interaction, question: str) -> None:
        """Answer as the server's settings say: in allowed channels, public or only for the asker,
        opening a thread if asked to. Slow answers never time out: the reply is deferred first."""
        config = self.config_for(interaction)
        if interaction.guild_id and not config.answers_in(interaction.channel_id, parent_id(interaction.channel)):
            await interaction.response.send_message(
                "I don't answer in this channel here. " + config.describe()[0], ephemeral=True)
            return
        verdict = self.bot.limits.check(question, interaction.user)
        if verdict.notice:  # only the asker sees it, so it is never spam
            await interaction.response.send_message(verdict.notice, ephemeral=True)
            return
        private = not config.ask_public
        await interaction.response.defer(thinking=True, ephemeral=private)
        reply = await self.answer(question, (), interaction.user, interaction.guild_id, interaction.channel_id)
        sent = await interaction.followup.send(**reply.send_kwargs(), ephemeral=private, wait=True)
        self.bot.remember(sent.id, reply.turns)
        if config.threads and not private and isinstance(interaction.channel, discord.TextChannel):
            thread = await sent.create_thread(name=thread_name(question))
            await thread.send(self.thread_hint())
            self.bot.remember(thread.id, reply.turns)

    @app_commands.command(name=_("ask"), description=_("Ask a question about the documents forumbot knows."))
    @app_commands.rename(question=_("question"))
    @app_commands.describe(question=_("Your question, in English"))
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        await self.answer_interaction(interaction, question_from_message(question, None))

    async def ask_about_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Right-click a message → Apps → Ask forumbot. Discord sends the message's content with a message
        command even without the message-content intent."""
        question = question_from_message(message.content, self.bot.user.id if self.bot.user else None)
        if not question:
            await interaction.response.send_message(NO_TEXT, ephemeral=True)
            return
        await self.answer_interaction(interaction, question)

    # -- reading -----------------------------------------------------------------------------------
    @app_commands.command(name=_("source"), description=_("Show a whole paragraph of the article."))
    @app_commands.rename(paragraph=_("paragraph"), document=_("document"))
    @app_commands.describe(paragraph=_("Paragraph number (¶)"), document=_("Document id, when there are several"))
    async def source(self, interaction: discord.Interaction, paragraph: int, document: str | None = None) -> None:
        docs = self.bot.engine.store.documents
        if document is None and len(docs) > 1:
            await interaction.response.send_message(
                f"There are {len(docs)} documents; name one: " + ", ".join(sorted(docs)[:LISTED_IDS]), ephemeral=True)
            return
        doc = docs.get(document) if document else next(iter(docs.values()))
        if doc is None:
            await interaction.response.send_message(
                f"No document called `{discord.utils.escape_markdown((document or '')[:CHOICE_CHARS])}`.", ephemeral=True)
            return
        if not 1 <= paragraph <= len(doc.paragraphs):
            await interaction.response.send_message(f"{doc.title} has paragraphs 1–{len(doc.paragraphs)}.", ephemeral=True)
            return
        await interaction.response.send_message(embed=paragraph_embed(
            doc.title, doc.id, paragraph, doc.paragraphs[paragraph - 1], self.bot.link_for(doc.id)), ephemeral=True)

    @source.autocomplete("document")
    async def _document_names(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = [d for d in sorted(self.bot.engine.store.documents) if current.lower() in d.lower()]
        return [app_commands.Choice(name=d[:CHOICE_CHARS], value=d[:CHOICE_CHARS]) for d in names[:AUTOCOMPLETE_CHOICES]]

    @app_commands.command(name=_("about"), description=_("What forumbot knows, and this server's settings."))
    async def about(self, interaction: discord.Interaction) -> None:
        store = self.bot.engine.store
        settings = self.config_for(interaction).describe() if interaction.guild_id else []
        await interaction.response.send_message(embed=about_embed(
            store.documents, store.manifest["counts"]["paragraphs"], store.version, settings), ephemeral=True)

    @app_commands.command(name=_("help"), description=_("How to ask, what forumbot knows, and what it logs."))
    async def help(self, interaction: discord.Interaction) -> None:
        view = example_buttons(discord.ui.View(timeout=None), self.bot.engine.examples)
        embed = help_embed(self.bot.engine.store.documents, self.bot.settings.log_retention_days)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
