"""The Discord shell: messages become questions, Answers become embeds. No retrieval logic lives here."""
