"""National Latin spellings of Tajik, Kazakh, Kyrgyz and Turkmen names (tipnet.linkage.national)."""

import pytest

from tipnet.linkage import latin_form, latin_variants, name_keys, name_similarity
from tipnet.linkage.scripts import guess_language


def _spellings(name, lang):
    """The spellings with the language given and with it guessed from the letters."""
    return set(latin_variants(name, lang)), set(latin_variants(name))


def _assert_spelled(name, lang, expected, guessable=True):
    given, guessed = _spellings(name, lang)
    assert expected in given
    if guessable:  # the letters tell the language, so the spelling comes without a hint too
        assert expected in guessed


def test_tajik_names_get_the_tajik_passport_spellings():
    _assert_spelled("Эмомалӣ Раҳмон", "tg", "Emomali Rahmon")
    _assert_spelled("Ҷамшед", "tg", "Jamshed")
    _assert_spelled("Ғафур Қодиров", "tg", "Ghafur Qodirov", guessable=False)  # Ғ Қ: also Uzbek
    _assert_spelled("Ҷӯрабек Қаҳҳоров", "tg", "Jurabek Kahhorov")  # the g/k column


def test_kazakh_names_get_the_passport_and_2021_latin_spellings():
    _assert_spelled("Нұрсұлтан Назарбаев", "kk", "Nursultan Nazarbayev")
    _assert_spelled("Нұрсұлтан Назарбаев", "kk", "Nursultan Nazarbaev")
    _assert_spelled("Шыңғыс Әбішев", "kk", "Shyngys Abishev")
    _assert_spelled("Шыңғыс Әбішев", "kk", "Shynghys Aebishev")  # 2021 Latin, digraph folding


def test_kazakh_zh_is_written_both_zh_and_j_as_the_passport_office_does():
    # Қ alone is also an Uzbek letter, so this name needs the language to be given.
    variants = latin_variants("Қасым-Жомарт Тоқаев", "kk")
    assert "Kasym-Zhomart Tokayev" in variants
    assert "Kasym-Jomart Tokayev" in variants
    assert "Qasym-Jomart Toqaev" in variants


def test_kyrgyz_names_get_the_kyrgyz_passport_spellings():
    # Without a Kyrgyz letter (Ү Ө Ң) a name is guessed as Russian-style Cyrillic.
    _assert_spelled("Алмазбек Атамбаев", "ky", "Almazbek Atambaev", guessable=False)
    _assert_spelled("Алмазбек Атамбаев", "ky", "Almazbek Atambayev", guessable=False)
    _assert_spelled("Сооронбай Жээнбеков", "ky", "Sooronbay Zheenbekov", guessable=False)
    _assert_spelled("Сооронбай Жээнбеков", "ky", "Sooronbay Jeenbekov", guessable=False)
    _assert_spelled("Чыңгыз Айтматов", "ky", "Chyngyz Aytmatov")
    _assert_spelled("Өмүрбек Түгөлбаев", "ky", "Oemuerbek Tuegoelbaev")


def test_turkmen_latin_names_get_the_russian_passport_respelling():
    _assert_spelled("Şatlyk Çaryýew", "tk", "Shatlyk Charyyev")
    _assert_spelled("Gurbanguly Berdimuhamedow", "tk", "Gurbanguly Berdimuhamedov", guessable=False)


def test_turkmen_cyrillic_names_get_the_turkmen_latin_alphabet():
    # Only Җ tells Turkmen Cyrillic from Russian and Kyrgyz.
    _assert_spelled("Гурбангулы Бердимухамедов", "tk", "Gurbanguly Berdimuhamedow", guessable=False)
    _assert_spelled("Җумагелди Өвезов", "tk", "Jumageldi Öwezow")
    _assert_spelled("Җумагелди Өвезов", "tk", "Jumageldi Owezow")


# Pairs of one person's records: a name with national letters, and the other script or spelling
# whose every key must be among the first name's keys.
_PAIRS = [
    ("Şatlyk Çaryýew", "Шатлык Чарыев"),
    ("Җумагелди Өвезов", "Jumageldi Öwezow"),
    ("Şatlyk Çaryýew", "Shatlyk Charyev"),
]


@pytest.mark.parametrize(("a", "b"), _PAIRS)
def test_national_spellings_share_keys_with_the_other_script(a, b):
    assert name_keys(b) <= name_keys(a)
    assert name_similarity(a, b) > 0.95


# Pairs from the spellings in the news and in passports: these already shared keys through the
# anyascii spelling and the skeleton (kh = h, zh = j, q = k, w = v); kept so the national tables
# cannot break them.
_SKELETON_PAIRS = [
    ("Шыңғыс Әбішев", "Shyngys Abishev"),
    ("Еңлік Сейітова", "Englik Seitova"),
    ("Чыңгыз Айтматов", "Chyngyz Aitmatov"),
    ("Эмомалӣ Раҳмон", "Emomali Rahmon"),
    ("Ҷамшед", "Jamshed"),
    ("Нұрсұлтан Назарбаев", "Nursultan Nazarbayev"),
    ("Қасым-Жомарт Тоқаев", "Kassym-Jomart Tokayev"),
    ("Қасым-Жомарт Тоқаев", "Qasym-Jomart Toqaev"),
    ("Алмазбек Атамбаев", "Almazbek Atambayev"),
    ("Сооронбай Жээнбеков", "Sooronbay Jeenbekov"),
    ("Gurbanguly Berdimuhamedow", "Gurbanguly Berdymukhamedov"),
    ("Гурбангулы Бердимухамедов", "Gurbanguly Berdimuhamedow"),
]


@pytest.mark.parametrize(("a", "b"), _SKELETON_PAIRS)
def test_passport_and_news_spellings_of_one_name_still_match(a, b):
    assert name_keys(a) & name_keys(b)
    assert name_similarity(a, b) > 0.9


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Эмомалӣ Раҳмон", "Emomali Rakhmon"),
        ("Нұрсұлтан Назарбаев", "Nursultan Nazarbayev"),
        ("Сооронбай Жээнбеков", "Sooronbay Zheenbekov"),
        ("Şatlyk Çaryýew", "Şatlyk Çaryýew"),
    ],
)
def test_the_canonical_form_does_not_change(name, canonical):
    assert latin_form(name) == canonical


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("Şatlyk Çaryýew", "tk"),
        ("Maýa Nyýazowa", "tk"),
        ("Җумагелди Өвезов", "tk"),
        ("Müller", None),
    ],
)
def test_it_guesses_turkmen_from_turkmen_letters(name, lang):
    assert guess_language(name) == lang
