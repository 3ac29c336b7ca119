"""A seeded generator of synthetic person records from Central Asia, with realistic noise.

Never real people: names are drawn independently from common given names and surnames of the
region, so every combination is made up. Each person gets one to four records as different
agencies would write them: in Cyrillic or in one of several Latin spellings, surname first or
last, with or without a patronymic, with typos, partial dates of birth and missing phones.
"""

import random
from collections.abc import Iterator

from tipnet.linkage.translit import latin_variants

# Common given names and surnames (Cyrillic, as written in Uzbekistan, Kazakhstan, Kyrgyzstan
# and Tajikistan); the language tag picks the patronymic style and the national Latin spelling.
GIVEN_MALE = {
    "uz": "Шухрат Алишер Ўткир Бахтиёр Жасур Отабек Санжар Фаррух Ғайрат Ҳусан Дилшод Бобур "
    "Азиз Улуғбек Шерзод Мухаммад Рустам Зафар Элёр Ботир",
    "kk": "Нұрсұлтан Ержан Асқар Дәурен Серік Бауыржан Қайрат Арман Мұрат Ерлан",
    "ky": "Сооронбай Алмазбек Бакыт Нурлан Азамат Эрмек Үсөн Жыргалбек",
    "tg": "Эмомалӣ Фирдавс Ҷамшед Шоҳрух Далер Манучеҳр Сино Рустам",
    "ru": "Сергей Алексей Дмитрий Юрий Евгений Андрей Владимир Николай",
}
GIVEN_FEMALE = {
    "uz": "Гулнора Дилноза Малика Нодира Шаҳноза Зарина Мадина Феруза Ҳилола Юлдуз Ўғилой",
    "kk": "Айгүл Әсел Жанар Гүлмира Динара Сәуле Ақмарал",
    "ky": "Айпери Гүлзат Назира Бермет Жылдыз Чолпон",
    "tg": "Ситора Манижа Таҳмина Дилафрӯз Шаҳло Нигина",
    "ru": "Елена Ольга Наталья Татьяна Юлия Светлана Ирина",
}
SURNAMES = {
    "uz": "Юсупов Каримов Ғайратов Рахимов Тошматов Усмонов Алиев Назаров Қодиров Ҳасанов "
    "Эргашев Мирзаев Исмоилов Холматов Турсунов Абдуллаев Умаров Жўраев Саидов Норматов",
    "kk": "Назарбаев Сүлейменов Әбдірахманов Жұмабаев Қасымов Омаров Есенов Серікбаев",
    "ky": "Жээнбеков Осмонов Бакиев Ташиев Асанов Мамытов Үсөнов",
    "tg": "Раҳмонов Саидов Шарипов Ҷураев Назаров Каримов Давлатов",
    "ru": "Иванов Петров Смирнов Кузнецов Щербаков Волков Соколов Лебедев",
}
PLACES = "Тошкент Самарқанд Бухоро Наманган Андижон Алматы Бишкек Ош Душанбе Хуҷанд Москва Дубай"
PHONE_PREFIX = {"uz": "+99890", "kk": "+7701", "ky": "+996555", "tg": "+99293", "ru": "+7916"}
COUNTRY = {"uz": "UZ", "kk": "KZ", "ky": "KG", "tg": "TJ", "ru": "RU"}
LANGS = ("uz", "uz", "uz", "kk", "ky", "tg", "ru")  # Uzbek records are the most frequent


def _female_surname(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname


def _patronymic(father: str, sex: str, lang: str, rng: random.Random) -> str:
    if lang in ("uz", "kk", "ky", "tg") and rng.random() < 0.4:
        particle = {"uz": ("ўғли", "қизи"), "kk": ("ұлы", "қызы"), "ky": ("уулу", "кызы")}.get(
            lang, ("ўғли", "қизи")
        )
        return f"{father} {particle[sex == 'f']}"
    if father.endswith("й"):  # Алексей -> Алексеевич
        return father[:-1] + ("евич" if sex == "m" else "евна")
    return father + ("ович" if sex == "m" else "овна")


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    action = rng.choice(("swap", "drop", "double"))
    if action == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if action == "drop":
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def _spelling(name: str, lang: str, rng: random.Random) -> str:
    """One way an agency writes the name: Cyrillic as is, or one of its Latin spellings."""
    if rng.random() < 0.4:
        return name
    return rng.choice(latin_variants(name, lang))


def person(index: int, rng: random.Random) -> dict[str, str]:
    """Draw one synthetic person."""
    lang = rng.choice(LANGS)
    sex = rng.choice("mf")
    given = rng.choice((GIVEN_MALE if sex == "m" else GIVEN_FEMALE)[lang].split())
    surname = rng.choice(SURNAMES[lang].split())
    father = rng.choice(GIVEN_MALE[lang].split())
    return {
        "person": f"P{index:07d}",
        "lang": lang,
        "sex": sex,
        "given": given,
        "surname": _female_surname(surname) if sex == "f" else surname,
        "patronymic": _patronymic(father, sex, lang, rng),
        "dob": f"{rng.randint(1960, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "place": rng.choice(PLACES.split()),
        "phone": PHONE_PREFIX[lang] + "".join(rng.choice("0123456789") for _ in range(7)),
        "passport": rng.choice("ABFKN") + rng.choice("ABCKZ") + str(rng.randint(1000000, 9999999)),
    }


def record(p: dict[str, str], number: int, rng: random.Random) -> dict[str, str]:
    """Write one record of a person as an agency would, with the usual noise."""
    given = _spelling(p["given"], p["lang"], rng)
    surname = _spelling(p["surname"], p["lang"], rng)
    if rng.random() < 0.1:
        given = _typo(given, rng)
    if rng.random() < 0.1:
        surname = _typo(surname, rng)
    if rng.random() < 0.1:  # the two parts entered into the wrong fields
        given, surname = surname, given
    dob = p["dob"]
    if rng.random() < 0.1:
        dob = dob[:4]  # only the year is known
    elif rng.random() < 0.05:
        dob = _typo(dob.replace("-", ""), rng)
    return {
        "id": f"{p['person']}-{number}",
        "given_name": given,
        "surname": surname,
        "patronymic": _spelling(p["patronymic"], p["lang"], rng) if rng.random() < 0.5 else "",
        "date_of_birth": dob,
        "sex": p["sex"] if rng.random() < 0.9 else "",
        "place": _spelling(p["place"], p["lang"], rng) if rng.random() < 0.7 else "",
        "phone": p["phone"] if rng.random() < 0.5 else "",
        "document": p["passport"] if rng.random() < 0.3 else "",
        "country": COUNTRY[p["lang"]],
        "person": p["person"],
    }


def records(n_people: int, seed: int = 0, max_records: int = 4) -> Iterator[dict[str, str]]:
    """Yield the records of ``n_people`` synthetic people, one to ``max_records`` each."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    for index in range(n_people):
        p = person(index, rng)
        for number in range(rng.randint(1, max_records)):
            yield record(p, number, rng)


FIELDS = {
    "given_name": ["given_name"],
    "surname": ["surname"],
    "patronymic": ["patronymic"],
    "date_of_birth": ["date_of_birth"],
    "sex": ["sex"],
    "place": ["place"],
    "phone": ["phone"],
    "document": ["document"],
}


# --- Historical-style records -------------------------------------------------------------
# Registers kept by hand over decades (civil, police, consular) repeat a person with worse
# noise than agency files: fields left empty, day and month swapped or mistyped, only the year
# of birth, nicknames and shortened names, birth places spelled several ways, postcode typos.

# Short and familiar forms a clerk writes instead of the full given name (Cyrillic, as the
# full names above); the Latin spellings come from latin_variants like every other name.
NICKNAMES = {
    "Сергей": "Серёжа Серёга", "Алексей": "Алёша Лёша", "Дмитрий": "Дима Митя",
    "Юрий": "Юра", "Евгений": "Женя", "Андрей": "Андрюша", "Владимир": "Вова Володя",
    "Николай": "Коля", "Елена": "Лена", "Ольга": "Оля", "Наталья": "Наташа Наталия",
    "Татьяна": "Таня", "Юлия": "Юля", "Светлана": "Света", "Ирина": "Ира",
    "Мухаммад": "Мухаммед Магомед", "Алишер": "Алик", "Нұрсұлтан": "Нұрлан",
    "Бахтиёр": "Бахти", "Отабек": "Ота", "Улуғбек": "Улуғ", "Фаррух": "Фарик",
    "Бауыржан": "Бауке", "Гулнора": "Гуля", "Дилноза": "Диля", "Гүлмира": "Гуля",
    "Шаҳноза": "Шахно", "Манучеҳр": "Манучер", "Ҷамшед": "Джамшид",
}  # fmt: skip
# Each birth place as registers write it: official Latin, Russian, older spellings.
PLACE_SPELLINGS = {
    "Тошкент": "Toshkent Tashkent Ташкент Taschkent",
    "Самарқанд": "Samarqand Samarkand Самарканд Samarcand",
    "Бухоро": "Buxoro Bukhara Бухара Buhara",
    "Наманган": "Namangan Наманган",
    "Андижон": "Andijon Andijan Андижан Andizhan",
    "Алматы": "Almaty Алма-Ата Alma-Ata Almati",
    "Бишкек": "Bishkek Фрунзе Frunze",
    "Ош": "Osh Ош",
    "Душанбе": "Dushanbe Dyushambe Сталинабад",
    "Хуҷанд": "Khujand Худжанд Khudzhand Ленинабад Leninabad",
    "Москва": "Moskva Moscow Москва",
    "Дубай": "Dubai Dubay Дубай",
}
POSTCODE_PREFIX = {"uz": "1", "kk": "05", "ky": "72", "tg": "73", "ru": "12"}


def _historical_given(given: str, lang: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.12 and given in NICKNAMES:
        return _spelling(rng.choice(NICKNAMES[given].split()), lang, rng)
    written = _spelling(given, lang, rng)
    if roll < 0.17:
        return written[0] + "."  # an initial only
    if roll < 0.22 and len(written) > 5:
        return written[: rng.randint(3, 4)]  # shortened
    return written


def _historical_date(dob: str, rng: random.Random) -> str:
    year, month, day = dob.split("-")
    roll = rng.random()
    if roll < 0.08:
        return ""
    if roll < 0.16:
        return year
    if roll < 0.24 and int(day) <= 12:
        return f"{year}-{day}-{month}"  # day and month swapped
    if roll < 0.30:
        return f"{year}-{month}-{rng.randint(1, 28):02d}"  # wrong day
    if roll < 0.34:
        return f"{year}-{rng.randint(1, 12):02d}-{day}"  # wrong month
    if roll < 0.38:
        return f"{int(year) + rng.choice((-1, 1))}-{month}-{day}"  # wrong year
    if roll < 0.50:
        return f"{day}.{month}.{year}"  # the clerk's own format
    return dob


def _historical_place(place: str, rng: random.Random) -> str:
    if rng.random() < 0.2:
        return ""
    written = rng.choice(PLACE_SPELLINGS[place].split())
    return _typo(written, rng) if rng.random() < 0.08 else written


def _historical_postcode(code: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return ""
    if roll < 0.35:
        i = rng.randrange(len(code))
        return code[:i] + rng.choice("0123456789") + code[i + 1 :]
    if roll < 0.40:
        return code[:3]  # only the district part
    return code


def historical_record(p: dict[str, str], number: int, rng: random.Random) -> dict[str, str]:
    """Write one historical-style record of a person (see the module's historical section)."""
    given = _historical_given(p["given"], p["lang"], rng)
    surname = _spelling(p["surname"], p["lang"], rng)
    if rng.random() < 0.12:
        given = _typo(given, rng)
    if rng.random() < 0.12:
        surname = _typo(surname, rng)
    if rng.random() < 0.06:
        given, surname = surname, given
    if rng.random() < 0.05:
        given = ""
    elif rng.random() < 0.03:
        surname = ""
    return {
        "id": f"{p['person']}-{number}",
        "given_name": given,
        "surname": surname,
        "date_of_birth": _historical_date(p["dob"], rng),
        "place": _historical_place(p["place"], rng),
        "postcode": _historical_postcode(p["postcode"], rng),
        "sex": p["sex"] if rng.random() < 0.85 else "",
        "person": p["person"],
    }


def historical_records(
    n_people: int, seed: int = 0, max_records: int = 5
) -> Iterator[dict[str, str]]:
    """Yield historical-style records of ``n_people`` people, one to ``max_records`` each.

    Most people have several records (the register repeats them); names, dates, places and
    postcodes carry the errors of hand-kept registers (see ``historical_record``).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    for index in range(n_people):
        p = person(index, rng)
        p["postcode"] = POSTCODE_PREFIX[p["lang"]] + "".join(
            rng.choice("0123456789") for _ in range(6 - len(POSTCODE_PREFIX[p["lang"]]))
        )
        for number in range(rng.randint(1, max_records)):
            yield historical_record(p, number, rng)


HISTORICAL_FIELDS = {
    "given_name": ["given_name"],
    "surname": ["surname"],
    "date_of_birth": ["date_of_birth"],
    "place": ["place"],
    "postcode": ["postcode"],
    "sex": ["sex"],
}
