from bot.answer import Answer, Citation
from bot.evaluation import CORRECT, WRONG_PARAGRAPH, judge, rank

TITLE = "Chinese and foreign academicians discuss the future of industrial Internet"


def test_a_title_question_is_judged_by_the_title_the_answer_quotes(engine):
    answer = engine.ask("wats the title of this article")
    row = {"gold": [TITLE], "keys": ["future of industrial Internet"]}
    assert TITLE not in answer.citations[0].text  # the title line is no paragraph
    assert judge(answer, row) == CORRECT and rank(answer, row["gold"]) == 1


def test_a_title_the_answer_does_not_quote_is_no_hit():
    paragraph = "Chinese and foreign academicians discussed the future of the Industrial Internet at the forum."
    cited = Citation(1, "doc", TITLE, 1, paragraph, paragraph, 0.9)
    answer = Answer("were they chinese or foreign", f"{paragraph} [1]", False, (cited,))
    assert judge(answer, {"gold": [TITLE], "keys": []}) == WRONG_PARAGRAPH  # every citation carries its title
    assert rank(answer, [TITLE]) is None
