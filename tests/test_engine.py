"""Answers from the shared engine: grounded, cited, verbatim, honest about what the article doesn't say."""
import re
from dataclasses import replace

import pytest

from bot.answer import Kind


def assert_grounded(engine, answer):
    """Every quote is a verbatim slice of the paragraph it cites, and that paragraph is in the corpus."""
    for c in answer.citations:
        doc = engine.store.documents[c.doc]
        assert c.text == doc.paragraphs[c.paragraph - 1]
        assert c.quote and c.quote in c.text
        assert f"[{c.n}]" in answer.answer or c.n > 1
    if answer.abstained:
        return
    for n, part in enumerate(re.split(r"\s*\[\d+\]\s*", answer.answer)[: len(answer.citations)]):
        for piece in part.split("…"):
            assert piece.strip() in answer.citations[n].text


def test_who_is_li_bohu_cites_paragraph_2(engine):
    answer = engine.ask("Who is Li Bohu?")
    assert not answer.abstained
    assert answer.citations[0].paragraph == 2
    assert "academician of the Chinese Academy of Engineering" in answer.citations[0].quote
    assert answer.index_version == engine.version and answer.latency_ms > 0
    assert_grounded(engine, answer)


@pytest.mark.parametrize("question, name", [
    ("Li Bohu", "Li Bohu"), ("li bohu", "Li Bohu"), ("LI BOHU speech", "Li Bohu"), ("Yang Xiuling", "Yang Xiuling"),
    ("yang xiu ling", "Yang Xiuling"), ("Zhongguancun", "Zhongguancun"), ("zhong guan cun forum", "Zhongguancun"),
])
def test_names_work_in_every_common_form(engine, question, name):
    answer = engine.ask(question)
    assert not answer.abstained, question
    assert name in answer.citations[0].text
    assert_grounded(engine, answer)


@pytest.mark.parametrize("question", ["What's the best pizza topping?", "How do I install Python on Windows?",
                                      "lorem ipsum dolor sit amet"])
def test_off_topic_questions_abstain_and_offer_the_corpus_examples(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and answer.citations == () and answer.related == () and answer.kind == Kind.ABSTAINED
    assert engine.examples and all(example in answer.answer for example in engine.examples)


def test_the_shipped_articles_examples_come_from_its_header(engine):
    assert engine.examples == ["Who is Li Bohu?", "What did Yang Xiuling say about Beijing?",
                               "What report was released at the forum?"]


@pytest.mark.parametrize("question, missing, paragraph", [
    ("which university did yang xiuling study at?", "university", 5),
    ("What did Elon Musk say at the forum?", "Elon", 1),
    ("How many people attended the forum?", "attended", None),
    ("how much did a ticket to the forum cost", "a price or sum for “ticket”", 1),
    ("what did yang xiuling study in school", "“study” or “school”", 5),  # her name found her; what it asks of her isn't there
    ("was the forum held online because of covid", "“covid”", 1),  # as typed: spelling correction matched it as "covin"
])
def test_near_topic_questions_say_what_the_article_does_not_say(engine, question, missing, paragraph):
    answer = engine.ask(question)
    assert answer.abstained and answer.citations == () and answer.kind == Kind.ABSTAINED
    assert answer.answer.startswith("The article doesn't") and missing in answer.answer
    assert all(c.quote in c.text for c in answer.related)
    assert "related" in answer.to_dict()
    if paragraph is not None:  # the closest paragraph, when one clearly is
        assert answer.related[0].paragraph == paragraph


@pytest.mark.parametrize("question", ["hi", "Hello!", "thanks", "help", "!help", "good bot", "what can you do?", "", "   "])
def test_small_talk_gets_help_never_citations(engine, question):
    answer = engine.ask(question)
    assert answer.kind == Kind.HELP and answer.citations == ()
    assert "Try:" in answer.answer


def test_chinese_question_is_not_answered_with_a_confident_wrong_citation(engine):
    answer = engine.ask("工业互联网论坛发布了什么？")
    assert answer.kind == Kind.LANGUAGE and answer.citations == ()
    assert "英文" in answer.answer  # told in Chinese that answers are in English


def test_chinese_names_are_recognised_and_pointed_to(engine):
    answer = engine.ask("李伯虎是哪个院的院士？")
    assert answer.kind == Kind.LANGUAGE and answer.citations == ()
    assert "What does the article say about Li Bohu?" in answer.answer  # an English example about what they asked
    assert answer.related[0].paragraph == 2 and "Li Bohu" in answer.related[0].quote
    about_article = engine.ask("这篇文章讲了什么？")  # "what is this article about?": 章 of 文章 reads "zhang"
    assert about_article.kind == Kind.LANGUAGE and "Zhang" not in about_article.answer


@pytest.mark.parametrize(("question", "name", "paragraph"), [
    ("¿quién es Li Bohu?", "Li Bohu", 2), ("qui est Li Bohu ?", "Li Bohu", 2), ("wer ist Yang Xiuling?", "Yang Xiuling", 5),
    ("quien es li bohu", "Li Bohu", 2), ("o que disse Yang Xiuling?", "Yang Xiuling", 5),  # typed without accents
    ("che cosa ha detto Yang Xiuling", "Yang Xiuling", 5), ("de qué trata el artículo", None, None)])
def test_a_question_in_another_latin_script_language_is_told_the_answers_are_in_english(engine, question, name, paragraph):
    answer = engine.ask(question)  # never "the article doesn't mention 'qui' or 'est'"
    assert answer.kind == Kind.LANGUAGE and answer.abstained and answer.citations == ()
    assert answer.answer.startswith("I answer questions in English")
    if name:
        assert f"What does the article say about {name}?" in answer.answer and answer.related[0].paragraph == paragraph


@pytest.mark.parametrize("question", ["who is li bohu la", "what did the über platform do", "is the report des moines based",
                                      "el paso and los angeles?", "Du Chi?", "what did Chi Che say"])  # names, no question
def test_an_english_question_with_a_foreign_word_is_still_english(engine, question):
    assert engine.loaded.analyser.analyse(question).language == "en"


def test_tell_me_more_moves_on_instead_of_repeating(engine):
    first = engine.ask("what is the smart industrial internet based on?")
    more = engine.ask("tell me more", ["what is the smart industrial internet based on?"])
    assert not more.abstained and more.citations
    assert more.citations[0].quote not in first.answer and first.citations[0].quote not in more.answer


def test_a_pronoun_follow_up_is_resolved_from_the_earlier_turn(engine):
    answer = engine.ask("how old is he?", ["who is li bohu"])
    assert answer.abstained and "doesn't give an age" in answer.answer  # "he" was Li Bohu, whose age it lacks
    assert answer.related[0].paragraph == 2 and "Li Bohu" in answer.related[0].quote
    answer = engine.ask("what does he say is leading the smart industrial internet?", ["li bohu - he or she?"])
    assert "new generation of smart science and technology" in answer.answer


def test_tell_me_more_reads_on_after_the_answer_not_after_a_see_also(engine):
    from bot.answer import Answer, Citation

    answerer, doc = engine.loaded.answerer, next(iter(engine.store.documents.values()))
    def cite(n, number):
        paragraph = doc.paragraphs[number - 1]
        return Citation(n, doc.id, doc.title, number, paragraph, paragraph, 1.0)
    previous = Answer("why does it matter?", "…", False, (cite(1, 4), cite(2, 2)))
    question = engine.loaded.analyser.analyse("tell me more")
    more = answerer.more(question, previous, engine._retrieve(engine.loaded, "tell me more"))
    assert more.citations[0].paragraph == 5  # ¶4 answered; ¶2 was only a second citation


@pytest.mark.parametrize("question", ["whats this article about", "whats the headline", "summarize the article", "tl;dr?",
                                      "whats the main takeaway", "give me a summary",
                                      "summarize the article in one sentence"])
def test_questions_about_the_article_itself_are_answered_from_its_title_and_lead(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained and answer.citations[0].paragraph == 1
    assert "reporter Zhang Qin" in answer.answer and engine.store.documents[answer.citations[0].doc].title in answer.answer


@pytest.mark.parametrize(("question", "paragraph"), [("what is in paragraph 3", 3), ("para 2?", 2),
                                                     ("what does ¶4 say", 4), ("the last paragraph pls", -1)])
def test_a_paragraph_asked_for_by_its_place_is_quoted_from_its_start(engine, question, paragraph):
    answer = engine.ask(question)
    document = next(iter(engine.store.documents.values()))
    number = paragraph if paragraph > 0 else len(document.paragraphs)
    assert not answer.abstained and [c.paragraph for c in answer.citations] == [number]
    cited = answer.citations[0]
    assert cited.text == document.paragraphs[number - 1] and cited.text.startswith(cited.quote)
    assert cited.quote in answer.answer


@pytest.mark.parametrize(("question", "owner"), [
    ("what does the development report say about shanghai's industrial internet?", "shanghai"),
    ("how is tokyo's industrial internet doing", "tokyo")])
def test_a_thing_of_another_owner_is_not_answered_by_the_same_thing_of_the_one_in_the_article(engine, question, owner):
    answer = engine.ask(question)  # the article tells of Beijing's Industrial Internet
    assert answer.abstained and not answer.citations and owner in answer.answer and answer.related


def test_a_thing_of_the_owner_in_the_article_is_answered(engine):
    answer = engine.ask("what is beijing's plan for the next step")
    assert not answer.abstained and answer.citations[0].paragraph == 7


def test_the_first_of_a_series_is_not_answered_by_the_edition_reported(engine):
    answer = engine.ask("what year was the first zhongguancun forum held?")  # ¶1 reports the 2020 one
    assert answer.abstained and not answer.citations and "first" in answer.answer
    assert engine.ask("what's the first achievement").citations[0].paragraph == 8  # "First, the ... issued ..."
    step = engine.ask("what's the first step beijing will take")  # ¶8's "First," counts achievements, not steps
    assert step.abstained and not step.citations and step.related[0].paragraph == 7


def test_a_paragraph_asked_about_a_topic_answers_from_that_paragraph_or_says_where_it_is(engine):
    answer = engine.ask("what does the first paragraph say about the forum")
    assert not answer.abstained and [c.paragraph for c in answer.citations] == [1]
    elsewhere = engine.ask("what does paragraph 2 say about standards")
    assert elsewhere.abstained and not elsewhere.citations and elsewhere.related[0].paragraph == 2
    assert "¶7" in elsewhere.answer  # where the article does speak of standards


def test_what_a_thing_is_is_answered_where_it_is_the_subject_of_is(engine):
    answer = engine.ask("what is the smart industrial internet")  # ¶3 says what it is based on; ¶4 why developing it matters
    assert answer.citations[0].paragraph == 3 and "smart industrial Internet is based on" in answer.answer


def test_which_ones_asks_which_of_the_things_asked_about_before(engine):
    unnamed = engine.ask("which ones", ["what does the report do with leading companies"])  # "leading companies" only
    assert unnamed.abstained and not unnamed.citations and "companies" in unnamed.answer
    assert unnamed.related[0].paragraph == 8
    named = engine.ask("which ones", ["what zones will beijing open"])  # "... demonstration zones and free trade ..."
    assert not named.abstained and named.citations[0].paragraph == 7 and "free trade demonstration zones" in named.answer


def test_two_questions_in_one_message_are_both_answered(engine):
    answer = engine.ask("what was the theme? and what report was released?")
    assert not answer.abstained and [c.paragraph for c in answer.citations] == [1, 8]
    assert "New Infrastructure, New Economy, New Future" in answer.answer and "Development Report" in answer.answer
    assert "[1]" in answer.answer and "[2]" in answer.answer
    assert all(c.quote in answer.answer and c.quote in c.text for c in answer.citations)
    same_quote = engine.ask("when did the forum start and who wrote the article")  # both in ¶1's opening
    assert [c.paragraph for c in same_quote.citations] == [1] and same_quote.answer.count("[1]") == 1


def test_a_second_question_asked_of_the_first_ones_subject_is_answered_too(engine):
    answer = engine.ask("what's the forum theme and what got released there")  # "there": the forum
    assert not answer.abstained and [c.paragraph for c in answer.citations] == [1, 8]
    assert "New Infrastructure" in answer.answer and "Development Report" in answer.answer
    misread = engine.ask("who is li bohu and what did yang say about him")  # she says nothing of him
    assert misread.abstained and not misread.citations


def test_what_one_said_about_the_one_before_must_be_said_of_them(engine):
    answer = engine.ask("what did yang say about him", ["who is li bohu"])  # not her words on Beijing
    assert answer.abstained and not answer.citations
    about_it = engine.ask("what did li say about it", ["what is the smart industrial internet"])
    assert not about_it.abstained and about_it.citations[0].paragraph in (2, 3)


def test_a_thing_named_alone_after_another_topic_is_asked_afresh(engine):
    answer = engine.ask("the theme", ["who is li bohu"])
    assert not answer.abstained and answer.citations[0].paragraph == 1


def test_a_message_is_never_half_answered_as_if_whole(engine):
    answer = engine.ask("what was the theme? and how much did tickets cost?")  # weighed whole: no ticket price
    assert answer.abstained and not answer.citations


def test_a_trend_asked_for_is_answered_by_what_the_article_says_is_happening(engine):
    answer = engine.ask("What global trend should China's manufacturing adapt to?")  # "trend" names no word to find
    assert not answer.abstained and answer.citations[0].paragraph == 4
    assert "technological revolution and industrial transformation" in answer.answer


def test_which_event_is_answered_by_naming_the_event(engine):
    answer = engine.ask("which event is this article about")  # "event" names no word the article must use
    assert not answer.abstained and answer.citations[0].paragraph == 1 and "Forum" in answer.answer


def test_the_first_one_after_a_question_about_speakers_is_the_first_person_introduced(engine):
    first = engine.ask("what did the first one say", ["who spoke at the forum"])
    assert first.abstained and "who spoke first" in first.answer and first.related[0].paragraph == 2  # Li Bohu
    second = engine.ask("what did the second one say", ["who spoke at the forum"])
    assert second.abstained and second.related[0].paragraph == 5  # Yang Xiuling, not ¶8's "First, ..."
    achievement = engine.ask("whats the first one", ["what did the forum release"])
    assert not achievement.abstained and achievement.citations[0].paragraph == 8


def test_a_paragraph_beyond_the_last_is_declined_with_how_many_there_are(engine):
    answer = engine.ask("what does paragraph 12 say")
    count = len(next(iter(engine.store.documents.values())).paragraphs)
    assert answer.abstained and not answer.citations and f"has {count} paragraphs" in answer.answer


@pytest.mark.parametrize("question", ["who wrote the report", "who authored the report"])
def test_who_wrote_a_work_the_article_reports_on_is_not_its_reporter(engine, question):
    answer = engine.ask(question)  # the report was issued by a bureau (¶8); no one is said to have written it
    assert answer.abstained and "doesn't say who" in answer.answer and answer.related[0].paragraph == 8


@pytest.mark.parametrize("question", ["who wrote this?", "who's the author of this article", "who covered it for the paper",
                                      "who authored the piece", "who's the journo", "whos the reporter"])
def test_who_wrote_the_article_is_answered_by_its_byline(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained and answer.citations[0].paragraph == 1
    assert answer.answer.startswith("News from our newspaper (reporter Zhang Qin)") and "titled" not in answer.answer
    assert [c.paragraph for c in answer.citations] == [1]  # not ¶8's "report" as well
    assert_grounded(engine, answer)


def test_second_achievement_is_not_invented(engine):
    for question in ("What was the second achievement?", "and the other achievement?"):
        answer = engine.ask(question)
        assert answer.abstained and answer.citations == ()
        assert "doesn't say what the" in answer.answer and answer.related[0].paragraph == 8


def test_direct_answer_is_short_and_names_the_report(engine):
    answer = engine.ask("What was released at the forum?")
    assert "2020 Beijing Industrial Internet Development Report" in answer.answer
    assert len(answer.answer) <= 450  # ~400 characters of quote plus markers


def test_follow_up_uses_the_earlier_question(engine):
    answer = engine.ask("what did she say about Beijing?", ["Who is Yang Xiuling?"])
    assert not answer.abstained
    assert answer.citations[0].paragraph == 5 and "Beijing" in answer.answer


def test_control_and_invisible_characters_do_not_change_the_answer(engine):
    plain = engine.ask("Who is Li Bohu?")
    noisy = engine.ask("\u200bWho is\u202e Li\x00 Bohu?\u2066")
    assert noisy.citations[0].paragraph == plain.citations[0].paragraph
    assert noisy.question == "Who is Li Bohu?"
    coloured = engine.ask("Who is Li Bo\x1b[31mhu\x1b[0m?\x1b]0;title\x07")  # a terminal's colour and title codes
    assert coloured.question == "Who is Li Bohu?" and coloured.citations[0].paragraph == plain.citations[0].paragraph


@pytest.mark.parametrize("pasted", ["see https://evil.example/x?y=1 who is li bohu",
                                    "[li bohu](http://evil.example) who is that",
                                    "<script>alert(1)</script> who is li bohu", "```\nrm -rf /\n``` who is li bohu"])
def test_pasted_links_tags_and_code_do_not_refuse_the_question(engine, pasted):
    answer = engine.ask(pasted)  # "http", "evil" or "rm" had been taken for names the article never mentions
    assert not answer.abstained and answer.citations[0].paragraph == 2
    assert "evil" not in answer.question and "<script>" not in answer.question


def test_a_name_typed_as_one_word_is_the_corpus_name(engine):
    answer = engine.ask("what did libohu say")
    assert not answer.abstained and "Li Bohu" in answer.citations[0].quote


def test_an_endless_word_is_not_echoed_back_whole(engine):
    answer = engine.ask("what report was released " + "x" * 1200)
    assert answer.abstained and "x" * 41 not in answer.answer and "…”" in answer.answer


def test_answer_json_follows_the_contract(engine):
    data = engine.ask("Who is Li Bohu?").to_dict()
    assert list(data) == ["question", "answer", "abstained", "citations", "latency_ms", "index_version"]
    assert list(data["citations"][0]) == ["n", "doc", "title", "paragraph", "quote", "text", "score"]


def test_a_who_question_the_article_cannot_answer_says_who_is_missing(engine):
    answer = engine.ask("who moderated the forum?")
    assert answer.abstained and answer.answer.startswith("The article doesn't say who “moderated the forum”")


def test_a_follow_up_to_a_turn_that_named_nothing_reads_what_that_turn_showed(engine):
    history = ["what did the forum release?", "and the second one?"]
    assert engine.ask(history[1], history[:1]).abstained  # the article never says what the second one is
    answer = engine.ask("ok what does the first one cover then", history)
    assert not answer.abstained and "overall situation" in answer.answer


def test_a_word_for_the_form_of_the_answer_need_not_be_in_the_text(engine):
    """"Sections" or "purpose" say what shape the answer takes; the report's paragraph never uses them."""
    sections = engine.ask("what sections does the report have?")
    assert [c.paragraph for c in sections.citations] == [8] and "key areas" in sections.answer
    # ... but such a word does not make up for what the text lacks: she is not said to have studied anything
    studied = engine.ask("what topics did yang xiuling study at university?")
    assert studied.abstained and "“university”" in studied.answer


@pytest.mark.parametrize("question", ["what targets did beijing set", "does the article give any stats?",
                                      "what's the budget plan for the report?",
                                      "what were the highlights of yang xiuling's career?"])
def test_a_word_naming_what_is_asked_is_not_taken_for_the_form_of_the_answer(engine, question):
    assert engine.ask(question).abstained  # targets, stats, a plan or highlights are things the article never gives


def test_a_follow_up_that_asks_of_something_else_moves_on(engine):
    answer = engine.ask("and what does the report it mentions cover?", ["what did yang xiuling say?"])
    assert not answer.abstained and answer.citations[0].paragraph == 8 and "overall situation" in answer.answer


def test_a_follow_up_naming_another_person_asks_the_same_of_them(engine):
    """"And what about li?" after a question about Yang asks it of Li; "and yang?" after "how old is li bohu?"
    asks her age, which the article doesn't give either."""
    li = engine.ask("and what about li?", ["what did yang xiuling say?"])
    assert not li.abstained and li.citations[0].paragraph in (2, 3) and "Li Bohu" in li.answer
    age = engine.ask("and yang?", ["how old is li bohu"])
    assert age.abstained and age.answer.startswith("The article doesn't give an age") and age.related[0].paragraph == 5
    back = engine.ask("and li?", ["how old is li bohu", "and yang?"])  # through a chain of such turns
    assert back.abstained and back.answer.startswith("The article doesn't give an age") and back.related[0].paragraph == 2


def test_a_follow_up_stays_with_the_paragraph_it_was_just_shown(engine):
    """"What does that make Beijing then", after ¶6 on how Beijing is doing, is about ¶6 ("the development
    highland"), not the report's ¶8, which says "Beijing" more often."""
    history = ["has beijing's industrial internet been getting stronger lately"]
    assert [c.paragraph for c in engine.ask(history[0]).citations] == [6]
    answer = engine.ask("what does that make beijing then", history)
    assert [c.paragraph for c in answer.citations] == [6] and "development highland" in answer.answer


def test_a_follow_up_leaves_the_paragraph_it_was_shown_for_one_holding_more_of_it(engine):
    """"And what's next for beijing" after Yang Xiuling's ¶5: ¶7 says "In the next step, Beijing will ...", ¶5 lacks
    "next"; staying would answer the question before again."""
    history = ["who is yang xiuling", "what did she say about beijing"]
    assert [c.paragraph for c in engine.ask(history[1], history[:1]).citations] == [5]
    answer = engine.ask("and what's next for beijing", history)
    assert answer.citations[0].paragraph == 7 and "next step" in answer.answer


def test_a_purpose_follow_up_is_answered_with_the_aim(engine):
    answer = engine.ask("what's it supposed to accomplish", ["whats the full name of the report they released"])
    assert not answer.abstained and answer.citations[0].paragraph == 8 and "goals" in answer.answer


@pytest.mark.parametrize("history", [["what is the smart industrial internet based on"],
                                     ["did li bohu talk about manufacturing"],  # ¶4 is well below ¶3 and ¶2 there
                                     ["what did li bohu talk about"]])  # "it": what the answer (¶2) spoke of
def test_why_it_matters_is_answered_with_the_sentence_giving_its_significance(engine, history):
    answer = engine.ask("why does it matter", history)
    assert not answer.abstained and answer.citations[0].paragraph == 4 and "great significance" in answer.answer
    assert [c.paragraph for c in answer.citations] == [4]  # no paragraph giving no reason is cited beside it


def test_a_follow_up_quotes_the_sentence_holding_what_it_now_asks(engine):
    """The search carries the earlier turns, which favour the report's first sentence; the word asked decides."""
    history = ["what was the 1st achievement the forum released", "who issued it?", "and the second one?"]
    answer = engine.ask("back to the report, does it say anything about security?", history)
    assert [c.paragraph for c in answer.citations] == [8] and "security" in answer.answer


def test_who_did_something_is_answered_only_by_a_sentence_saying_it(engine):
    led = engine.ask("who led the forum")  # ¶8 says "leading companies", which names no one who led anything
    assert led.abstained and "doesn't say who “led the forum”" in led.answer
    director = engine.ask("who is the director of the bureau")
    assert director.abstained and "doesn't name the “director”" in director.answer


def test_list_them_asks_the_earlier_question_again_as_a_list(engine):
    answer = engine.ask("list them", ["what are the characteristics of beijing's industrial internet"])
    assert not answer.abstained and answer.citations[0].paragraph == 6  # was: doesn't say anything about "list"
    assert "platform empowerment" in answer.answer


@pytest.mark.parametrize("thanks", ["thanks!", "thank you so much", "ok thx bot", "cheers"])
def test_thanks_are_welcomed_not_greeted(engine, thanks):
    answer = engine.ask(thanks, ["who is li bohu?"])
    assert answer.kind == Kind.HELP and not answer.citations and answer.answer.startswith("You're welcome!")


@pytest.mark.parametrize("remark", ["got it", "lol", "ok thanks", "no"])
def test_a_remark_after_an_answer_does_not_repeat_it(engine, remark):
    assert engine.ask(remark, ["who is li bohu?"]).kind == Kind.HELP


@pytest.mark.parametrize("question", ["who spoke at the forum?", "who were the speakers", "who gave speeches"])
def test_who_spoke_names_every_speaker_with_a_citation_each(engine, question):
    answer = engine.ask(question)  # "spoke" is "in his speech" (¶2) and "in her speech" (¶5)
    assert not answer.abstained
    assert [c.paragraph for c in answer.citations] == [2, 5]
    assert "Li Bohu" in answer.citations[0].quote and "Yang Xiuling" in answer.citations[1].quote
    assert_grounded(engine, answer)


def test_a_second_paragraph_on_the_same_person_is_not_cited_as_someone_else(engine):
    assert [c.paragraph for c in engine.ask("who is li bohu").citations] == [2]


@pytest.mark.parametrize("question, history, said", [
    ("is li bohu from beijing", [], "it speaks of “beijing” in ¶5, ¶6, ¶7, ¶8"),  # a name is a word the article uses
    ("did li bohu and yang xiuling agree", [], "doesn't say anything about “agree”."),  # not "about “li”"
    ("was the theme about ai", [], "doesn't say anything about “ai”."),  # as typed, not "artificial", nor ¶3's "intelligent"
    ("what month was the forum", [], "doesn't give a month."),  # "yesterday morning" is no month
    ("what is yang xiuling's email", [], "doesn't give the “email”."),  # not "which email"
])
def test_what_the_article_lacks_is_said_truly_and_in_the_askers_words(engine, question, history, said):
    answer = engine.ask(question, history)
    assert answer.abstained and said in answer.answer, answer.answer


@pytest.mark.parametrize("question", ["what's 2+2", "what is 2 plus 2", "2?"])
def test_sums_are_not_answered_by_a_number_in_the_article(engine, question):
    answer = engine.ask(question)  # ¶8's "two major achievements" is no answer to 2+2
    assert answer.abstained and answer.related == () and answer.kind == Kind.ABSTAINED


@pytest.mark.parametrize("question, paragraph", [("did yang xiuling speak at the forum", 5),
                                                 ("did li bohu give a speech at the forum", 2)])
def test_a_person_asked_about_at_the_articles_event_is_answered_where_they_speak(engine, question, paragraph):
    answer = engine.ask(question)  # the lead's event is where every later paragraph is
    assert not answer.abstained and answer.citations[0].paragraph == paragraph and "speech" in answer.answer


@pytest.mark.parametrize("history, follow_up, paragraph, name", [
    (["who is li bohu"], "and the other speaker?", 5, "Yang Xiuling"),
    (["what did li bohu say"], "what did the other speaker say", 5, "Yang Xiuling"),
    (["what did yang xiuling say"], "what did the other one say", 2, "Li Bohu"),
    (["what did yang xiuling say"], "who else spoke", 2, "Li Bohu"),
])
def test_the_other_person_is_the_next_one_the_article_introduces(engine, history, follow_up, paragraph, name):
    answer = engine.ask(follow_up, history)
    assert not answer.abstained and answer.citations[0].paragraph == paragraph and name in answer.answer
    other_thing = engine.ask("the other one?", ["what was the first achievement"])  # no person asked about before
    assert other_thing.abstained and "doesn't say what the other one is" in other_thing.answer


@pytest.mark.parametrize("question", ["list all the speakers", "what are all the speakers' names"])
def test_a_list_of_people_cites_each_person_the_article_quotes(engine, question):
    answer = engine.ask(question)
    assert [c.paragraph for c in answer.citations] == [2, 5]
    assert "Li Bohu" in answer.answer and "Yang Xiuling" in answer.answer


def test_where_someone_works_is_answered_by_the_body_they_hold_a_post_at(engine):
    answer = engine.ask("where does she work", ["who is yang xiuling"])
    assert not answer.abstained and answer.citations[0].paragraph == 5 and "Government" in answer.answer
    place = engine.ask("where was the forum held")  # an organisation is no venue
    assert place.abstained and place.answer.startswith("The article doesn't say where.")


@pytest.mark.parametrize("question, paragraph", [("how will beijing develop the industrial internet", 7),
                                                 ("how has beijing's industrial internet changed", 6)])
def test_how_something_will_go_or_has_gone_is_answered_by_what_comes_next_or_what_it_has_become(engine, question, paragraph):
    answer = engine.ask(question)  # not ¶8's report on it
    assert not answer.abstained and answer.citations[0].paragraph == paragraph


def test_again_asks_for_nothing_new(engine):
    answer = engine.ask("what's her name again", ["who is the deputy secretary general"])
    assert not answer.abstained and answer.citations[0].paragraph == 5 and "Yang Xiuling" in answer.answer


def test_a_place_the_article_never_gives_is_said_to_be_missing(engine):
    answer = engine.ask("where was the forum held")
    assert answer.abstained and answer.answer.startswith("The article doesn't say where.")
    assert answer.related and answer.related[0].paragraph == 1  # and points to what it does say about the forum


@pytest.mark.parametrize("question, deed", [("who kicked off the forum", "kicked off the forum"),
                                            ("who opened the forum?", "opened the forum")])
def test_a_deed_said_of_the_thing_asked_about_names_no_one_who_did_it(engine, question, deed):
    """¶1: "the ... Forum ... kicked off." says the forum began, not who began it (its byline names a reporter)."""
    answer = engine.ask(question)
    assert answer.abstained and answer.answer.startswith(f"The article doesn't say who “{deed}”")
    assert answer.related[0].paragraph == 1
    issued = engine.ask("who released the report")  # ¶8: "the Bureau ... issued the ... Report": someone did
    assert not issued.abstained and issued.citations[0].paragraph == 8 and "Bureau" in issued.answer


def test_a_deed_is_not_matched_by_a_word_that_only_looks_like_it(engine):
    answer = engine.ask("who organised it", ["what is the zgc forum"])  # "organized" is close to "structure" in ¶5
    assert answer.abstained and "doesn't say who “organized it”" in answer.answer


def test_a_long_chain_of_follow_ups_still_knows_who_he_is(engine):
    history = ["who is li bohu", "what did he say", "tell me more", "what else"]
    answer = engine.ask("how old is he", history)  # "he" was named four turns back
    assert answer.abstained and answer.answer.startswith("The article doesn't give an age.")


def test_a_pronoun_two_turns_after_the_name_still_means_that_person(engine):
    answer = engine.ask("what was his talk called", ["who's li bohu", "how old is he"])
    assert answer.citations[0].paragraph == 2 and "Preliminary Practice" in answer.answer


def test_a_bare_why_reads_on_to_a_sentence_giving_a_reason(engine):
    history = ["who is Li Bohu?", "what did he say?", "tell me more"]  # ¶3 was shown; its next sentence gives no reason
    answer = engine.ask("why?", history)
    assert answer.citations[0].paragraph == 4 and "is of great significance" in answer.answer


def test_a_follow_up_only_by_its_opening_word_is_asked_afresh_when_the_turn_before_misleads_it(engine):
    history = ["so the industrial internet forum, was it a one day thing"]
    answer = engine.ask("ok what did the chinese academy guy say about the cloud", history)  # "ok": no pronoun
    assert not answer.abstained and answer.citations[0].paragraph == 3 and "cloud" in answer.answer


def test_a_question_naming_only_what_it_asks_is_asked_of_the_turn_before(engine):
    answer = engine.ask("what year", ["how many sub forums does zgc forum have"])
    assert answer.citations[0].paragraph == 1 and "2020" in answer.answer


@pytest.mark.parametrize("history, question, paragraph", [
    (["tell me about yang xiuling"], "what's her position", 5),  # stated as "Yang Xiuling, Deputy Secretary-General of"
    (["whats the smart industrial internet"], "why does it matter", 4),  # stated as "is of great significance for"
    (["what did the forum release?"], "and which year's edition is it?", 8),  # stated as "the "2020 Beijing ... Report""
])
def test_what_a_text_states_by_its_form_answers_the_word_asking_for_it(engine, history, question, paragraph):
    answer = engine.ask(question, history)
    assert not answer.abstained and answer.citations[0].paragraph == paragraph
    assert_grounded(engine, answer)


def test_she_and_a_woman_are_answered_from_a_paragraph_about_her(engine):
    women = engine.ask("any women speakers?")  # ¶2 says "his speech", ¶5 "her speech"
    assert not women.abstained and women.citations[0].paragraph == 5
    assert engine.ask("what did she say", ["any women speakers?"]).citations[0].paragraph == 5
    assert engine.ask("did a man speak").citations[0].paragraph == 2
    history = ["who is li bohu", "what did he say", "what else"]  # answers about him, then "and her?"
    assert engine.ask("and her?", history).citations[0].paragraph == 5
    age = engine.ask("how old is she", ["who spoke at the forum?"])  # of the two speakers, she is Yang Xiuling
    assert age.abstained and age.related[0].paragraph == 5
    wants = engine.ask("what does she want the industrial internet to do for beijing",
                       ["who talked abt beijing at the forum"])
    assert [c.paragraph for c in wants.citations] == [5]  # not also the report's ¶8, which says nothing of her


@pytest.mark.parametrize("question", ["what was the exact date the forum kicked off?", "what date exactly was the forum held",
                                      "when was the forum held exactly", "what day of the week was the forum"])
def test_an_exact_date_is_not_answered_by_yesterday(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and answer.answer.startswith("The article doesn't give an exact date.")
    assert answer.related[0].paragraph == 1  # it points to the "Yesterday morning" it does give
    assert not engine.ask("when was the forum").abstained


def test_a_year_asked_for_is_answered_by_a_year_not_by_recent_years(engine):
    assert "2020" in engine.ask("what year was the forum held").answer
    born = engine.ask("what year was li bohu born")
    assert born.abstained and born.answer.startswith("The article doesn't give a year")
    shown = engine.ask("in which year has beijing's industrial internet shown enhancement of basic support capabilities")
    assert shown.abstained and shown.answer.startswith("The article doesn't give a year")  # not ¶8's "2020 ... Report"
    assert shown.related[0].paragraph == 6  # "In recent years, ... has shown ... enhancement of basic support ..."


def test_a_question_about_another_time_than_the_one_reported_is_not_answered_from_now(engine):
    answer = engine.ask("what job did yang xiuling have before she became deputy secretary-general?")
    assert answer.abstained and answer.answer.startswith("The article doesn't say anything about “before”.")
    assert answer.related[0].paragraph == 5  # what it does say: her job now


@pytest.mark.parametrize("question, thing", [("what's the actual name of the newspaper zhang qin writes for", "newspaper"),
                                             ("which beijing companies did yang xiuling mention by name?", "companies")])
def test_a_name_asked_for_must_be_given(engine, question, thing):
    answer = engine.ask(question)
    assert answer.abstained and answer.answer.startswith(f"The article doesn't name the “{thing}”.")
    assert not engine.ask("what's the name of the report").abstained


def test_what_someone_said_about_a_thing_the_article_never_mentions_is_not_answered(engine):
    answer = engine.ask("what did li bohu say about ai chips or semiconductors")
    assert answer.abstained and answer.related[0].paragraph in (2, 3)  # it points to what he did talk about
    assert not engine.ask("what did yang xiuling say about beijing").abstained


def test_a_why_question_is_answered_with_the_sentence_giving_the_aim(engine):
    answer = engine.ask("why was the development report put together? what is it supposed to achieve?")
    assert not answer.abstained and answer.citations[0].paragraph == 8
    assert "goals" in answer.citations[0].quote  # "The trend has clarified the development direction and goals, ..."


@pytest.mark.parametrize("question, paragraph", [
    ("who's the first speaker the article mentions?", 2), ("who's the 2nd speaker that gets named", 5),
    ("who is mentioned after li", 5), ("which speaker does the article introduce last", 5),
    ("who was the first person quoted?", 2), ("who's the second person the article names", 5),
])
def test_speakers_come_in_the_order_the_article_introduces_them(engine, question, paragraph):
    answer = engine.ask(question)
    assert not answer.abstained and answer.citations[0].paragraph == paragraph
    assert_grounded(engine, answer)


@pytest.mark.parametrize("question, said, paragraph", [
    ("who spoke first", "The article doesn't say who spoke first. The first person it introduces", 2),
    ("who gave the first talk", "The article doesn't say who spoke first.", 2),
    ("who spoke first? just name them", "The article doesn't say who spoke first.", 2),  # "name" is no telling order
    ("was li bohu the first speaker?", "The article doesn't say who spoke first.", 2),
    ("who spoke first according to the report", "The article doesn't say who spoke first.", 2),  # the report is
    ("who was introduced first at the forum?", "The article doesn't say who spoke first.", 2),  # ¶8's, not this
    ("who spoke after li", "The article doesn't say who spoke after Li Bohu. The next person it introduces", 5),
    ("what did the second speaker say", "The article doesn't say who spoke second. The second person", 5),
    ("who spoke before yang", "The article doesn't say who spoke before Yang Xiuling. The previous person", 2),
    ("who was the last speaker", "The article doesn't say who spoke last. The last person it introduces", 5),
])
def test_the_order_of_the_speeches_is_not_inferred_from_the_order_of_the_telling(engine, question, said, paragraph):
    """The article never says who spoke when: it declines, and points to whom it introduces in that place."""
    answer = engine.ask(question)
    assert answer.abstained and answer.answer.startswith(said) and not answer.citations
    assert answer.related[0].paragraph == paragraph and answer.related[0].quote in answer.answer


def test_a_speaker_beyond_those_introduced_is_not_invented(engine):
    third = engine.ask("who spoke third")
    assert third.abstained and third.answer == "The article introduces only 2 people by name and title."
    before = engine.ask("who spoke before li")
    assert before.abstained and before.answer == "The article introduces no one before Li Bohu." and before.related


@pytest.mark.parametrize("question", ["list every person mentioned in the article", "who are the people in the article",
                                      "name everyone in the article", "which people does it mention"])
def test_asking_for_everyone_cites_each_person_where_the_article_introduces_them(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained and [c.paragraph for c in answer.citations] == [2, 5]
    assert "Li Bohu" in answer.answer and "Yang Xiuling" in answer.answer
    assert_grounded(engine, answer)


@pytest.mark.parametrize("question", ["which people attended", "who were the people who funded the report"])
def test_people_narrowed_by_what_they_did_are_not_everyone_named(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and not answer.citations  # the article says neither who attended nor who funded it


@pytest.mark.parametrize("question", ["write me a poem about the forum", "tell me a joke about li bohu",
                                      "can you make up a short story about the report?"])
def test_the_bot_writes_nothing_of_its_own(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and answer.answer == "I don't write text of my own: I quote what the article says."
    assert not answer.citations and answer.related  # it points to what the article does say


@pytest.mark.parametrize("question", ["is the industrial internet good or bad in ur opinion",
                                      "do you think beijing will succeed?"])
def test_the_bot_gives_no_opinion_of_its_own(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and answer.answer == "I don't give opinions of my own: I quote what the article says."
    assert answer.related  # and points to what the article does say


@pytest.mark.parametrize("question, paragraph", [
    ("hey so i was reading this at lunch and got kinda lost tbh — who is yang xiuling?", 5),  # chatter before a dash
    ("wats the thme of teh forum", 1), ("@everyone what's the theme lmao", 1),  # "lmao" is never "corrected" to "lao"
    ("**who** is [li bohu](http://evil.example.com) ???", 2),  # a link keeps its text
    ("who is ~~yang~~ li bohu", 2),  # struck out: not asked
    ("<:pepehands:123456789012345678> who is li bohu", 2), ("<@&987654321> who is ||li bohu||", 2),  # Discord markup
    (":pog: who is @someone li bohu in #channel", 2),  # ... and the words the Discord shell shows it as
    ("what was li's speech called", 2),  # "his speech titled "..."" names it
    ("is beijings industrial internet ecosystem mature?", 6),  # holds "ecology": more of it than ¶8's "Beijing's ..."
])
def test_casual_forms_of_answerable_questions(engine, question, paragraph):
    answer = engine.ask(question)
    assert not answer.abstained and answer.citations[0].paragraph == paragraph


@pytest.mark.parametrize("question, history", [("why that theme", ["what was the theme"]),
                                               ("why did li give that speech", [])])
def test_a_why_is_answered_only_by_a_paragraph_giving_a_reason(engine, question, history):
    answer = engine.ask(question, history)  # ¶1 and ¶2 say what the theme and the speech were, not why
    assert answer.abstained and answer.answer.startswith("The article doesn't say why.") and answer.related


@pytest.mark.parametrize("history, paragraph, nearest", [
    (["what are beijing's next steps for the industrial internet"], 5, True),  # ¶7 names no one: Yang Xiuling, ¶5
    (["what is the smart industrial internet based on"], 3, False),  # ¶3 names its speaker itself
    (["what is the smart industrial internet", "what is it based on"], 3, False),
])
def test_who_said_that_is_the_speaker_named_at_or_before_the_passage(engine, history, paragraph, nearest):
    from bot.answering import NEAREST_SPEAKER

    answer = engine.ask("who came up with that" if len(history) > 1 else "who said that", history)
    assert not answer.abstained and answer.citations[0].paragraph == paragraph
    assert answer.answer.startswith(NEAREST_SPEAKER) == nearest
    assert_grounded(engine, replace(answer, answer=answer.answer.removeprefix(NEAREST_SPEAKER)))  # a fixed phrase


def test_a_word_the_article_uses_but_never_defines_is_not_defined_by_quoting_it(engine):
    answer = engine.ask("what does 'new ubiquitous internet' mean exactly")  # ¶3 uses it: "based on the new ..."
    assert answer.abstained and "doesn't say what “new ubiquitous internet” means" in answer.answer
    assert answer.related[0].paragraph == 3
    defined = engine.ask("what does the smart industrial internet mean")  # "the smart industrial Internet is ..."
    assert not defined.abstained


def test_naming_a_few_of_unnamed_things_is_declined(engine):
    answer = engine.ask("name a few of those companies?", ["what kind of companies does the report look at"])
    assert answer.abstained and "doesn't name the “companies”" in answer.answer and answer.related[0].paragraph == 8
    unnamed = engine.ask("name the foreign academicians")  # ¶1: "Chinese and foreign academicians discussed ..."
    assert unnamed.abstained and "doesn't name the “academicians”" in unnamed.answer and unnamed.related[0].paragraph == 1


def test_asking_whether_the_article_names_things_it_does_not_name_is_declined(engine):
    answer = engine.ask("does it name any of the leading companies", ["what fields does the bj report cover"])
    assert answer.abstained and "doesn't name the “companies”" in answer.answer and answer.related[0].paragraph == 8


def test_a_sum_asked_in_a_currency_needs_a_sum_in_the_text(engine):
    answer = engine.ask("how big is beijing's industrial internet market in yuan")
    assert answer.abstained and answer.answer.startswith("The article doesn't give a price or sum for “big” or “market”.")


def test_things_listed_after_their_word_are_named(engine):
    answer = engine.ask("name all the characteristics of beijing's industrial internet development")
    assert not answer.abstained and answer.citations[0].paragraph == 6  # "the characteristics of A, B, and C"
    assert "platform empowerment" in answer.answer


def test_words_after_a_thing_that_say_more_than_a_list_do_not_name_it(engine):
    answer = engine.ask("name the efforts")  # "the joint efforts of all parties, the development ... has shown ..."
    assert answer.abstained and "doesn't name the “efforts”" in answer.answer


def test_the_people_in_a_role_asked_about_must_be_named_and_of_that_kind(engine):
    foreign = engine.ask("who were the foreign academicians")  # ¶1 names none; ¶2's Li Bohu is no foreign one
    assert foreign.abstained and "doesn't name the “academicians”" in foreign.answer
    reporter = engine.ask("who is the reporter")
    assert not reporter.abstained and "Zhang Qin" in reporter.answer
    deputy = engine.ask("who's the deputy secretary-general")
    assert not deputy.abstained and deputy.citations[0].paragraph == 5


def test_a_verb_the_article_uses_is_asked_about_not_how_to_answer(engine):
    answer = engine.ask("what did the report clarify")
    assert not answer.abstained and "has clarified the development direction" in answer.answer


def test_a_name_asked_for_by_another_word_for_the_thing_is_given(engine):
    answer = engine.ask("name of the journo who covered the zgc forum?")  # journalist: "reporter Zhang Qin"
    assert not answer.abstained and answer.citations[0].paragraph == 1 and "Zhang Qin" in answer.answer


def test_anything_else_about_a_topic_reads_on_to_what_speaks_of_it(engine):
    history = ["beijing's next steps r based on what"]  # ¶7
    answer = engine.ask("anything else from the forum?", history)
    assert not answer.abstained and answer.citations[0].paragraph == 8
    assert answer.citations[0].quote.startswith("The forum also released")  # the next sentence about the forum


def test_a_who_answer_quotes_the_name_not_only_the_deed(engine):
    answer = engine.ask("who recommended the coordinated development of technology, application and industry?")
    assert not answer.abstained and answer.citations[0].paragraph == 2
    assert "Li Bohu" in answer.answer  # the long sentence is cut around the name, which the deed's clause lacks
    assert_grounded(engine, answer)


def test_a_long_sentence_is_quoted_around_the_words_it_uses_for_the_question(engine):
    answer = engine.ask("does beijing plan any ecosystem building")  # the text says "ecological construction"
    assert not answer.abstained and answer.citations[0].paragraph == 7
    assert "ecological construction" in answer.answer
    assert_grounded(engine, answer)


@pytest.mark.parametrize("question", ["whats beijing planning next", "what will beijing do in the next step"])
def test_a_long_sentence_that_fits_a_quote_is_quoted_whole(engine, question):
    """¶7 is one 575-character sentence whose point is its last clause; its 400-character runs of clauses, indexed
    so retrieval scores the part asked about, are quoted as the whole sentence."""
    answer = engine.ask(question)
    assert answer.citations[0].paragraph == 7
    assert answer.citations[0].quote.startswith("In the next step") and "build a national demonstration base" in answer.answer
    assert_grounded(engine, answer)


@pytest.mark.parametrize("question", ["is this article from 2020", "who reported on the forum"])
def test_a_question_about_the_article_cites_its_byline_once(engine, question):
    answer = engine.ask(question)
    assert answer.citations[0].paragraph == 1
    assert len({(c.doc, c.paragraph) for c in answer.citations}) == len(answer.citations)


@pytest.mark.parametrize("question, paragraph", [("what did yang xiuling study", 5), ("what did li bohu study", 2)])
def test_a_question_asking_of_someone_only_what_the_article_lacks_is_declined(engine, question, paragraph):
    answer = engine.ask(question)
    assert answer.abstained and "“study”" in answer.answer and answer.related[0].paragraph == paragraph


def test_words_the_closest_paragraph_lacks_are_not_said_to_be_missing_from_the_article(engine):
    answer = engine.ask("did li bohu release the report")  # ¶8 is about the report's release; ¶2 about him
    assert answer.abstained and "doesn't say anything about" not in answer.answer
    assert "it speaks of “release” and “report” in ¶8." in answer.answer  # not ¶1, whose "reporter" only stems alike


@pytest.mark.parametrize("question", ["what's the title of the report", "what's the report's title"])
def test_the_title_of_a_thing_is_its_name_not_another_things_title(engine, question):
    answer = engine.ask(question)  # not ¶2's "his speech titled "...""
    assert answer.citations[0].paragraph == 8 and "2020 Beijing Industrial Internet Development Report" in answer.answer
    unnamed = engine.ask("what is the free trade zone's name?")  # ¶7 speaks of "free trade demonstration zones"
    assert unnamed.abstained and unnamed.answer.startswith("The article doesn't name the “zone”")
    untitled = engine.ask("what was the title of yang xiuling's speech?")  # her paragraph gives her titles, not its
    assert untitled.abstained and untitled.answer.startswith("The article doesn't name the “speech”")


@pytest.mark.parametrize("question", ["what did the beijing official say", "what did the official from beijing say"])
def test_what_someone_said_is_answered_where_they_are_reported_saying_it(engine, question):
    answer = engine.ask(question)  # not ¶8, where the Beijing bureau only issues a report
    assert [c.paragraph for c in answer.citations] == [5] and "pointed out in her speech" in answer.answer


@pytest.mark.parametrize("question", ["how is beijing doing with industrial internet",
                                      "is beijing's industrial internet any good?",
                                      "so beijing's industrial internet, doing well or nah?", "what progress has beijing made?"])
def test_how_something_is_doing_is_answered_by_what_it_has_become(engine, question):
    answer = engine.ask(question)  # ¶6 "has shown ... It has become the development highland", not ¶8's report on it
    assert [c.paragraph for c in answer.citations] == [6] and ("It has become" in answer.answer or "has shown" in answer.answer)


def test_a_follow_up_naming_only_a_person_after_turns_that_named_no_one_is_about_that_person(engine):
    history = ["who is Li Bohu?", "what did he say?", "tell me more", "why?"]  # "why?" asked of no one
    answer = engine.ask("and Yang?", history)
    assert not answer.abstained and answer.citations[0].paragraph == 5 and "Yang Xiuling" in answer.answer


@pytest.mark.parametrize("question", ["what exactly were li bohu's specific recommendations?",
                                      "can you list li bohu's macro recommendations one by one?"])
def test_the_exact_content_of_things_named_only_by_their_purpose_is_not_given(engine, question):
    answer = engine.ask(question)  # ¶2: "macro recommendations for the development of ...": what for, not what
    assert answer.abstained and "doesn't say what the “recommendations” are, only what they are for" in answer.answer
    assert answer.related[0].paragraph == 2
    aimed = engine.ask("li bohu's macro recommendations, for what exactly")  # what they are for is what ¶2 says
    assert not aimed.abstained and aimed.citations[0].paragraph == 2 and "macro recommendations" in aimed.answer


@pytest.mark.parametrize("question", ["wat r beijing's plans going forward", "what will beijing do next?",
                                      "what are beijing's plans for the future"])
def test_plans_and_goals_are_answered_by_what_comes_next(engine, question):
    answer = engine.ask(question)  # ¶7 "In the next step, Beijing will ...", not ¶8's report with its "goals"
    assert answer.citations[0].paragraph == 7 and "In the next step" in answer.answer
    assert engine.ask("whats the budget plan for the report?").abstained  # a plan is not any paragraph's future


@pytest.mark.parametrize("question, paragraph", [("who talked about beijing at the forum", 5),
                                                 ("who gave a speech about beijing at the forum", 5),
                                                 ("who talks about manufacturing", 3)])
def test_who_talked_or_gave_a_speech_is_answered_where_someone_speaks(engine, question, paragraph):
    answer = engine.ask(question)  # not ¶8, where a bureau issues the report at the forum
    assert not answer.abstained and answer.citations[0].paragraph == paragraph


@pytest.mark.parametrize("question", ["who talked about the weather at the forum",
                                      "who spoke about the weather at the forum"])
def test_a_speaker_is_not_named_for_a_topic_no_one_spoke_about(engine, question):
    answer = engine.ask(question)  # "at the forum" says where, not what about: it must not hold the topic
    assert answer.abstained and not answer.citations


@pytest.mark.parametrize("question, deed", [("why was the forum postponed", "postponed"),
                                            ("when was the forum cancelled", "cancelled"),
                                            ("what time did the forum end", "end")])
def test_a_why_or_when_about_something_that_never_happened_is_not_answered(engine, question, deed):
    answer = engine.ask(question)  # not ¶1, where the forum kicked off, nor ¶8's report
    assert answer.abstained and not answer.citations and f"“{deed}”" in answer.answer


@pytest.mark.parametrize("question", ["when did the forum start", "when did the forum begin"])
def test_a_start_asked_in_other_words_is_answered_by_the_kick_off(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained and answer.citations[0].paragraph == 1 and "Yesterday morning" in answer.answer


@pytest.mark.parametrize("question, paragraphs", [
    ("who said the smart industrial internet is of great significance", [4, 3]),  # ¶4's words, ¶3's Li Bohu
    ("who said beijing will build a national demonstration base", [7, 5]),  # ¶7's words, ¶5's Yang Xiuling
    ("who said beijing is in a critical period", [5]),  # the words name her already
])
def test_who_said_what_the_article_says_cites_the_nearest_speaker_too(engine, question, paragraphs):
    from bot.answering import NEAREST_SPEAKER

    answer = engine.ask(question)
    assert not answer.abstained and [c.paragraph for c in answer.citations] == paragraphs
    assert (NEAREST_SPEAKER in answer.answer) == (len(paragraphs) > 1)


@pytest.mark.parametrize("question", ["name of li's presentation?", "what was li's lecture called"])
def test_a_speech_asked_for_by_another_word_for_it_is_named_by_its_title(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained and answer.citations[0].paragraph == 2 and "Research and Preliminary" in answer.answer
    assert engine.ask("what was yang's presentation called").abstained  # hers has no title


@pytest.mark.parametrize("question, abstained", [("who is he", False), ("how old is he", True),
                                                 ("which newspaper does he work for", True)])
def test_he_after_who_wrote_the_article_is_the_writer_of_the_byline(engine, question, abstained):
    answer = engine.ask(question, ["who wrote the article"])  # not Li Bohu, the first "he" of the article
    assert answer.abstained == abstained
    assert (answer.related if abstained else answer.citations)[0].paragraph == 1


def test_who_wrote_it_after_a_turn_about_the_report_is_about_the_report(engine):
    wrote = engine.ask("who wrote it", ["what report was released"])  # not the article's reporter
    assert wrote.abstained and wrote.related[0].paragraph == 8
    published = engine.ask("who published it", ["what report was released"])  # "issued"
    assert not published.abstained and published.citations[0].paragraph == 8 and "Bureau" in published.answer
    assert engine.ask("who wrote it").citations[0].paragraph == 1  # with nothing before: the article's byline


@pytest.mark.parametrize("question, abstained", [("what is zhongguancun", True),  # a name only used, never explained
                                                 ("what is the report", False)])  # a thing the article describes
def test_what_a_name_is_must_be_said_not_only_mentioned(engine, question, abstained):
    answer = engine.ask(question)
    assert answer.abstained == abstained
    if abstained:
        assert answer.answer.startswith("The article doesn't say what “zhongguancun”") and answer.related


def test_what_someone_said_is_not_answered_with_another_speakers_words(engine):
    answer = engine.ask("what did li say about beijing")  # ¶5-7 speak of Beijing, in Yang Xiuling's words
    assert answer.abstained and not answer.citations and "¶5" in answer.answer
    assert not engine.ask("what did li say about manufacturing").abstained  # ¶3, his own words


@pytest.mark.parametrize("question", ["what did li bohu and yang xiuling talk about", "what did li and yang talk about"])
def test_a_question_about_two_people_cites_each_of_them(engine, question):
    assert sorted(c.paragraph for c in engine.ask(question).citations) == [2, 5]


@pytest.mark.parametrize("question, paragraph, listed", [
    ("how many positions does yang xiuling hold", 5, "Secretary of the Party Leadership Group"),  # her two titles
    ("how many kinds of recommendations did li put forward", 2, "specific recommendations")])  # macro and specific
def test_a_count_the_article_gives_as_a_list_is_answered_with_the_list(engine, question, paragraph, listed):
    answer = engine.ask(question)
    assert not answer.abstained and answer.citations[0].paragraph == paragraph and listed in answer.answer


def test_a_count_of_things_named_once_is_not_a_list():
    from bot.answering import _listed

    assert not _listed("Beijing will build a platform system.", "platforms")
    assert not _listed("Li Bohu, academician of the Chinese Academy of Engineering, spoke.", "positions")


def test_where_something_is_mentioned_is_answered_with_the_passage(engine):
    answer = engine.ask("where is cloudification mentioned")
    assert not answer.abstained and answer.citations[0].paragraph == 3 and "cloudification" in answer.answer


def test_what_a_group_talked_about_is_answered_where_they_are_said_to_discuss_it(engine):
    answer = engine.ask("wat did the academicians actualy talk about")  # "academicians discussed the future of ..."
    assert not answer.abstained and answer.citations[0].paragraph == 1
    assert engine.ask("ok what about the chinese academician who spoke").citations[0].paragraph != 1  # names no one


@pytest.mark.parametrize("question, edition", [
    ("when's the next edition of the beijing development report coming out", "next edition"),
    ("what did the previous edition of the forum focus on", "previous edition")])
def test_another_edition_than_the_one_reported_is_not_answered_with_this_one(engine, question, edition):
    answer = engine.ask(question)  # the 2020 report and forum are the ones the article reports
    assert answer.abstained and f"doesn't say anything about “{edition}”" in answer.answer
    assert not engine.ask("what will beijing do in the next step").abstained  # a next step the article tells


@pytest.mark.parametrize("question", ["which specific industrial internet standards will beijing use to lead?",
                                      "which typical industries does the report name",  # "typical industries" only
                                      "which factories have already put li bohu's smart industrial internet into practice"])
def test_which_ones_is_declined_where_the_article_names_none(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and not answer.citations


@pytest.mark.parametrize("question, paragraph", [("which technologies are integrated", 3),  # "... and intelligent technologies"
                                                 ("which opportunities will beijing seize", 7),  # "opportunities of ..."
                                                 ("which zones is beijing expanding", 7)])
def test_which_ones_is_answered_where_the_article_says_which(engine, question, paragraph):
    answer = engine.ask(question)
    assert not answer.abstained and answer.citations[0].paragraph == paragraph


def test_a_thing_is_named_by_its_own_noun_not_by_another_word_of_its_stem():
    from bot.answering import names_it

    assert not names_it("leading companies and typical industries of the Industrial Internet", "industries")
    assert names_it("the 2020 Beijing Industrial Internet Development Report", "reports")


def test_the_names_of_some_of_a_kind_need_those_ones_named(engine):
    foreign = engine.ask("what are the names of the foreign academicians who spoke at the forum?")
    assert foreign.abstained and "doesn't name the “academicians”" in foreign.answer  # Li Bohu is a Chinese one
    big = engine.ask("what's the name of the big forum")  # "big" says how big, not which
    assert not big.abstained and big.citations[0].paragraph == 1
