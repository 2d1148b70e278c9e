"""Many users at once through the message handler: every question answered, told to wait (once per
window), or quiet after that notice, exactly once.
(benchmarks/load.py times the same driver; tests never time anything.)"""
from tests.discord_app.burst import run_load


async def test_every_question_ends_exactly_one_way(bot):
    result = await run_load(bot, users=10, per_user=8, questions=["Who is Li Bohu?", "yang xiuling job title"])
    assert result["lost"] == 0 and result["answered_twice"] == 0
    assert result["answered"] == 10 * 5 and result["told_to_wait"] == 10  # 5 per 30 s each, one notice each
    assert result["quiet_after_notice"] == 10 * 2
