"""The question-analysis stage on its own: cleaning, spelling, focus, names, language, follow-ups."""
import pytest

from bot.question import LAST_PARAGRAPH, Analyser, Focus, _edits1, specificity, split_questions
from bot.text import stem

CORPUS = ["Li Bohu, academician of the Chinese Academy of Engineering, explained the architecture.",
          "Yang Xiuling pointed out in her speech that Beijing is in a critical period.",
          "The 2020 forum in Zhongguancun released two major achievements and a development report."]


@pytest.fixture(scope="module")
def analyser():
    return Analyser(CORPUS)


def test_chatter_is_dropped_and_shorthand_expanded(analyser):
    q = analyser.analyse("hi all, sorry if this is obvious, but whats li bohu's speech about? thx")
    assert "sorry" not in q.text and "thx" not in q.text and "what is" in q.text
    assert {"li", "bohu", "speech"} <= set(q.words)


@pytest.mark.parametrize("typed, text", [
    ("diff question, who wrote this article", "who wrote this article"),  # a new topic announced
    ("hey bot did li bohu speak", "did li bohu speak"), ("bot: who is li bohu", "who is li bohu"),  # the bot addressed
    ("whats the word on li bohu's speech", "li bohu speech"),  # an idiom for "what does it say about"
])
def test_what_comes_before_the_question_is_not_part_of_it(analyser, typed, text):
    assert analyser.analyse(typed).text == text


def test_the_bot_named_inside_a_question_is_kept(analyser):
    assert "bot" in analyser.analyse("did the article mention a bot").words


@pytest.mark.parametrize("typed", ["who is li bohu, as i'm writing a summary for my study group",
                                   "who is li bohu because we discuss it in class tomorrow"])
def test_why_the_asker_asks_is_not_part_of_the_question(analyser, typed):
    assert analyser.analyse(typed).text == "who is li bohu"


@pytest.mark.parametrize("typed, fixed", [("acadmician", "academician"), ("beiijng", "beijing"), ("reoprt", "report"),
                                          ("devlopment", "development")])
def test_typos_are_corrected_against_the_corpus(analyser, typed, fixed):
    assert fixed in analyser.analyse(f"what about the {typed}").text.split()


@pytest.mark.parametrize("typed", ["acadmiciann", "achievemnets", "develpoment", "zhongguancunn", "architectur", "xyzzyxyzzy"])
def test_two_edit_neighbours_are_those_every_second_edit_would_spell_out(analyser, typed):
    """Corpus words and their stems ("recommend" for "recommendations") are the targets, found exactly."""
    spelled_out = {w2 for w1 in _edits1(typed) for w2 in _edits1(w1) if w2 in analyser.surface | analyser.stems}
    assert analyser._two_edits(_edits1(typed)) == spelled_out


def test_an_unknown_name_is_not_corrected_into_a_corpus_word(analyser):
    q = analyser.analyse("what did tencent say")
    assert "tencent" in q.text and q.unknown == ("tencent",)


@pytest.mark.parametrize("question, focus", [
    ("how many achievements were released", Focus.NUMBER), ("when did the forum start", Focus.DATE),
    ("where was it held", Focus.PLACE), ("who is li bohu", Focus.PERSON), ("why is beijing important", Focus.REASON),
    ("is yang an academician", Focus.YES_NO), ("what did the report cover", Focus.THING),
    ("how much has the platform improved, a bit or a lot", Focus.THING),  # a degree, not a number
    ("how much did a ticket cost", Focus.NUMBER), ("how much money is beijing investing", Focus.NUMBER),
    ("how big a deal is the smart industrial internet", Focus.THING), ("how big is the venue", Focus.NUMBER),
    ("in the age of ai what did li recommend", Focus.THING),
    ("ok who brought it up then", Focus.PERSON), ("so when did it start", Focus.DATE),  # chatter before the question
    ("lol when it says 'my country' which country is that", Focus.PLACE),  # "when it says": no time asked
    ("what's the report for?", Focus.REASON), ("what is it for, like its goal", Focus.REASON),  # a purpose
    ("what are the plans for beijing", Focus.THING),  # "for" + what the plans are about: no purpose asked
    ("what is the report meant to do", Focus.REASON), ("what's it supposed to accomplish", Focus.REASON),
    ("what is it supposed to be centered on", Focus.THING), ("what are they trying to build", Focus.THING),
    ("what is the report designed to cover", Focus.THING), ("what is beijing hoping to build", Focus.THING),
    ("where is cloudification mentioned", Focus.THING), ("where in the article is the report", Focus.THING),  # the text
])
def test_focus(analyser, question, focus):
    assert analyser.analyse(question).focus == focus


@pytest.mark.parametrize("question, words", [
    ("what's it supposed to accomplish", ()), ("what is the report meant to achieve", ("report",)),
    ("what is it meant to promote", ("promote",)),  # a verb saying what kind of aim is still looked for
    ("why does the report matter", ("report",)), ("what does the subject matter cover", ("subject", "matter", "cover")),
    ("what is beijing doing next", ("beijing", "next")), ("whats in the dev report", ("development", "report")),
    ("which standards tho", ("standards",)),  # "tho": a tone, not a topic
])
def test_words_that_only_say_how_a_thing_is_asked_are_not_looked_for(analyser, question, words):
    assert analyser.analyse(question).words == words


@pytest.mark.parametrize("question, ordinal", [("and the other achievement?", "other"), ("what was the other one", "other"),
                                               ("what are the other characteristics", None),  # the rest of a list
                                               ("and the second?", "second"), ("when was the first forum held", "first"),
                                               ("why was it made in the first place", None),  # an idiom
                                               ("is that the 1st one ever or another round?", None)])  # one of two
def test_an_ordinal_asks_for_one_item_the_other_plural_for_the_rest(analyser, question, ordinal):
    assert analyser.analyse(question).ordinal == ordinal


@pytest.mark.parametrize("question, head", [("which university did yang xiuling study at", "university"),
                                            ("what's zhang qin's email", "email"), ("which 3 things does li want", None),
                                            ("what did li say", None), ("how many days does it last", "days"),
                                            ("how many pages is the report", "pages"), ("what year was it", None),
                                            ("how many people showed up", "people"),
                                            ("who's the acadmician that spoke", "academician"),
                                            ("how many leading companies are there", "companies"),
                                            ("who is the director of the bureau", "director"),
                                            ("who's the government official that spoke", None),
                                            ("which academician actually gets named", "academician"),
                                            ("what does beijing plan to do next", None),
                                            ("who moderated the forum", "moderated"), ("who took part", None),
                                            ("who is li bohu", None),
                                            ("which standards tho", "standards"),  # not the chatter after it
                                            ("which parties, name them", "parties"),  # nor what is asked done
                                            ("could someone kindly share the official website of the bureau",
                                             "website"), ("give me the email of the bureau", "email"),  # requests
                                            ("what are beijing's plans going forward", None),  # not "forward"
                                            ("how many kinds of recommendations did li make", "recommendations"),
                                            ("how many positions yang xiuling has", "positions"),  # not her name
                                            ("how many industrial internet platforms are there", "platforms"),
                                            ("which companies make those terminals", "companies")])  # not its object
def test_head_names_what_is_asked_for(analyser, question, head):
    assert analyser.analyse(question).head == head


def test_names_typed_apart_are_joined(analyser):
    q = analyser.analyse("yang xiu ling beijing")
    assert "xiuling" in q.words and q.unknown == ()


def test_chinese_names_are_recognised_through_pinyin(analyser):
    q = analyser.analyse("李伯虎和杨秀玲在中关村说了什么？")
    assert q.language == "zh"
    assert {"Li Bohu", "Yang Xiuling", "Zhongguancun"} <= set(q.names)


def test_follow_ups_are_recognised(analyser):
    assert analyser.analyse("what did she say next?").refers_back
    assert analyser.analyse("ok go on, tell me more").wants_more
    assert not analyser.analyse("what did Yang Xiuling say?").refers_back
    assert not analyser.analyse("what else did the report cover besides the key projects and the cases?").wants_more


def test_alternatives_let_either_side_answer(analyser):
    q = analyser.analyse("mostly business execs or academics?")
    assert q.alternatives and any("academ" in side for pair in q.alternatives for side in pair)


@pytest.mark.parametrize("question", ["in which industry?", "anything more specific?", "and what did she say",
                                      "thanks to whom?", "why?", "what year", "how old?"])
def test_elliptical_questions_lean_on_the_turn_before(analyser, question):
    assert analyser.analyse(question).refers_back


@pytest.mark.parametrize("remark", ["lol", "hmm", "no"])
def test_a_remark_is_not_a_follow_up(analyser, remark):
    assert not analyser.analyse(remark).refers_back


@pytest.mark.parametrize(("question", "paragraph"), [
    ("what is in paragraph 3", 3), ("para 2?", 2), ("what does ¶4 say", 4), ("summarize the 2nd para", 2),
    ("what's the first paragraph about", 1), ("the last paragraph pls", LAST_PARAGRAPH), ("paragraph five", 5),
    ("who is li bohu", None), ("what's the first achievement", None)])
def test_a_paragraph_asked_for_by_its_place(analyser, question, paragraph):
    analysed = analyser.analyse(question)
    assert analysed.paragraph == paragraph
    assert paragraph is None or analysed.ordinal is None  # "the *first* paragraph" asks for no first thing
    if paragraph is not None:  # the place is not what the question is about; the document is the one talked about
        assert not {"paragraph", "para", "3", "2nd"} & set(analysed.words) and analysed.refers_back


@pytest.mark.parametrize(("question", "owners"), [
    ("what does the report say about shanghai's industrial internet?", ("shanghai",)), ("what is beijing's plan", ("beijing",)),
    ("does the city's roadmap mention standards", ()), ("whose idea is the cloud, li's or yang's?", ()),
    ("what is today's forum about", ()), ("how was last year's forum", ())])  # everyday words, no names
def test_a_possessor_named_bare_is_kept_apart(analyser, question, owners):
    assert analyser.analyse(question).owners == owners


@pytest.mark.parametrize("message, questions", [
    ("what was the theme? and what report was released?", ["what was the theme?", "what report was released?"]),
    ("when did the forum start and who wrote the article", ["when did the forum start", "who wrote the article"]),
    ("who is yang xiuling? also what did li bohu recommend?", ["who is yang xiuling?", "what did li bohu recommend?"]),
    ("does industrial transformation come up anywhere? in what context", None),  # clarifies the first
    ("what did yang say in her speech? summary pls", None), ("how many kinds? like 2? 3?", None),
    ("who is li bohu and what did he say?", None),  # the second asks nothing of its own
    ("what did li say and what else", None)])
def test_two_questions_in_one_message_are_told_apart(message, questions):
    assert split_questions(message) == (questions or [message])


def test_about_the_article_itself(analyser):
    assert analyser.analyse("who wrote this?").about_document
    assert not analyser.analyse("what does the report cover").about_document
    assert analyser.analyse("whats the headline").about_document
    assert analyser.analyse("what's the title?").about_document
    assert not analyser.analyse("what was the title of li's speech").about_document  # a title the article quotes


def test_specificity_weighs_rare_words_over_everyday_ones():
    assert specificity("university") > specificity("need")
    assert specificity("3") == 0.0 and specificity("2020") == 1.0


def test_acronyms_and_mixed_tokens_the_corpus_never_uses_are_unknown_names(analyser):
    assert analyser.analyse("is ICT part of it").unknown == ("ICT",)
    assert analyser.analyse("which 5G companies").unknown == ("5G",)


def test_an_unknown_name_offered_beside_a_known_one_is_no_missing_name(analyser):
    assert analyser.analyse("is he a cas or cae guy").unknown == ()  # either is enough; the corpus has the CAE
    assert analyser.analyse("is he from tencent or alibaba").unknown == ("tencent", "alibaba")


def test_a_word_picking_one_of_several_is_no_thing_asked_for(analyser):
    assert analyser.analyse("and the other title?").name_of is None  # the title, of the other kind
    assert analyser.analyse("what's the last step called").name_of == "step"
    assert analyser.analyse("which next steps").head == "steps"


def test_a_request_put_as_a_question_is_no_yes_no_question(analyser):
    assert analyser.analyse("could someone share the website of the bureau").focus == Focus.THING
    assert analyser.analyse("could the forum have been online").focus == Focus.YES_NO
    assert analyser.analyse("did they post the report online").head is None  # asks no one to post anything
    assert analyser.analyse("could you give the date of the forum").head is None  # when: the focus, not a word


@pytest.mark.parametrize("question, measure", [("how old is he", "age"), ("how much did a ticket cost", "money"),
                                               ("how long did the speech last", "duration"),
                                               ("by what percent did it grow", "percent"), ("how many came", None),
                                               ("what year was it", "year"), ("how big is the market in yuan", "money"),
                                               ("how many dollars did it cost", "money"), ("what's in it", None)])
def test_the_kind_of_number_asked_for(analyser, question, measure):
    assert analyser.analyse(question).measure == measure


def test_polite_lead_ins_and_remarks_about_the_asker_are_dropped(analyser):
    q = analyser.analyse("Good morning! I was hoping someone might kindly let me know who wrote the report? "
                         "I'm trying to decide whether to read it.")
    assert q.text.startswith("who wrote") and "decide" not in q.words
    q = analyser.analyse("hi! sorry to bother, i'm still confused, what does china's manufacturing need to adapt to? "
                         "any help appreciated")
    assert q.text.startswith("what does") and {"manufacturing", "adapt"} <= set(q.words) and "help" not in q.words
    q = analyser.analyse("I was just wondering whether Yang Xiuling holds a Party position, and if so, what it is?")
    assert {"yang", "xiuling", "party", "position"} <= set(q.words)  # the lead-in goes, the question it leads stays


def test_run_together_words_are_split_but_names_are_not(analyser):
    assert "life cycle" in analyser.analyse("the whole product lifecycle").text
    assert analyser.analyse("did tencent speak").unknown == ("tencent",)


def test_irregular_verb_forms_share_their_verb_s_stem():
    from bot.text import stem
    assert stem("led") == stem("leading") and stem("spoke") == stem("speaks") and stem("wrote") == stem("writing")
    assert stem("left") == "left"  # as often a direction as a verb: left alone


def test_nouns_a_suffix_stemmer_cannot_join_to_their_verb_share_its_stem():
    assert stem("speech") == stem("spoke") == stem("speakers") and stem("decision") == stem("decided")


def test_abbreviations_of_corpus_names_are_written_out(analyser):
    assert "chinese academy of engineering" in analyser.analyse("what did the cae academician recommend").text
    assert "zhongguancun" in analyser.analyse("which yr's zgc forum is this").text  # a romanised name's syllables
    assert analyser.analyse("is it about ai").text == "is it about artificial intelligence"  # shorthand, not a name


def test_a_year_the_corpus_never_mentions_is_unknown(analyser):
    assert analyser.analyse("was it bigger than the 2019 one").unknown == ("2019",)
    assert analyser.analyse("what was the 2020 forum's theme").unknown == ()


def test_the_other_spelling_of_a_corpus_word_is_the_corpus_word(analyser):
    practice = Analyser(["Research and Preliminary Practice in the Smart Era"])
    assert "practice" in practice.analyse("was it theory or actual practise").words
    assert Analyser(["They organize it."]).correct("organise") == "organize"
    assert Analyser(["They organise it."]).correct("organize") == "organise"
    assert Analyser(["They met."]).correct("organise") == "organise"  # no corpus word to map it to
    assert Analyser(["It is for you."]).correct("four") == "four"  # "our"/"or" only in longer words: colour, honour
    assert Analyser(["Prices rose."]).correct("rise") == "rise" and Analyser(["Rice."]).correct("rise") == "rise"


def test_swearing_for_emphasis_is_chatter(analyser):
    assert analyser.analyse("yo who tf is li bohu").words == ("li", "bohu")
    assert analyser.analyse("wtf did yang say abt beijing").words == ("yang", "beijing")


def test_asking_for_a_summary_is_how_to_answer_not_what(analyser):
    assert analyser.analyse("main point of beijing's report, summarize pls").words == ("beijing", "report")


def test_a_two_syllable_name_is_abbreviated_by_two_letters(analyser):
    assert "beijing" in analyser.analyse("how has bj's industrial internet been doing").text  # bei-jing
    names = Analyser(["Officials from Guangzhou and Shanghai met. Banging drums, bands kept banging all day."])
    assert names.abbreviations["gz"] == "Guangzhou"
    assert "sh" not in names.abbreviations  # "sh" is an English word (hush): it names nothing
    assert "bg" not in names.abbreviations  # "Banging" splits as ban-ging, but the corpus also writes it in lower case
    assert Analyser(["Banging drums, they marched."]).abbreviations == {}  # capitalised only to start a sentence
    assert "xl" not in analyser.abbreviations  # Xiuling: a word of Yang Xiuling's name, never alone


def test_only_whole_names_are_abbreviated():
    names = Analyser(["The Beijing Municipal People’s Government and the Chinese Academy of Engineering met."])
    assert names.abbreviations == {"bmpg": "Beijing Municipal People’s Government",
                                   "cae": "Chinese Academy of Engineering"}  # no "bmp": a part names nothing; no
    # "bj": Beijing is never alone here


def test_a_word_far_longer_than_any_corpus_word_is_not_corrected(analyser):
    assert analyser.correct("abcdefghij" * 500) == "abcdefghij" * 500  # no corpus word is within two edits


def test_a_typo_two_edits_from_a_corpus_stem_is_corrected_to_it():
    corrected = Analyser(["Li Bohu put forward specific recommendations."]).correct("reccomend")
    assert stem(corrected) == stem("recommendations")  # no corpus word is two edits away, its stem is


@pytest.mark.parametrize("typed, thing", [
    ("what's the actual name of the report yang xiuling wrote", "report"),  # not the name after it
    ("what are the zones actually called", "zones"), ("which companies did she mention by name", "companies"),
    ("what are the names of the people who spoke", None),  # people: a who-question's checks
    ("whats her name", None), ("which academician actually gets named", "academician"),  # a word of a name, but English
    ("which yang xiuling companies did she mention by name", "companies"),  # a name before the thing says whose
    ("what's the title of the report", "report"), ("what's the report's title", "report"),
    ("what is the free trade zone's name?", "zone"),
    ("name the foreign academicians", "academicians"), ("name all speakers", None),  # told to name them
    ("name of the report released at the forum", "report"),  # not the verb after it
    ("names of the supporting industries", "industries"),
])
def test_the_thing_whose_name_is_asked(analyser, typed, thing):
    assert analyser.analyse(typed).name_of == thing


def test_what_something_is_said_about_is_the_topic(analyser):
    assert analyser.analyse("what did yang say about the critical period").topic == ("critic", "period")
    assert analyser.analyse("who is li bohu").topic == ()
    assert analyser.analyse("who spoke about the weather at the forum").topic == ("weather",)  # where, not what


@pytest.mark.parametrize("question, head", [("who talked about beijing", "talked"), ("who gave a speech on ai", "speech"),
                                            ("who took part", None)])
def test_speaking_asked_after_who_is_the_deed_asked(analyser, question, head):
    analysed = analyser.analyse(question)
    assert analysed.head == head and (head is None or head in analysed.words)


@pytest.mark.parametrize("question, asks", [("who said that", True), ("ok who said all this?", True),
                                            ("whose idea is that", True), ("who said beijing is a highland", False),
                                            ("who came up with that", True), ("who put that forward?", True),
                                            ("who spoke at the forum", False)])
def test_who_said_that_asks_for_the_speaker_of_what_was_shown(analyser, question, asks):
    assert analyser.analyse(question).asks_speaker == asks


@pytest.mark.parametrize("question, thing", [
    ("what does 'new ubiquitous internet' mean exactly", ("new", "ubiquitous", "internet")),
    ("what does li bohu mean by smart manufacturing", ("smart", "manufacturing")),
    ("what did she mean", ()),  # what someone meant, not a definition
    ("what does the report mean for beijing", ()),  # what it matters for
    ("who is li bohu", ())])
def test_a_definition_question_names_the_thing_to_define(analyser, question, thing):
    assert analyser.analyse(question).defines == thing


def test_a_passive_get_names_no_thing(analyser):
    assert analyser.analyse("what gets managed in it").head is None


@pytest.mark.parametrize("question, more, about", [
    ("tell me more", True, ()), ("anything else from the forum?", True, ("forum",)),
    ("what else about the report", True, ("report",)), ("what else is it based on", False, ())])
def test_more_about_a_topic_is_still_more(analyser, question, more, about):
    q = analyser.analyse(question)
    assert (q.wants_more, q.more_about) == (more, about)


@pytest.mark.parametrize("question, deed", [("why was the forum postponed", "postponed"),
                                            ("why did li bohu cancel his talk", "cancel"),
                                            ("when was the report released", None),  # the corpus says it
                                            ("when did the forum take place", None),  # a light verb
                                            ("why does it need upgrading", None),  # an everyday word
                                            ("is beijing a leader", None)])  # no why or when
def test_the_deed_of_a_why_or_when_question_is_a_verb_the_corpus_never_uses(analyser, question, deed):
    assert analyser.analyse(question).deed == deed


@pytest.mark.parametrize("question, thing", [
    ("what is the smart industrial internet", ("smart", "industrial", "internet")),
    ("what exactly is the smart industrial internet per li bohu", ("smart", "industrial", "internet")),
    ("what's the report according to yang", ("report",)),  # as someone named says it is
    ("what's beijing hoping to do for the capital's industry", ())])  # a purpose, not a thing to describe
def test_what_is_names_the_thing_to_describe(analyser, question, thing):
    assert analyser.analyse(question).described == thing
