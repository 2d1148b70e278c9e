"""forumbot: answers questions about the articles in its corpus, with verbatim citations."""


def __getattr__(name: str):
    """`from bot import create_bot` without importing discord (or the model) for every `bot.*` import."""
    if name == "create_bot":
        from bot.discord_app.client import create_bot

        return create_bot
    raise AttributeError(name)
