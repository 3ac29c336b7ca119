"""The letter's offence section quotes the law's text of each article the request cites."""

from tipnet.mla import actions
from tipnet.mla.letters import render_html
from tipnet.mla.offences import cited_articles, cited_numbers


def test_citations_are_read_in_each_language():
    texts = ("Art. 135 of the Criminal Code", "ст. 127-1 УК РФ", "135-moddasi", "section 6")
    assert cited_numbers(*texts) == ["135", "127.1", "6"]


def test_an_article_is_found_only_in_its_states_law():
    assert [a["number"] for a in cited_articles("UZ", "art. 135", lang="en")] == ["135"]
    assert cited_articles("KZ", "art. 135", lang="en") == []


def test_the_english_letter_quotes_article_135(complete_to_ae):
    html = render_html(complete_to_ae, "en")
    offences = html.split("Offences and their legal qualification")[1].split("<h2>")[0]
    assert (
        "Criminal Code of the Republic of Uzbekistan, art. 135. Trafficking in persons" in offences
    )
    assert "recruitment, transportation, transfer, harbouring or receipt" in offences
    assert "lex.uz" in offences


def test_the_russian_letter_quotes_it_in_russian(complete_to_kz):
    html = render_html(complete_to_kz, "ru")
    assert "Уголовный кодекс Республики Узбекистан" in html
    assert "Вербовка, перевозка, передача, укрывательство или получение человека" in html


def test_a_letter_citing_no_known_article_quotes_none(complete_to_ae, prosecutor):
    complete_to_ae.case.offence_articles = ""
    complete_to_ae.case.save(update_fields=["offence_articles"])
    actions.do_update_request(
        prosecutor,
        complete_to_ae,
        "facts",
        {
            "facts": complete_to_ae.facts,
            "offences": "Fraud under the Criminal Code.",
            "purpose": complete_to_ae.purpose,
        },
    )
    assert "Trafficking in persons</h3>" not in render_html(complete_to_ae, "en")
