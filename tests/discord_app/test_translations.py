"""Command names and descriptions in English and Simplified Chinese, as Discord receives them at sync."""
import re

import discord
import pytest

from bot.discord_app.translations import ZH_CN

SLASH_NAME = re.compile(r"^[-_\w]{1,32}$")  # Discord's rule for slash command and option names (\w covers 汉字)


def names(payload: dict) -> list[dict]:
    """The command and each of its options: everything with a name and a description."""
    return [payload, *payload.get("options", [])]


@pytest.mark.parametrize("name", ["ask", "source", "about", "help", "reindex", "reload", "stats", "config"])
async def test_every_slash_command_and_option_has_a_chinese_name_and_description(bot, name):
    payload = await bot.tree.get_command(name).get_translated_payload(bot.tree, bot.tree.translator)
    for part in names(payload):
        chinese = part["name_localizations"]["zh-CN"]
        assert SLASH_NAME.match(chinese) and chinese == chinese.lower()
        assert part["description_localizations"]["zh-CN"] and len(part["description_localizations"]["zh-CN"]) <= 100
        assert "zh-CN" in part["name_localizations"] and part["name"].isascii()  # English stays the default


async def test_the_context_menu_is_translated_and_ask_is_named_as_expected(bot):
    menu = bot.tree.get_command("Ask forumbot", type=discord.AppCommandType.message)
    payload = await menu.get_translated_payload(bot.tree, bot.tree.translator)
    assert payload["name_localizations"] == {"zh-CN": "问 forumbot"}
    ask = await bot.tree.get_command("ask").get_translated_payload(bot.tree, bot.tree.translator)
    assert ask["name_localizations"]["zh-CN"] == "提问" and ask["options"][0]["name_localizations"]["zh-CN"] == "问题"


def test_no_translation_is_left_over():
    assert all(value.strip() for value in ZH_CN.values())
