"""Discord's own limits, in one place: what the API refuses above. Our lower, chosen caps live beside their use."""

EMBED_TITLE, EMBED_DESCRIPTION, EMBED_FIELD_VALUE = 256, 4096, 1024  # the footer's 2048 and total 6000 stay below our caps
BUTTON_LABEL = 80
THREAD_NAME = 100
CHOICE_CHARS = 100  # an application command choice's name and value
AUTOCOMPLETE_CHOICES = 25
