"""Command names and descriptions in English (as written) and Simplified Chinese, through discord.py's
Translator: Discord shows each user the names in their client's language. Answers stay in English."""
from __future__ import annotations

import discord
from discord import app_commands

# Slash command and option names: lower case, no spaces, at most 32 characters (Chinese letters are allowed).
ZH_CN: dict[str, str] = {
    # /ask
    "ask": "提问",
    "Ask a question about the documents forumbot knows.": "就 forumbot 所知的文档提问。",
    "question": "问题",
    "Your question, in English": "你的问题（请用英文）",
    # context menu
    "Ask forumbot": "问 forumbot",
    # /source
    "source": "原文",
    "Show a whole paragraph of the article.": "显示文章的一整段。",
    "paragraph": "段落",
    "Paragraph number (¶)": "段落编号（¶）",
    "document": "文档",
    "Document id, when there are several": "文档编号（有多个文档时）",
    # /about, /help
    "about": "关于",
    "What forumbot knows, and this server's settings.": "forumbot 知道什么，以及本服务器的设置。",
    "help": "帮助",
    "How to ask, what forumbot knows, and what it logs.": "如何提问、forumbot 知道什么、记录了什么。",
    # admin
    "reindex": "重建索引",
    "Rebuild the index from the corpus (admins).": "从语料重建索引（管理员）。",
    "reload": "重新加载",
    "Load the index the CLI built (admins).": "加载命令行构建的索引（管理员）。",
    "stats": "统计",
    "Questions, abstentions, latency and gaps (admins).": "提问数、未回答率、延迟和知识空白（管理员）。",
    "days": "天数",
    "How many days back (default 7)": "统计最近多少天（默认 7）",
    "config": "设置",
    "Where and how forumbot answers in this server (admins).": "forumbot 在本服务器的回答方式和位置（管理员）。",
    "answer_in": "回答频道",
    "Also answer in this channel (then only in the listed ones)": "也在此频道回答（之后只在列出的频道回答）",
    "stop_answering_in": "停止回答频道",
    "Stop answering in this channel": "不再在此频道回答",
    "all_channels": "所有频道",
    "Answer in every channel again": "重新在所有频道回答",
    "threads": "讨论串",
    "Answers open a thread named after the question": "回答时以问题为名开启讨论串",
    "ask_public": "公开回答",
    "Whether /ask answers are public (else only the asker sees them)": "/ask 的回答是否公开（否则只有提问者可见）",
    "ask_channel": "提问频道",
    "A channel where every message is a question (needs the message-content intent)":
        "此频道中的每条消息都是问题（需要消息内容权限）",
    "no_ask_channel": "取消提问频道",
    "Remove the ask channel": "取消提问频道",
}
TABLES = {discord.Locale.chinese: ZH_CN}  # Locale.chinese is zh-CN


class ForumbotTranslator(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContext) -> str | None:
        return TABLES.get(locale, {}).get(string.message)
