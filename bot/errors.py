"""Errors an operator or user can cause. Each carries one line that says what is wrong and what to run."""


class ForumbotError(Exception):
    """Base class: str(error) is the one line shown to the person."""


class CorpusError(ForumbotError):
    """A corpus file (or the corpus folder) cannot be used."""


class IndexStoreError(ForumbotError):
    """The index is missing, corrupt, unwritable or built for another model."""


class ConfigError(ForumbotError):
    """A setting is missing or malformed (for example the Discord token)."""


class QuestionLogError(ForumbotError):
    """The question log cannot be opened or read (damaged, locked, or its folder unwritable)."""


class NetworkError(ForumbotError):
    """An outside service (Discord) cannot be reached."""
