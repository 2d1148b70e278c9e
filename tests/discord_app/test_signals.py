"""kill -HUP reloads the index in a task the bot keeps and whose failure it handles."""
import asyncio
import gc
import logging
import os
import signal


async def test_a_failed_sighup_reload_is_handled_and_the_old_index_keeps_serving(private_bot, caplog):
    bot = private_bot
    old = bot.engine.version
    loop = asyncio.get_running_loop()
    unhandled = []
    loop.set_exception_handler(lambda loop, context: unhandled.append(context["message"]))
    ((bot.engine.settings.index_dir / "current").resolve() / "manifest.json").write_text("[]", encoding="utf-8")
    try:
        with caplog.at_level(logging.ERROR):
            os.kill(os.getpid(), signal.SIGHUP)
            for _ in range(200):  # until the reload has run and failed
                await asyncio.sleep(0.01)
                if "reload failed" in caplog.text:
                    break
        for _ in range(3):
            await asyncio.sleep(0)  # let the finished task's callbacks run
        gc.collect()  # an unretrieved task exception is reported when the task is collected
    finally:
        loop.set_exception_handler(None)
    assert "reload failed, still serving index" in caplog.text
    assert unhandled == [] and bot.signal_reloads == set()
    assert bot.engine.version == old and bot.engine.ask("Who is Li Bohu?").citations[0].paragraph == 2
