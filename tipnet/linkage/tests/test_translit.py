import pytest

from tipnet.linkage import latin_form, latin_variants, name_keys, name_similarity
from tipnet.linkage.scripts import detect_script, guess_language


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("Шухрат Юсупов", "Cyrl"),
        ("Shuhrat Yusupov", "Latn"),
        ("محمد عبد الله", "Arab"),
        ("สมชาย วงศ์สวัสดิ์", "Thai"),
        ("123 --", "Zyyy"),
    ],
)
def test_it_detects_the_script(name, script):
    assert detect_script(name) == script


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("Шухрат Юсупов", "ru"),
        ("Ғайратов Ўткир", "uz"),
        ("Нұрсұлтан Әбішұлы", "kk"),
        ("Сооронбай Жээнбеков Үсөн", "ky"),
        ("Эмомалӣ Раҳмон", "tg"),
        ("Gulnora Karimova", None),
        ("محمد", "ar"),
    ],
)
def test_it_guesses_the_language_from_national_letters(name, lang):
    assert guess_language(name) == lang


def test_the_canonical_form_is_the_passport_style_with_natural_capitals():
    assert latin_form("Шухрат Юсупов") == "Shukhrat Yusupov"
    assert latin_form("ШУХРАТ ЮСУПОВ") == "Shukhrat Yusupov"
    assert latin_form("  Гулнора   Каримова ") == "Gulnora Karimova"


def test_russian_names_get_the_icao_and_english_spellings_too():
    variants = latin_variants("Юрий Щербаков")
    assert variants[0] == "Yuriy Shcherbakov"
    assert "Iurii Shcherbakov" in variants  # ICAO Doc 9303
    assert "Yury Shcherbakov" in variants  # Wikipedia/English style


def test_central_asian_letters_are_folded_in_passport_style():
    assert latin_form("Ғайратов Ўткир Қаҳрамонович") == "Gayratov Utkir Kakhramonovich"
    assert latin_form("Нұрсұлтан Назарбаев") == "Nursultan Nazarbayev"
    assert latin_form("Эмомалӣ Раҳмон") == "Emomali Rakhmon"


def test_uzbek_cyrillic_also_gets_the_official_latin_alphabet():
    variants = latin_variants("Ғайратов Ўткир")
    assert "G'ayratov O'tkir" in variants
    assert "Gayratov Otkir" in variants


def test_uzbek_latin_apostrophes_give_the_folded_spellings():
    variants = latin_variants("Oʻtkir Gʻayratov")
    assert variants[0] == "Oʻtkir Gʻayratov"
    assert "Otkir Gayratov" in variants
    assert "Utkir Gayratov" in variants


def test_variants_are_distinct_ignoring_case():
    variants = latin_variants("Гулнора Каримова")
    assert len({v.lower() for v in variants}) == len(variants)


def test_latin_names_keep_their_mixed_case():
    assert latin_form("McDonald O'Brien") == "McDonald O'Brien"


def test_other_scripts_fall_back_to_ascii():
    assert latin_form("محمد عبد الله").isascii()
    assert latin_form("สมชาย").isascii()
    assert latin_form("محمد") != ""


def test_an_empty_name_has_no_variants():
    assert latin_variants("   ") == []
    assert latin_form("") == ""


def test_thai_names_also_get_the_royal_thai_general_system_spelling():
    assert "Somchai Wongswat" in latin_variants("สมชาย วงศ์สวัสดิ์")
    # The passport spelling shares every key with the RTGS one.
    assert name_keys("Somchai Wongsawat") <= name_keys("สมชาย วงศ์สวัสดิ์")
    assert name_similarity("สมชาย วงศ์สวัสดิ์", "Somchai Wongsawat") > 0.95
