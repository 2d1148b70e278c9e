"""Buttons as DynamicItems, clicked through discord.py's view store: they work after a restart, carry all
they need in a custom_id of at most 100 characters, and keep each user's vote their own."""
import pytest

from bot import create_bot
from bot.answer import Answer, Citation, Kind
from bot.discord_app.views import ReasonModal, answer_view, doc_from_key, doc_key
from tests.discord_app.conftest import bot_message, click, custom_ids, interaction, run_command


async def asked(bot, question: str, user_id: int = 1) -> dict:
    inter = interaction(user_id=user_id)
    await run_command(bot, inter, "ask", question=question)
    return inter.followup.send.await_args.kwargs


async def test_a_button_sent_by_a_previous_process_still_works(bot, tmp_path):
    sent = await asked(bot, "Who is Li Bohu?")
    old_message = bot_message(bot, sent["view"])  # what Discord still shows after the restart
    restarted = create_bot(bot.settings, bot.engine)  # a new process: an empty view store, no views kept
    await restarted.setup_hook()
    try:
        show = await click(restarted, bot_message(restarted, sent["view"]), custom_ids(sent["view"])[0])
        kwargs = show.response.send_message.await_args.kwargs
        paragraph = bot.engine.store.documents["zgc-forum-2020-industrial-internet"].paragraphs[1]
        assert kwargs["ephemeral"] is True and kwargs["embed"].description == paragraph
        vote = await click(restarted, bot_message(restarted, sent["view"]), custom_ids(sent["view"])[-2], user_id=5)
        assert "You voted 👍" in vote.response.send_message.await_args.args[0]
        row = int(custom_ids(sent["view"])[-1].split(":")[2])
        assert restarted.question_log.votes(row) == {"up": 1, "down": 0}
    finally:
        restarted.prune_log.cancel()
        restarted.question_log.close()
        restarted.servers.close()
    assert old_message.components  # the message kept its buttons all along


async def test_votes_are_each_users_own_changeable_and_shown_selected(bot):
    sent = await asked(bot, "yang xiuling job title", user_id=2)
    message = bot_message(bot, sent["view"])
    up, down = custom_ids(sent["view"])[-2:]
    row = int(up.split(":")[2])
    await click(bot, message, up, user_id=2)
    await click(bot, message, up, user_id=2)  # twice is still one vote
    other = await click(bot, message, down, user_id=3)  # another user cannot overwrite the asker's vote
    assert isinstance(other.response.send_modal.await_args.args[0], ReasonModal)
    assert bot.question_log.votes(row) == {"up": 1, "down": 1}
    first = await click(bot, message, up, user_id=4)
    own = first.response.send_message.await_args.kwargs["view"]  # the voter's copy, their choice selected
    assert [b.item.style.name for b in own.children] == ["success", "secondary"]
    changed = await click(bot, bot_message(bot, own, ephemeral=True), down, user_id=4)
    changed.response.send_modal.assert_awaited_once()
    assert bot.question_log.votes(row) == {"up": 1, "down": 2}


async def test_a_thumbs_down_reason_is_optional_and_kept(bot):
    sent = await asked(bot, "Who is Li Bohu?", user_id=6)
    row = int(custom_ids(sent["view"])[-1].split(":")[2])
    clicked = await click(bot, bot_message(bot, sent["view"]), custom_ids(sent["view"])[-1], user_id=6)
    modal = clicked.response.send_modal.await_args.args[0]
    bot._connection._view_store.add_view(modal)  # what send_modal does for a real interaction
    submit = interaction(user_id=6, client=bot)
    components = [{"type": 1, "components": [{"type": 4, "custom_id": modal.reason.custom_id,
                                              "value": "  quoted the   wrong speaker "}]}]
    await modal._dispatch_submit(submit, components, {})
    view = submit.response.send_message.await_args.kwargs["view"]
    assert [b.item.style.name for b in view.children] == ["secondary", "danger"]
    assert bot.question_log.flush()
    with bot.question_log._lock:
        reason = bot.question_log._db.execute("SELECT reason FROM votes WHERE question_id = ?", (row,)).fetchone()[0]
    assert reason == "quoted the wrong speaker"


async def test_flagging_an_abstention_puts_it_in_the_gaps(bot):
    sent = await asked(bot, "How many robots were at the forum exhibition?", user_id=7)
    gap = custom_ids(sent["view"])[-1]
    assert gap.endswith(":gap")
    clicked = await click(bot, bot_message(bot, sent["view"]), gap, user_id=8)
    assert "gaps" in clicked.response.send_message.await_args.args[0]
    assert bot.question_log.votes(int(gap.split(":")[2])) == {"up": 0, "down": 1}


async def test_an_example_button_asks_its_question(bot):
    inter = interaction()
    await run_command(bot, inter, "help")
    view = inter.response.send_message.await_args.kwargs["view"]
    clicked = await click(bot, bot_message(bot, view, ephemeral=True), "fb:ex:0", user_id=9)
    embed = clicked.followup.send.await_args.kwargs["embed"]
    assert embed.title == bot.engine.examples[0] and embed.fields


@pytest.mark.parametrize("doc", ["zgc-forum-2020-industrial-internet", "reports/" + "very-long-name-" * 10, "文章:一"])
def test_document_keys_fit_in_a_custom_id_and_come_back(doc):
    answer = Answer("q", "a [1]", False, (Citation(1, doc, "T", 12345, "a", "a", 1.0),), kind=Kind.ANSWERED)
    ids = custom_ids(answer_view(answer, 10**12, []))
    assert all(len(i) <= 100 for i in ids)
    assert doc_from_key(doc_key(doc), {doc: None, "other": None}) == doc
