"""Demo directory for the focus countries: real public bodies, fictional people.

Institution names are those of real public bodies; every contact point, phone number and e-mail
is invented (`is_fictional=True`, phones in obviously made-up blocks, e-mails at example.org).
Country-guide facts carry their source and stay unverified until someone checks them.
`load()` is idempotent: whatever already exists is left alone and not audited again.
"""

from datetime import date, timedelta

from django.utils import timezone

from .actions import (
    do_add_follow_up,
    do_add_guide_entry,
    do_add_member,
    do_add_participant,
    do_create_agency,
    do_create_contact,
    do_create_event,
    do_create_guide,
    do_create_network,
    do_update_agency,
    do_update_network,
    do_upload_material,
    do_verify_contact,
)
from .models import (
    Agency,
    ContactPoint,
    Country,
    CountryGuide,
    Event,
    EventMaterial,
    EventParticipant,
    FollowUp,
    GuideEntry,
    NetworkMembership,
    PractitionerNetwork,
)

# key: (country, type, English, Russian, local name, local language, node id)
AGENCIES = {
    "uz-gpo": ("UZ", "prosecutor", "General Prosecutor's Office of the Republic of Uzbekistan",
               "Генеральная прокуратура Республики Узбекистан",
               "O‘zbekiston Respublikasi Bosh prokuraturasi", "uz", "UZ-GPO"),
    "uz-mvd": ("UZ", "police", "Ministry of Internal Affairs of the Republic of Uzbekistan",
               "Министерство внутренних дел Республики Узбекистан",
               "O‘zbekiston Respublikasi Ichki ishlar vazirligi", "uz", "UZ-MVD"),
    "uz-ngo": ("UZ", "ngo", "Istiqbol shelter (fictional NGO)",
               "Приют «Истикбол» (вымышленная НКО)", "«Istiqbol» boshpanasi (to‘qima NNT)",
               "uz", "UZ-NGO"),
    "uz-unodc": ("UZ", "international", "UNODC Regional Office for Central Asia",
                 "Региональное представительство УНП ООН в Центральной Азии",
                 "BMT Narkotiklar va jinoyatchilik boshqarmasining Markaziy Osiyo mintaqaviy "
                 "vakolatxonasi", "uz", ""),
    "kg-gpo": ("KG", "prosecutor", "Prosecutor General's Office of the Kyrgyz Republic",
               "Генеральная прокуратура Кыргызской Республики",
               "Кыргыз Республикасынын Башкы прокуратурасы", "ky", "KG-GPO"),
    "kg-mvd": ("KG", "police", "Ministry of Internal Affairs of the Kyrgyz Republic",
               "Министерство внутренних дел Кыргызской Республики",
               "Кыргыз Республикасынын Ички иштер министрлиги", "ky", ""),
    "kg-ngo": ("KG", "ngo", "Umut crisis centre (fictional NGO)",
               "Кризисный центр «Умут» (вымышленная НКО)", "«Үмүт» кризистик борбору", "ky", ""),
    "kz-gpo": ("KZ", "prosecutor", "Prosecutor General's Office of the Republic of Kazakhstan",
               "Генеральная прокуратура Республики Казахстан",
               "Қазақстан Республикасының Бас прокуратурасы", "kk", ""),
    "kz-mvd": ("KZ", "police", "Ministry of Internal Affairs of the Republic of Kazakhstan",
               "Министерство внутренних дел Республики Казахстан",
               "Қазақстан Республикасының Ішкі істер министрлігі", "kk", ""),
    "tj-gpo": ("TJ", "prosecutor", "Prosecutor General's Office of the Republic of Tajikistan",
               "Генеральная прокуратура Республики Таджикистан",
               "Прокуратураи генералии Ҷумҳурии Тоҷикистон", "tg", ""),
    "tj-mvd": ("TJ", "police", "Ministry of Internal Affairs of the Republic of Tajikistan",
               "Министерство внутренних дел Республики Таджикистан",
               "Вазорати корҳои дохилии Ҷумҳурии Тоҷикистон", "tg", ""),
    "tm-gpo": ("TM", "prosecutor", "Prosecutor General's Office of Turkmenistan",
               "Генеральная прокуратура Туркменистана", "Türkmenistanyň Baş prokuraturasy",
               "tk", ""),
    "tm-mvd": ("TM", "police", "Ministry of Internal Affairs of Turkmenistan",
               "Министерство внутренних дел Туркменистана",
               "Türkmenistanyň Içeri işler ministrligi", "tk", ""),
    "ru-gpo": ("RU", "prosecutor", "Prosecutor General's Office of the Russian Federation",
               "Генеральная прокуратура Российской Федерации",
               "Генеральная прокуратура Российской Федерации", "ru", ""),
    "ru-mvd": ("RU", "police", "Ministry of Internal Affairs of the Russian Federation",
               "Министерство внутренних дел Российской Федерации",
               "Министерство внутренних дел Российской Федерации", "ru", ""),
    "tr-moj": ("TR", "central_authority",
               "General Directorate of International Law and Foreign Relations, "
               "Ministry of Justice of Türkiye",
               "Главное управление международного права и внешних связей Министерства юстиции "
               "Турции", "Adalet Bakanlığı Uluslararası Hukuk ve Dış İlişkiler Genel Müdürlüğü",
               "tr", ""),
    "tr-egm": ("TR", "police", "General Directorate of Security (Turkish National Police)",
               "Главное управление безопасности Турции", "Emniyet Genel Müdürlüğü", "tr", ""),
    "ae-moj": ("AE", "ministry", "Ministry of Justice of the United Arab Emirates",
               "Министерство юстиции Объединённых Арабских Эмиратов", "وزارة العدل", "ar",
               "AE-MOJ"),
    "ae-adp": ("AE", "police", "Abu Dhabi Police", "Полиция Абу-Даби", "شرطة أبوظبي", "ar", ""),
    "ae-ngo": ("AE", "ngo", "Dubai Foundation for Women and Children",
               "Дубайский фонд защиты женщин и детей", "مؤسسة دبي لرعاية النساء والأطفال",
               "ar", ""),
    "th-oag": ("TH", "central_authority", "Office of the Attorney General of Thailand",
               "Генеральная прокуратура Таиланда", "สำนักงานอัยการสูงสุด", "th", ""),
    "th-rtp": ("TH", "police", "Royal Thai Police", "Королевская полиция Таиланда",
               "สำนักงานตำรวจแห่งชาติ", "th", ""),
    "th-msdhs": ("TH", "ministry", "Ministry of Social Development and Human Security",
                 "Министерство социального развития и безопасности человека Таиланда",
                 "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", "th", ""),
    "uz-tashkent-gpo": ("UZ", "prosecutor", "Tashkent City Prosecutor's Office",
                        "Прокуратура города Ташкента", "Toshkent shahar prokuraturasi", "uz", ""),
    "uz-samarkand-iiv": ("UZ", "police", "Samarkand Regional Department of Internal Affairs",
                         "Управление внутренних дел Самаркандской области",
                         "Samarqand viloyati Ichki ishlar boshqarmasi", "uz", ""),
    "uz-supreme-court": ("UZ", "court", "Supreme Court of the Republic of Uzbekistan",
                         "Верховный суд Республики Узбекистан",
                         "O‘zbekiston Respublikasi Oliy sudi", "uz", ""),
    "kg-bishkek-guvd": ("KG", "police", "Bishkek City Department of Internal Affairs",
                        "Главное управление внутренних дел города Бишкек",
                        "Бишкек шаардык ички иштер башкы башкармалыгы", "ky", ""),
    "kg-osh-prok": ("KG", "prosecutor", "Osh Regional Prosecutor's Office",
                    "Прокуратура Ошской области", "Ош облусунун прокуратурасы", "ky", ""),
    "ae-dubai-pp": ("AE", "prosecutor", "Dubai Public Prosecution", "Прокуратура Дубая",
                    "النيابة العامة في دبي", "ar", ""),
    "ae-dubai-police": ("AE", "police", "Dubai Police", "Полиция Дубая", "شرطة دبي", "ar", ""),
    "tr-istanbul-cpp": ("TR", "prosecutor", "Istanbul Chief Public Prosecutor's Office",
                        "Главная прокуратура Стамбула",
                        "İstanbul Cumhuriyet Başsavcılığı", "tr", ""),
}  # fmt: skip

# Each agency's name in Uzbek (Latin), as an Uzbek reader sees it on the node; the Uzbek
# agencies' own names are their local ones.
NAMES_UZ = {
    "uz-gpo": "O‘zbekiston Respublikasi Bosh prokuraturasi",
    "uz-mvd": "O‘zbekiston Respublikasi Ichki ishlar vazirligi",
    "uz-ngo": "«Istiqbol» boshpanasi (to‘qima NNT)",
    "uz-unodc": "BMT Narkotiklar va jinoyatchilik boshqarmasining Markaziy Osiyo mintaqaviy "
                "vakolatxonasi",
    "kg-gpo": "Qirg‘iziston Respublikasi Bosh prokuraturasi",
    "kg-mvd": "Qirg‘iziston Respublikasi Ichki ishlar vazirligi",
    "kg-ngo": "«Umut» inqiroz markazi (to‘qima NNT)",
    "kz-gpo": "Qozog‘iston Respublikasi Bosh prokuraturasi",
    "kz-mvd": "Qozog‘iston Respublikasi Ichki ishlar vazirligi",
    "tj-gpo": "Tojikiston Respublikasi Bosh prokuraturasi",
    "tj-mvd": "Tojikiston Respublikasi Ichki ishlar vazirligi",
    "tm-gpo": "Turkmaniston Bosh prokuraturasi",
    "tm-mvd": "Turkmaniston Ichki ishlar vazirligi",
    "ru-gpo": "Rossiya Federatsiyasi Bosh prokuraturasi",
    "ru-mvd": "Rossiya Federatsiyasi Ichki ishlar vazirligi",
    "tr-moj": "Turkiya Adliya vazirligining Xalqaro huquq va tashqi aloqalar bosh boshqarmasi",
    "tr-egm": "Turkiya Xavfsizlik bosh boshqarmasi (Turkiya milliy politsiyasi)",
    "ae-moj": "Birlashgan Arab Amirliklari Adliya vazirligi",
    "ae-adp": "Abu-Dabi politsiyasi",
    "ae-ngo": "Dubay ayollar va bolalarni himoya qilish jamg‘armasi",
    "th-oag": "Tailand Bosh prokuraturasi",
    "th-rtp": "Tailand Qirollik politsiyasi",
    "th-msdhs": "Tailand Ijtimoiy rivojlanish va inson xavfsizligi vazirligi",
    "uz-tashkent-gpo": "Toshkent shahar prokuraturasi",
    "uz-samarkand-iiv": "Samarqand viloyati Ichki ishlar boshqarmasi",
    "uz-supreme-court": "O‘zbekiston Respublikasi Oliy sudi",
    "kg-bishkek-guvd": "Bishkek shahar Ichki ishlar bosh boshqarmasi",
    "kg-osh-prok": "O‘sh viloyati prokuraturasi",
    "ae-dubai-pp": "Dubay prokuraturasi",
    "ae-dubai-police": "Dubay politsiyasi",
    "tr-istanbul-cpp": "Istanbul bosh prokuraturasi",
}  # fmt: skip

# The region or city an agency serves; the others serve the whole country.
REGIONS = {
    "uz-tashkent-gpo": "Tashkent", "uz-samarkand-iiv": "Samarkand", "kg-bishkek-guvd": "Bishkek",
    "kg-osh-prok": "Osh", "ae-adp": "Abu Dhabi", "ae-dubai-pp": "Dubai",
    "ae-dubai-police": "Dubai", "tr-istanbul-cpp": "Istanbul",
}  # fmt: skip

# Invented phone blocks that pass phonenumbers' checks but belong to nobody we know of.
PHONE_BLOCKS = {
    "UZ": "+9987120001", "KG": "+9963120001", "KZ": "+771720001", "TJ": "+9923720001",
    "TM": "+993120001", "RU": "+749500001", "TR": "+9031200001", "AE": "+971240001",
    "TH": "+66200001",
}  # fmt: skip

# (agency, name as written, position, languages, e-mail user, 24/7) — all invented people.
CONTACTS = [
    ("uz-gpo", "Дильшод Рахимов", "Prosecutor, international cooperation department",
     ["uz", "ru", "en"], "d.rakhimov", True),
    ("uz-gpo", "Nodira Yusupova", "Head of the MLA unit", ["uz", "ru"], "n.yusupova", False),
    ("uz-mvd", "Бахтиёр Каримов", "Senior investigator, anti-trafficking unit", ["uz", "ru"],
     "b.karimov", True),
    ("uz-ngo", "Malika Tursunova", "Case manager", ["uz", "ru", "en"], "m.tursunova", False),
    ("uz-unodc", "Aziza Nurmatova", "Programme officer", ["uz", "ru", "en"], "a.nurmatova", False),
    ("kg-gpo", "Айбек Жумабаев", "Prosecutor, international legal department", ["ky", "ru"],
     "a.zhumabaev", False),
    ("kg-mvd", "Нургуль Асанова", "Investigator, trafficking in persons unit", ["ky", "ru"],
     "n.asanova", True),
    ("kg-ngo", "Жылдыз Токтогулова", "Shelter coordinator", ["ky", "ru", "en"],
     "zh.toktogulova", False),
    ("kz-gpo", "Ерлан Сейтказиев", "Prosecutor, international cooperation service",
     ["kk", "ru", "en"], "e.seitkaziev", False),
    ("kz-mvd", "Айгерим Бекова", "Detective, migration crime unit", ["kk", "ru"], "a.bekova", True),
    ("tj-gpo", "Фаррух Назаров", "Prosecutor, international legal department", ["tg", "ru"],
     "f.nazarov", False),
    ("tj-mvd", "Шахноза Саидова", "Inspector, anti-trafficking division", ["tg", "ru", "en"],
     "sh.saidova", True),
    ("tm-gpo", "Merdan Orazow", "Prosecutor, international department", ["tk", "ru"],
     "m.orazow", False),
    ("tm-mvd", "Aýna Garaýewa", "Investigator", ["tk", "ru"], "a.garayewa", False),
    ("ru-gpo", "Андрей Соколов", "Prosecutor, main directorate of international legal cooperation",
     ["ru", "en"], "a.sokolov", False),
    ("ru-mvd", "Ольга Морозова", "Investigator, migration offences", ["ru"], "o.morozova", True),
    ("tr-moj", "Elif Yıldız", "Judge rapporteur, MLA desk", ["tr", "en"], "e.yildiz", False),
    ("tr-egm", "Murat Demir", "Superintendent, anti-smuggling and trafficking",
     ["tr", "en", "ru"], "m.demir", True),
    ("ae-moj", "فاطمة المنصوري", "Legal counsel, international cooperation", ["ar", "en"],
     "f.almansoori", False),
    ("ae-adp", "Khalid Al Hammadi", "Captain, anti-trafficking section", ["ar", "en"],
     "k.alhammadi", True),
    ("ae-ngo", "Sara Haddad", "Victim support officer", ["ar", "en", "ru"], "s.haddad", False),
    ("th-oag", "สมชาย ใจดี", "Public prosecutor, international affairs", ["th", "en"],
     "somchai.j", False),
    ("th-oag", "Pimchanok Srisuk", "Attorney, central authority desk", ["th", "en"],
     "pimchanok.s", True),
    ("th-rtp", "Anan Wongsakul", "Police lieutenant colonel, anti-trafficking division",
     ["th", "en"], "anan.w", True),
    ("th-msdhs", "Kanya Thongchai", "Social worker, protection of trafficked persons",
     ["th", "en"], "kanya.t", False),
    ("uz-tashkent-gpo", "Sherzod Olimov", "Prosecutor, supervision of investigations",
     ["uz", "ru"], "sh.olimov", False),
    ("uz-samarkand-iiv", "Гулбахор Ахмедова", "Investigator, anti-trafficking group",
     ["uz", "ru"], "g.akhmedova", True),
    ("kg-bishkek-guvd", "Эрмек Касымов", "Senior detective, trafficking unit", ["ky", "ru"],
     "e.kasymov", True),
    ("ae-dubai-pp", "Omar Al Suwaidi", "Chief prosecutor, international cooperation",
     ["ar", "en"], "o.alsuwaidi", False),
    ("tr-istanbul-cpp", "Ayşe Kaya", "Public prosecutor, human trafficking bureau",
     ["tr", "en"], "a.kaya", False),
]  # fmt: skip

# How many days ago each contact was last verified; those not listed were never verified, and
# two were verified long enough ago to show as stale.
VERIFIED_DAYS_AGO = {
    "Дильшод Рахимов": 12, "Nodira Yusupova": 95, "Бахтиёр Каримов": 40,
    "Айбек Жумабаев": 200, "Нургуль Асанова": 30, "Pimchanok Srisuk": 60,
    "Khalid Al Hammadi": 21, "Murat Demir": 520, "Ольга Морозова": 700,
}  # fmt: skip

# (event title, follow-up, owner, due in days from the event's end, status)
FOLLOW_UPS = [
    ("CASC regional workshop on mutual legal assistance in trafficking cases",
     "Name a 24/7 contact point for each country", "Aziza Nurmatova", 45, "done"),
    ("CASC regional workshop on mutual legal assistance in trafficking cases",
     "Circulate the Minsk checklist in Russian and English", "Дильшод Рахимов", 30, "done"),
    ("CASC regional workshop on mutual legal assistance in trafficking cases",
     "Test the 48-hour acknowledgement on a live request", "Ерлан Сейтказиев", 120,
     "in_progress"),
    ("Study visit of Central Asian prosecutors to Abu Dhabi",
     "Draft a model request in English with an Arabic translation", "Nodira Yusupova", 60,
     "in_progress"),
    ("Training on victim identification and referral",
     "Pilot the cross-border referral form between Kyrgyzstan and Uzbekistan",
     "Жылдыз Токтогулова", 90, "open"),
    ("Training on victim identification and referral",
     "Share the joint-interview guide with the shelters", "Malika Tursunova", 30, "dropped"),
]  # fmt: skip

# (event title, material title, file name, text): short plain-text agendas and notes.
MATERIALS = [
    ("CASC regional workshop on mutual legal assistance in trafficking cases", "Agenda",
     "agenda.txt", "Day 1: requests under the Minsk Convention.\nDay 2: urgent requests and "
     "24/7 contact points.\nDay 3: case studies and the shared checklist.\n"),
    ("Training on victim identification and referral", "Referral form (draft)",
     "referral-form.txt", "Referral between Kyrgyzstan and Uzbekistan (draft)\n"
     "1. Referring service and contact\n2. Consent given (date)\n3. Services needed\n"),
]  # fmt: skip

NETWORKS = [
    ("casc", "CASC — Judicial Cooperation Network for Central Asia and Southern Caucasus",
     "An informal network of prosecutors and central authorities launched by UNODC in 2014; its "
     "contact points facilitate direct communication on mutual legal assistance and extradition.",
     "uz-unodc", False, ["uz-gpo", "kg-gpo", "kz-gpo", "tj-gpo", "tm-gpo"], date(2014, 1, 1)),
    ("seajust", "SEAJust — South East Asia Justice Network",
     "A network of central authorities and prosecutors in South East Asia supported by UNODC; "
     "it cooperates with CASC on cases between the two regions.",
     None, False, ["th-oag"], date(2019, 1, 1)),
    ("ca-experts", "Central Asian anti-trafficking experts' circle",
     "An informal circle of investigators and victim-assistance practitioners who exchange "
     "contacts and practice between meetings (fictional).",
     None, True, ["uz-mvd", "uz-ngo", "kg-mvd", "kg-ngo", "kz-mvd", "tj-mvd"], None),
]  # fmt: skip

# code: (name_ru, name_uz, description_ru, description_uz); the English ones are in NETWORKS.
NETWORK_TRANSLATIONS = {
    "casc": (
        "CASC — Сеть судебного сотрудничества стран Центральной Азии и Южного Кавказа",
        "CASC — Markaziy Osiyo va Janubiy Kavkaz davlatlarining sud hamkorligi tarmog‘i",
        "Неформальная сеть прокуроров и центральных органов, созданная УНП ООН в 2014 году; "
        "её контактные лица содействуют прямому общению по вопросам взаимной правовой помощи "
        "и экстрадиции.",
        "BMT Narkotiklar va jinoyatchilik boshqarmasi tomonidan 2014-yilda tashkil etilgan "
        "prokurorlar va markaziy organlarning norasmiy tarmog‘i; uning aloqa shaxslari o‘zaro "
        "huquqiy yordam va ekstraditsiya masalalarida bevosita muloqotga ko‘maklashadi.",
    ),
    "seajust": (
        "SEAJust — Сеть правосудия Юго-Восточной Азии",
        "SEAJust — Janubi-Sharqiy Osiyo adliya tarmog‘i",
        "Сеть центральных органов и прокуроров Юго-Восточной Азии при поддержке УНП ООН; "
        "сотрудничает с CASC по делам между двумя регионами.",
        "BMT Narkotiklar va jinoyatchilik boshqarmasi ko‘magidagi Janubi-Sharqiy Osiyo markaziy "
        "organlari va prokurorlari tarmog‘i; ikki mintaqa o‘rtasidagi ishlar bo‘yicha CASC bilan "
        "hamkorlik qiladi.",
    ),
    "ca-experts": (
        "Круг экспертов Центральной Азии по противодействию торговле людьми",
        "Markaziy Osiyo odam savdosiga qarshi kurash ekspertlari davrasi",
        "Неформальный круг следователей и специалистов по помощи жертвам, которые обмениваются "
        "контактами и опытом между встречами (вымышленный).",
        "Tergovchilar va jabrlanuvchilarga yordam ko‘rsatuvchi mutaxassislarning norasmiy "
        "davrasi; ular uchrashuvlar oralig‘ida aloqa ma’lumotlari va tajriba almashadi (to‘qima).",
    ),
}

SHERLOC = "UNODC SHERLOC, country profile and Directory of Competent National Authorities"
REF_MLA = "tipnet reference notes on cooperation and MLA, section 6(d) (to verify)"
MINSK = "Minsk Convention on Legal Assistance (CIS, 1993)"
CHISINAU = "Chisinau Convention on Legal Assistance (CIS, 2002), depositary record"
UNTOC = "UNTOC art. 18(13)–(14) notifications, UN Treaty Collection (MTDSG XVIII-12)"

# country: (central authority, accepted languages, [(topic, text, source)])
GUIDES = {
    "UZ": ("uz-gpo", ["uz", "ru"], [
        ("central_authority", "The General Prosecutor's Office receives requests at the pre-trial "
         "stage; requests at the trial stage go through the Supreme Court.", SHERLOC),
        ("languages", "Uzbek or Russian; within the CIS Russian is the working language.", MINSK),
        ("channels", "Within the CIS, directly between prosecutors' offices; otherwise through "
         "the central authority, with an advance copy by e-mail where agreed.", MINSK),
        ("legal_bases", "UNTOC and the TIP Protocol; Minsk Convention 1993 (not a party to the "
         "Chisinau Convention).", REF_MLA),
        ("requirements", "Case number, full personal data of persons concerned and a "
         "confidentiality statement, in addition to UNTOC art. 18(15).", MINSK),
    ]),
    "KG": ("kg-gpo", ["ky", "ru"], [
        ("central_authority", "The Prosecutor General's Office.", SHERLOC),
        ("languages", "Russian or Kyrgyz.", MINSK),
        ("legal_bases", "UNTOC and the TIP Protocol; Chisinau Convention 2002 (deposited "
         "02.09.2004); Minsk applies with Minsk-only parties such as Uzbekistan.", CHISINAU),
        ("channels", "Domestic records are exchanged over the Tunduk (X-Road) platform.", REF_MLA),
    ]),
    "KZ": ("kz-gpo", ["kk", "ru"], [
        ("central_authority", "The Prosecutor General's Office at the pre-trial stage.", SHERLOC),
        ("languages", "Russian or Kazakh.", MINSK),
        ("legal_bases", "UNTOC and the TIP Protocol; Chisinau Convention 2002 (deposited "
         "29.03.2004); bilateral MLA treaties with several non-CIS states.", CHISINAU),
        ("requirements", "Within the CIS: case number, personal data and confidentiality "
         "statement.", MINSK),
    ]),
    "TJ": ("tj-gpo", ["tg", "ru"], [
        ("central_authority", "The Prosecutor General's Office.", SHERLOC),
        ("languages", "Russian or Tajik.", MINSK),
        ("legal_bases", "UNTOC and the TIP Protocol; Minsk Convention; Chisinau signed, "
         "ratification to be confirmed.", CHISINAU),
    ]),
    "TM": ("tm-gpo", ["tk", "ru"], [
        ("central_authority", "The Prosecutor General's Office.", SHERLOC),
        ("languages", "Russian or Turkmen.", MINSK),
        ("legal_bases", "UNTOC (accession 2005) and the TIP Protocol; Minsk Convention; not a "
         "signatory of Chisinau.", REF_MLA),
    ]),
    "RU": ("ru-gpo", ["ru"], [
        ("central_authority", "The Prosecutor General's Office at the pre-trial stage; the "
         "Ministry of Justice for court matters.", SHERLOC),
        ("languages", "Russian.", MINSK),
        ("legal_bases", "UNTOC (accession 26.05.2004) and the TIP Protocol; Minsk Convention; "
         "Chisinau signed, not ratified.", UNTOC),
    ]),
    "TR": ("tr-moj", ["tr", "en"], [
        ("central_authority", "The Ministry of Justice, General Directorate of International "
         "Law and Foreign Relations.", SHERLOC),
        ("languages", "Turkish, or English with a Turkish translation where required.", UNTOC),
        ("legal_bases", "UNTOC art. 18 and the TIP Protocol; Council of Europe Convention on "
         "Mutual Assistance in Criminal Matters (ETS 30); bilateral treaties to check.", REF_MLA),
    ]),
    "AE": ("ae-moj", ["ar", "en"], [
        ("central_authority", "The Ministry of Justice.", SHERLOC),
        ("languages", "Arabic; English accepted with an Arabic translation.", UNTOC),
        ("legal_bases", "UNTOC art. 18 (accession 2007) and the TIP Protocol; bilateral "
         "treaties to check per pair.", REF_MLA),
        ("channels", "Diplomatic channel unless a treaty provides for direct transmission.",
         SHERLOC),
    ]),
    "TH": ("th-oag", ["th", "en"], [
        ("central_authority", "The Office of the Attorney General.", SHERLOC),
        ("languages", "Thai or English.", UNTOC),
        ("legal_bases", "UNTOC art. 18 (2013) and the TIP Protocol; Act on Mutual Assistance "
         "in Criminal Matters B.E. 2535 (1992); SEAJust member.", SHERLOC),
    ]),
}  # fmt: skip

# (title, kind, starts, ends, country, city, organiser, network, outcomes, follow-ups,
#  [(contact name, role)])
EVENTS = [
    ("CASC regional workshop on mutual legal assistance in trafficking cases", "workshop",
     date(2025, 4, 15), date(2025, 4, 17), "UZ", "Tashkent", "uz-unodc", "casc",
     "Contact points agreed to acknowledge urgent requests within 48 hours.\n"
     "A shared checklist for requests under the Minsk Convention was drafted.",
     "Each country to name a 24/7 contact point by June 2025.\n"
     "Secretariat to circulate the checklist in Russian and English.",
     [("Aziza Nurmatova", "Organiser"), ("Дильшод Рахимов", "Speaker"),
      ("Айбек Жумабаев", "Participant"), ("Ерлан Сейтказиев", "Participant"),
      ("Фаррух Назаров", "Participant"), ("Merdan Orazow", "Participant")]),
    ("Study visit of Central Asian prosecutors to Abu Dhabi", "study_visit",
     date(2025, 10, 6), date(2025, 10, 9), "AE", "Abu Dhabi", "ae-moj", None,
     "Participants learned how requests are received and routed by the UAE Ministry of Justice.",
     "Draft a model request in English with an Arabic translation for a pilot case.",
     [("فاطمة المنصوري", "Host"), ("Nodira Yusupova", "Delegation lead"),
      ("Айгерим Бекова", "Participant"), ("Khalid Al Hammadi", "Presenter")]),
    ("Training on victim identification and referral", "training",
     date(2026, 2, 10), date(2026, 2, 12), "KG", "Bishkek", "kg-ngo", "ca-experts",
     "Investigators and caseworkers practised joint interviews using trauma-informed methods.",
     "Pilot a cross-border referral form between Kyrgyzstan and Uzbekistan.",
     [("Жылдыз Токтогулова", "Trainer"), ("Нургуль Асанова", "Participant"),
      ("Malika Tursunova", "Participant"), ("Бахтиёр Каримов", "Participant"),
      ("Шахноза Саидова", "Participant")]),
    ("Inter-regional forum of CASC and SEAJust", "forum",
     date(2027, 3, 9), date(2027, 3, 11), "TH", "Bangkok", "th-oag", "seajust",
     "", "Agenda: cases between Central Asia and South East Asia; video hearings.",
     [("Pimchanok Srisuk", "Host"), ("Дильшод Рахимов", "Speaker"),
      ("Anan Wongsakul", "Participant"), ("Murat Demir", "Observer")]),
]  # fmt: skip


def _agencies() -> tuple[dict, int]:
    found, created = {}, 0
    for key, (country, kind, en, ru, local, lang, node_id) in AGENCIES.items():
        agency = Agency.objects.filter(country_id=country, name_en=en).first()
        if agency is None:
            data = {
                "country": Country.objects.get(code=country),
                "kind": kind,
                "name_en": en,
                "name_ru": ru,
                "name_uz": NAMES_UZ[key],
                "name_local": local,
                "local_language": lang,
                "node_id": node_id,
                "region": REGIONS.get(key, ""),
                "is_fictional": "fictional" in en,
            }
            agency, created = do_create_agency(None, data), created + 1
        elif not agency.name_uz:
            # A node loaded before agencies had Uzbek names gets them once.
            do_update_agency(None, agency, {"name_uz": NAMES_UZ[key]})
            created += 1
        found[key] = agency
    return found, created


def _contacts(agencies: dict) -> tuple[dict, int]:
    found, created, serial = {}, 0, dict[str, int]()
    for key, name, position, languages, mailbox, is_24_7 in CONTACTS:
        agency = agencies[key]
        serial[agency.country_id] = serial.get(agency.country_id, 0) + 1
        contact = ContactPoint.objects.filter(agency=agency, name=name).first()
        if contact is None:
            data = {
                "agency": agency,
                "name": name,
                "position": position,
                "languages": languages,
                "phone": f"{PHONE_BLOCKS[agency.country_id]}{serial[agency.country_id]:02d}",
                "email": f"{mailbox}@example.org",
                "is_24_7": is_24_7,
                "is_fictional": True,
            }
            contact, created = do_create_contact(None, data), created + 1
        found[name] = contact
    return found, created


def _network_translations(code: str) -> dict[str, str]:
    name_ru, name_uz, description_ru, description_uz = NETWORK_TRANSLATIONS[code]
    return {
        "name_ru": name_ru,
        "name_uz": name_uz,
        "description_ru": description_ru,
        "description_uz": description_uz,
    }


def _networks(agencies: dict) -> tuple[dict, int]:
    found, created = {}, 0
    for code, name, description, secretariat, informal, members, since in NETWORKS:
        network = PractitionerNetwork.objects.filter(code=code).first()
        if network is None:
            data: dict[str, object] = {"code": code, "name_en": name, "description_en": description}
            data |= _network_translations(code)
            data |= {"secretariat": agencies.get(secretariat), "is_informal": informal}
            network, created = do_create_network(None, data), created + 1
        elif not (network.name_ru or network.name_uz):
            # A node loaded before networks had translations gets them once.
            do_update_network(None, network, _network_translations(code))
            created += 1
        for key in members:
            agency = agencies[key]
            if not NetworkMembership.objects.filter(network=network, agency=agency).exists():
                contact = agency.contact_points.order_by("pk").first()
                do_add_member(None, network, agency, contact, since)
                created += 1
        found[code] = network
    return found, created


def _guides(agencies: dict) -> int:
    created = 0
    for code, (authority, languages, entries) in GUIDES.items():
        guide = CountryGuide.objects.filter(country_id=code).first()
        if guide is None:
            country = Country.objects.get(code=code)
            guide = do_create_guide(None, country, agencies[authority], languages)
            created += 1
        for topic, text, source in entries:
            if not GuideEntry.objects.filter(guide=guide, topic=topic, text=text).exists():
                do_add_guide_entry(None, guide, topic, text, source, is_verified=False)
                created += 1
    return created


def _events(agencies: dict, contacts: dict, networks: dict) -> int:
    created = 0
    for row in EVENTS:
        title, kind, starts, ends, country, city, organiser, network, outcomes, follow_ups = row[
            :10
        ]
        event = Event.objects.filter(title=title).first()
        if event is None:
            data = {"kind": kind, "title": title, "starts_on": starts, "ends_on": ends}
            data |= {"country": Country.objects.get(code=country), "city": city}
            data |= {"organiser": agencies[organiser], "network": networks.get(network)}
            data |= {"outcomes": outcomes, "follow_ups": follow_ups}
            event, created = do_create_event(None, data), created + 1
        for name, role in row[10]:
            contact = contacts[name]
            if not EventParticipant.objects.filter(event=event, contact_point=contact).exists():
                do_add_participant(None, event, contact, role)
                created += 1
    return created


def _verifications(contacts: dict) -> int:
    created, today = 0, timezone.localdate()
    for name, days in VERIFIED_DAYS_AGO.items():
        contact = contacts[name]
        if contact.verified_on is None:
            do_verify_contact(None, contact)
            # The action stamps today; the demo spreads the dates over the past two years.
            ContactPoint.objects.filter(pk=contact.pk).update(
                verified_on=today - timedelta(days=days)
            )
            created += 1
    return created


def _knowledge(contacts: dict) -> int:
    created = 0
    for title, text, owner, due_in, status in FOLLOW_UPS:
        event = Event.objects.get(title=title)
        if not FollowUp.objects.filter(event=event, text=text).exists():
            data = {"text": text, "owner": contacts[owner], "status": status}
            data["due_on"] = event.ends_on + timedelta(days=due_in)
            do_add_follow_up(None, event, data)
            created += 1
    for title, name, filename, text in MATERIALS:
        event = Event.objects.get(title=title)
        if not EventMaterial.objects.filter(event=event, title=name).exists():
            do_upload_material(None, event, name, filename, text.encode())
            created += 1
    return created


def load() -> str:
    """Create the demo directory rows that are missing; return a one-line summary."""
    agencies, n_agencies = _agencies()
    contacts, n_contacts = _contacts(agencies)
    networks, n_networks = _networks(agencies)
    n_guides = _guides(agencies)
    n_events = _events(agencies, contacts, networks)
    n_events += _verifications(contacts) + _knowledge(contacts)
    total = n_agencies + n_contacts + n_networks + n_guides + n_events
    if not total:
        return "already loaded"
    return (
        f"{n_agencies} agencies, {n_contacts} contact points, {n_networks} network rows, "
        f"{n_guides} guide rows, {n_events} event rows created"
    )
