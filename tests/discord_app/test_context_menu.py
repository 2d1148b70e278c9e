"""Right-click a message → Apps → "Ask forumbot", through discord.py's ContextMenu dispatch.
Discord includes the target message's content in a message command's resolved data even without the
message-content intent, so another member's question can be asked without retyping it."""
from unittest.mock import MagicMock

import discord
from discord import app_commands

from bot.discord_app.ask import NO_TEXT
from tests.discord_app.conftest import interaction


def someones_message(content: str) -> MagicMock:
    message = MagicMock(spec=discord.Message, content=content, id=5150)
    message.author = MagicMock(spec=discord.Member, id=31)
    return message


async def ask_about(bot, inter, message) -> None:
    """As CommandTree._call_context_menu does: checks, the callback, errors to the tree's handler."""
    menu = bot.tree.get_command("Ask forumbot", type=discord.AppCommandType.message)
    try:
        await menu._invoke(inter, message)
    except app_commands.AppCommandError as error:
        await bot.tree.on_error(inter, error)


async def test_asks_the_messages_text_as_a_question(bot):
    inter = interaction(user_id=40)
    await ask_about(bot, inter, someones_message("hey, who is Li Bohu?"))
    inter.response.defer.assert_awaited_once()
    embed = inter.followup.send.await_args.kwargs["embed"]
    assert embed.title == "hey, who is Li Bohu?" and "¶2" in embed.fields[0].value


async def test_markup_in_the_message_is_neutralised_first(bot):
    inter = interaction(user_id=41)
    await ask_about(bot, inter, someones_message("@\u200beveryone <@\u200b&123456789012345678> who is Li Bohu?"))
    embed = inter.followup.send.await_args.kwargs["embed"]
    assert "@everyone" not in embed.title and "<@&" not in embed.title


async def test_a_message_without_text_gets_a_private_explanation(bot):
    inter = interaction(user_id=42)
    await ask_about(bot, inter, someones_message(""))
    assert inter.response.send_message.await_args.args[0] == NO_TEXT
    inter.response.defer.assert_not_awaited()


async def test_shares_the_cooldown_with_every_other_way_of_asking(bot):
    for _ in range(5):
        await ask_about(bot, interaction(user_id=43), someones_message("who is Li Bohu?"))
    inter = interaction(user_id=43)
    await ask_about(bot, inter, someones_message("who is Li Bohu?"))
    assert "Please wait" in inter.response.send_message.await_args.args[0]
