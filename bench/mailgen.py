"""A bench mailbox that looks like a real rep's mail, not like the code that reads it (issue 10).

What makes real mail expensive to parse is its variety, so that is what this generator keeps:

- names in many scripts (Latin with diacritics, Cyrillic, Greek, Arabic, Hebrew, Chinese,
  Japanese, Korean, Devanagari, Thai, Vietnamese), RFC 2047-encoded in UTF-8 and in the legacy
  charsets mailers still use (ISO-8859-x, windows-125x, KOI8-R, ISO-2022-JP, GBK, EUC-KR),
  quoted "Last, First" forms, bare addresses, a few raw UTF-8 headers;
- tens of thousands of correspondents over thousands of domains, met with a long tail (a few
  often, most once or twice), To of 1-3 and Cc of 0-5;
- subjects that are mostly distinct (ticket and order numbers, names, dates, many languages),
  about 20% RFC 2047-encoded, with the reply and forward prefixes of many mailers;
- about 40% replies (In-Reply-To and References, sometimes only one of them), List-* headers on
  about 20% (newsletters, mailing lists, with Precedence and Auto-Submitted on some);
- dates in the spellings mailers write (weekday or not, one-digit days, zones, comments), and
  the other headers of a real block (Received, DKIM-Signature, MIME) for the local sources,
  which read whole header blocks. Bodies of varied length (a long tail of big ones).

Deterministic for a seed. ``messages(count, seed)`` yields ``Generated`` values; ``write_maildir``
and ``write_mbox`` lay them out on disk. Used by ``bench/scale_bench.py``.
"""

from __future__ import annotations

import base64
import bisect
import itertools
import os
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

START = 1_704_067_200.0  # 2024-01-01T00:00:00Z
OWNER = ("Sam Rivera", "sam.rivera@globex.example")

# (given names, family names, charset a legacy mailer of that language uses, romanised pairs).
# Each entry is "native|romanised"; the romanised form makes the address.
_PEOPLE: dict[str, tuple[list[str], list[str], str]] = {
    "en": (
        "James|James Mary|Mary Robert|Robert Patricia|Patricia Jennifer|Jennifer Michael|Michael"
        " Linda|Linda David|David Elizabeth|Elizabeth William|William Susan|Susan Karen|Karen"
        " Thomas|Thomas Sarah|Sarah Daniel|Daniel Nancy|Nancy Kevin|Kevin Emily|Emily Ryan|Ryan"
        " Olivia|Olivia Ethan|Ethan Grace|Grace Nathan|Nathan Chloe|Chloe Owen|Owen".split(),
        "Smith|Smith Johnson|Johnson Williams|Williams Brown|Brown Jones|Jones Miller|Miller"
        " Davis|Davis Wilson|Wilson Anderson|Anderson Taylor|Taylor Moore|Moore Jackson|Jackson"
        " Thompson|Thompson White|White Harris|Harris Clark|Clark Lewis|Lewis Walker|Walker"
        " Young|Young Allen|Allen King|King Wright|Wright Scott|Scott Hill|Hill Green|Green"
        " O'Brien|OBrien McAllister|McAllister".split(),
        "us-ascii",
    ),
    "fr": (
        "Amélie|Amelie Benoît|Benoit Céline|Celine Élodie|Elodie François|Francois Gaëlle|Gaelle"
        " Hélène|Helene Jérôme|Jerome Léa|Lea Noël|Noel Stéphane|Stephane Zoé|Zoe Inès|Ines"
        " Loïc|Loic Maëlle|Maelle Thibault|Thibault Aurélien|Aurelien".split(),
        "Dubois|Dubois Lefèvre|Lefevre Mercier|Mercier Bérenger|Berenger Girard|Girard"
        " Fournier|Fournier Rousseau|Rousseau Lemaître|Lemaitre Barbé|Barbe Côté|Cote"
        " Faure|Faure Gauthier|Gauthier Leclerc|Leclerc Perrin|Perrin".split(),
        "iso-8859-1",
    ),
    "de": (
        "Jürgen|Juergen Björn|Bjoern Sören|Soeren Käthe|Kaethe Günther|Guenther Ursula|Ursula"
        " Lukas|Lukas Anja|Anja Jörg|Joerg Maximilian|Maximilian Lena|Lena"
        " Matthias|Matthias".split(),
        "Müller|Mueller Schröder|Schroeder Weiß|Weiss Groß|Gross Köhler|Koehler Schäfer|Schaefer"
        " Hoffmann|Hoffmann Krüger|Krueger Wagner|Wagner Becker|Becker Vogel|Vogel".split(),
        "iso-8859-15",
    ),
    "es": (
        "José|Jose María|Maria Iñaki|Inaki Begoña|Begona João|Joao Conceição|Conceicao"
        " Ramón|Ramon Lucía|Lucia Andrés|Andres Sofía|Sofia Tomás|Tomas".split(),
        "Núñez|Nunez Peña|Pena Gonçalves|Goncalves Ibáñez|Ibanez García|Garcia Fernández|Fernandez"
        " Rodríguez|Rodriguez Muñoz|Munoz Álvarez|Alvarez Araújo|Araujo".split(),
        "windows-1252",
    ),
    "pl": (
        "Łukasz|Lukasz Małgorzata|Malgorzata Wojciech|Wojciech Zdeněk|Zdenek Jiří|Jiri"
        " Agnieszka|Agnieszka Paweł|Pawel Kateřina|Katerina Grzegorz|Grzegorz".split(),
        "Wiśniewski|Wisniewski Dvořák|Dvorak Kowalczyk|Kowalczyk Nowak|Nowak Wójcik|Wojcik"
        " Kamiński|Kaminski Novotný|Novotny Zieliński|Zielinski".split(),
        "iso-8859-2",
    ),
    "nordic": (
        "Åsa|Asa Øystein|Oystein Søren|Soren Ingrid|Ingrid Magnus|Magnus Sigrún|Sigrun".split(),
        "Sørensen|Sorensen Åberg|Aberg Ødegård|Odegard Lindqvist|Lindqvist Jónsdóttir|Jonsdottir"
        " Håkansson|Hakansson".split(),
        "iso-8859-1",
    ),
    "tr": (
        "Çağla|Cagla Şükrü|Sukru Gökhan|Gokhan İlker|Ilker Ayşe|Ayse Emre|Emre".split(),
        "Yılmaz|Yilmaz Öztürk|Ozturk Çelik|Celik Şahin|Sahin Doğan|Dogan Aydın|Aydin".split(),
        "iso-8859-9",
    ),
    "vi": (
        "An|An Bích|Bich Đức|Duc Hương|Huong Minh|Minh Thảo|Thao Tuấn|Tuan".split(),
        "Nguyễn|Nguyen Trần|Tran Lê|Le Phạm|Pham Hoàng|Hoang Võ|Vo".split(),
        "utf-8",
    ),
    "ru": (
        "Александр|aleksandr Екатерина|ekaterina Дмитрий|dmitry Ольга|olga Сергей|sergey"
        " Наталья|natalya Андрей|andrey Татьяна|tatiana Михаил|mikhail Юлия|yulia".split(),
        "Иванов|ivanov Смирнова|smirnova Кузнецов|kuznetsov Попова|popova Соколов|sokolov"
        " Лебедева|lebedeva Шевченко|shevchenko Коваленко|kovalenko Морозов|morozov".split(),
        "koi8-r",
    ),
    "el": (
        "Γιώργος|giorgos Μαρία|maria Νίκος|nikos Ελένη|eleni Κώστας|kostas Δήμητρα|dimitra".split(),
        "Παπαδόπουλος|papadopoulos Οικονόμου|oikonomou Παπαδάκης|papadakis"
        " Γεωργίου|georgiou".split(),
        "iso-8859-7",
    ),
    "ar": (
        "محمد|mohamed أحمد|ahmed فاطمة|fatima علي|ali ليلى|layla يوسف|youssef".split(),
        "العلي|alali حسن|hassan الخطيب|alkhatib منصور|mansour".split(),
        "windows-1256",
    ),
    "he": (
        "דוד|david שרה|sarah יוסי|yossi מיכל|michal".split(),
        "כהן|cohen לוי|levi מזרחי|mizrahi פרץ|peretz".split(),
        "windows-1255",
    ),
    "zh": (
        "伟|wei 芳|fang 娜|na 敏|min 静|jing 强|qiang 磊|lei 洋|yang 婷|ting 杰|jie".split(),
        "王|wang 李|li 张|zhang 刘|liu 陈|chen 杨|yang 黄|huang 赵|zhao".split(),
        "gbk",
    ),
    "ja": (
        "太郎|taro 花子|hanako 翔|sho 美咲|misaki さくら|sakura 健|ken 陽菜|hina".split(),
        "佐藤|sato 鈴木|suzuki 高橋|takahashi 田中|tanaka 伊藤|ito 渡辺|watanabe".split(),
        "iso-2022-jp",
    ),
    "ko": (
        "민준|minjun 서연|seoyeon 지훈|jihoon 하은|haeun 도윤|doyoon".split(),
        "김|kim 이|lee 박|park 최|choi 정|jung".split(),
        "euc-kr",
    ),
    "hi": (
        "राहुल|rahul प्रिया|priya अमित|amit अनीता|anita विकास|vikas".split(),
        "शर्मा|sharma सिंह|singh पटेल|patel गुप्ता|gupta".split(),
        "utf-8",
    ),
    "th": (
        "สมชาย|somchai สมศรี|somsri วิชัย|wichai".split(),
        "ใจดี|jaidee ศรีสุข|srisuk".split(),
        "tis-620",
    ),
}
_LANG_WEIGHTS = {
    "en": 30, "fr": 9, "de": 9, "es": 7, "pl": 4, "nordic": 3, "tr": 3, "vi": 3, "ru": 7,
    "el": 2, "ar": 4, "he": 2, "zh": 7, "ja": 5, "ko": 3, "hi": 3, "th": 1,
}  # fmt: skip
_FAMILY_FIRST = frozenset(("zh", "ja", "ko", "vi"))
_TLDS = ["com", "com", "com", "net", "org", "io", "de", "fr", "co.uk", "es", "pl", "ru", "jp",
         "cn", "kr", "in", "com.br", "it", "nl", "se", "gr", "co.il", "ae", "vn",
         "co.th"]  # fmt: skip
_WORDS = (
    "acme apex atlas aurora beacon blue bright cedar cobalt core crest delta ember falcon forge"
    " granite harbor horizon iron juniper keystone lumen maple meridian nimbus north oak onyx"
    " orbit pine pioneer prairie quantum quartz raven ridge river sage sierra silver solar"
    " spruce stellar summit terra tidal titan union vector vertex willow zenith"
).split()
_KINDS = "labs systems group partners solutions health logistics capital media tech".split()

# Subjects: business phrases in several languages; most get a number, a name or a date.
_TOPICS = {
    "en": [
        "Quote for {n} {product} licenses",
        "Renewal of contract {id}",
        "Invoice {id} overdue",
        "Meeting next {day} re {product}",
        "Pricing question about {product}",
        "Demo of {product}",
        "Onboarding checklist for {company}",
        "Security questionnaire ({company})",
        "Q{q} roadmap review - {company}",
        "Pilot results: {product} at {company}",
        "Intro: {name} <> {name2}",
        "Your order #{id} has shipped",
        "Support ticket {id}: {product} login fails",
        "Proposal v{q} for {company}",
        "Lunch with {name} on {day}?",
        "Follow-up from our call ({date})",
        "PO {id} approved",
        "Budget {year} planning ({company})",
        "RFP response - {company}",
        "Contract redlines ({company})",
        "Webinar {date}: {product} tips",
        "Re-scheduling {day} with {name}",
    ],
    "fr": [
        "Devis n°{id} pour {company}",
        "Réunion {company} de {day} prochain",
        "Facture {id} en retard",
        "Renouvellement du contrat {id}",
        "Présentation de {product}",
        "Tarifs {year} révisés ({product})",
        "Compte rendu de la réunion du {date}",
        "Question sur la démo de {product}",
    ],
    "de": [
        "Angebot Nr. {id} für {company}",
        "Besprechung am {date}",
        "Rechnung {id} überfällig",
        "Vertragsverlängerung {id}",
        "Rückfrage zu {product}",
        "Schulung für {company} geplant",
        "Preisübersicht {year} {product}",
        "Protokoll vom {date}",
    ],
    "es": [
        "Presupuesto nº {id} para {company}",
        "Reunión del {date}",
        "Factura {id} pendiente",
        "Renovación del contrato {id}",
        "Demostración de {product}",
        "Pregunta sobre precios de {product}",
    ],
    "ru": [
        "Коммерческое предложение №{id}",
        "Встреча в {dayru} ({date})",
        "Счёт {id} к оплате",
        "Продление договора {id}",
        "Вопрос по {product}",
        "Отчёт за {q} квартал",
    ],
    "zh": [
        "报价单 {id}",
        "关于{product}的会议",
        "发票 {id} 已逾期",
        "合同续签 {id}",
        "{company} 试点结果",
    ],
    "ja": [
        "お見積り {id} の件",
        "{product} のデモについて",
        "請求書 {id} のご確認",
        "打ち合わせ日程 ({date})",
    ],
    "ko": ["견적서 {id} 관련", "{product} 데모 일정", "계약 갱신 {id}"],
    "el": ["Προσφορά {id} για {company}", "Συνάντηση {date}"],
    "ar": ["عرض سعر رقم {id}", "اجتماع {date}"],
    "pl": ["Oferta nr {id} dla {company}", "Spotkanie {date}", "Faktura {id} – przypomnienie"],
    "tr": ["Teklif {id} hakkında", "{product} toplantısı", "Fatura {id} ödemesi"],
}
_SUBJECT_LANG = {"en": 84, "fr": 4, "de": 4, "es": 3, "ru": 2, "zh": 2, "ja": 1, "ko": 1,
                 "el": 0.5, "ar": 0.5, "pl": 1, "tr": 0.5}  # fmt: skip
_EMOJI = ["🚀", "✅", "📅", "🎉", "🔥", "⚠️", "💡"]
_REPLY = ["Re: "] * 20 + ["RE: ", "AW: ", "Réf : ", "SV: ", "回复：", "Re: Re: ", "RE: RE: "]
_FORWARD = ["Fwd: ", "FW: ", "TR: ", "WG: ", "Fw: "]
_DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
_DAY_NAMES = "Monday Tuesday Wednesday Thursday Friday".split()
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_ZONES = ["+0000", "+0000", "-0500", "-0400", "-0800", "-0700", "+0100", "+0200", "+0530",
          "+0800", "+0900", "+1000", "-0300", "+0300", "+0545", "-0930"]  # fmt: skip
_ZONE_NAMES = {"+0000": "UTC", "-0500": "EST", "-0800": "PST", "+0100": "CET", "+0200": "CEST"}
_MAILERS = ["Microsoft Outlook 16.0", "Apple Mail (2.3731)", "Thunderbird 115.6.0",
            "Mozilla/5.0 (Windows NT 10.0)", "Roundcube Webmail/1.6.5"]  # fmt: skip
_LOREM = (
    "thanks for getting back to me so quickly. as discussed on the call, here are the numbers"
    " for the next quarter. could you check the attached figures and let me know whether the"
    " pricing works for your team? we would like to move forward before the end of the month."
    " the legal team had a few comments on section four; nothing blocking. best regards"
).split()


class Person(NamedTuple):
    name: str  # the display name as people write it (native script)
    email: str
    lang: str


class Generated(NamedTuple):
    """One message: its raw bytes, date, IMAP-style flags, and Maildir info letters."""

    raw: bytes
    date: float
    flags: tuple[str, ...]


def _pick_lang(rng: random.Random) -> str:
    langs = list(_LANG_WEIGHTS)
    return rng.choices(langs, weights=[_LANG_WEIGHTS[k] for k in langs])[0]


def _domains(rng: random.Random, count: int) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        a, b = rng.choice(_WORDS), rng.choice(_WORDS + _KINDS)
        shape = rng.random()
        base = (
            f"{a}{b}" if shape < 0.4 else f"{a}-{b}" if shape < 0.7 else f"{a}{rng.randint(1, 99)}"
        )
        found.add(f"{base}.{rng.choice(_TLDS)}")
    return sorted(found)


def people(rng: random.Random, count: int, domains: list[str]) -> list[Person]:
    """``count`` distinct correspondents: native-script names, addresses from romanised ones."""
    webmail = ["gmail.com", "outlook.com", "yahoo.com", "gmx.de", "orange.fr", "yandex.ru",
               "qq.com", "naver.com", "hotmail.com", "icloud.com"]  # fmt: skip
    made: list[Person] = []
    seen: set[str] = set()
    while len(made) < count:
        lang = _pick_lang(rng)
        given, family, _ = _PEOPLE[lang]
        g_native, g_roman = rng.choice(given).split("|")
        f_native, f_roman = rng.choice(family).split("|")
        if lang in _FAMILY_FIRST:
            name = f_native + g_native if lang in ("zh", "ja", "ko") else f"{f_native} {g_native}"
        else:
            name = f"{g_native} {f_native}"
        g, f = g_roman.lower(), f_roman.lower()
        local = rng.choice([f"{g}.{f}", f"{g[0]}{f}", f"{g}_{f}", f"{g}{rng.randint(1, 999)}",
                            f"{f}.{g}", f"{g}.{f}{rng.randint(1, 99)}"])  # fmt: skip
        domain = rng.choice(webmail) if rng.random() < 0.15 else rng.choice(domains)
        email = f"{local}@{domain}"
        if rng.random() < 0.04:
            email = email.replace(local, local.title(), 1)  # mixed case: N1 lowers it
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        made.append(Person(name, email, lang))
    return made


def _b64_word(text: str, charset: str) -> str:
    """``text`` as RFC 2047 B words of at most ~60 characters each, as mailers split them."""
    data = text.encode(charset)
    if charset == "iso-2022-jp":  # stateful: never split
        return f"=?{charset.upper()}?B?{base64.b64encode(data).decode()}?="
    words, chunk = [], ""
    for char in text:
        if len((chunk + char).encode(charset)) > 42:
            words.append(chunk)
            chunk = ""
        chunk += char
    words.append(chunk)
    return " ".join(
        f"=?{charset}?B?{base64.b64encode(w.encode(charset)).decode()}?=" for w in words
    )


def _q_word(text: str, charset: str) -> str:
    out = []
    for byte in text.encode(charset):
        char = chr(byte)
        if char == " ":
            out.append("_")
        elif char.isalnum() and byte < 128:
            out.append(char)
        else:
            out.append(f"={byte:02X}")
    return f"=?{charset}?Q?{''.join(out)}?="


def encode_text(rng: random.Random, text: str, legacy: str) -> str:
    """A header text as a mailer writes it: ASCII as is, else RFC 2047 (mostly UTF-8)."""
    if text.isascii():
        return text
    roll = rng.random()
    if roll < 0.03:
        return text  # raw UTF-8 (RFC 6532 mailers, and some that should not)
    charset = legacy if roll < 0.3 and legacy not in ("us-ascii", "utf-8") else "utf-8"
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    if charset in ("iso-8859-1", "iso-8859-15", "windows-1252", "iso-8859-2", "iso-8859-9"):
        return _q_word(text, charset) if rng.random() < 0.7 else _b64_word(text, charset)
    if charset == "utf-8" and rng.random() < 0.25:
        return _q_word(text, "utf-8")
    return _b64_word(text, charset)


def mailbox_text(rng: random.Random, person: Person) -> str:
    """An address as it appears in From/To/Cc: with or without a (quoted, encoded) name."""
    roll = rng.random()
    if roll < 0.1:
        return person.email
    if roll < 0.13:
        return f"<{person.email}>"
    legacy = _PEOPLE[person.lang][2]
    name = person.name
    if person.lang not in _FAMILY_FIRST and " " in name and rng.random() < 0.12:
        first, _, last = name.partition(" ")
        name = f"{last}, {first}"
    encoded = encode_text(rng, name, legacy)
    if encoded == name and ("," in name or "'" in name or rng.random() < 0.15):
        encoded = f'"{name}"'
    return f"{encoded} <{person.email}>"


class _Thread(NamedTuple):
    subject: str
    message_id: str
    references: tuple[str, ...]
    people: tuple[int, ...]


@dataclass
class _State:
    rng: random.Random
    people: list[Person]
    weights: list[float]  # cumulative, for a long-tailed choice of correspondents
    lists: list[tuple[str, str, Person]]  # (list name, list id, sender)
    recent: list[_Thread]
    companies: list[str]
    products: list[str]


def _person(state: _State) -> int:
    return bisect.bisect(state.weights, state.rng.random() * state.weights[-1])


def _subject(state: _State, n: int) -> str:
    rng = state.rng
    langs = list(_SUBJECT_LANG)
    lang = rng.choices(langs, weights=[_SUBJECT_LANG[k] for k in langs])[0]
    template = rng.choice(_TOPICS[lang])
    when = time.gmtime(START + n * 311)
    text = template.format(
        n=rng.choice([5, 10, 25, 50, 120, 300]),
        id=rng.choice([f"{rng.randint(1000, 99999)}", f"INV-{rng.randint(10000, 999999)}",
                       f"{rng.choice('ABCDEFGH')}{rng.randint(100, 9999)}-{rng.randint(10, 99)}"]),
        day=rng.choice(_DAY_NAMES), dayru=rng.choice(["понедельник", "среду", "пятницу"]),
        product=rng.choice(state.products), company=rng.choice(state.companies),
        name=state.people[_person(state)].name.split(" ")[0],
        name2=state.people[_person(state)].name.split(" ")[0],
        q=rng.randint(1, 4), year=rng.choice([2024, 2025, 2026]),
        date=time.strftime("%d.%m.%Y", when),
    )  # fmt: skip
    if rng.random() < 0.02:
        text = f"{rng.choice(_EMOJI)} {text}"
    if rng.random() < 0.05:
        text = text.upper() if text.isascii() else text
    if rng.random() < 0.03:
        text = f"[{rng.choice(['EXT', 'External', 'SPAM?', 'ticket'])}] {text}"
    return text


def _date_text(rng: random.Random, when: float) -> str:
    zone = rng.choice(_ZONES)
    east = (int(zone[1:3]) * 3600 + int(zone[3:]) * 60) * (1 if zone[0] == "+" else -1)
    t = time.gmtime(when + east)
    day = f"{t.tm_mday}" if rng.random() < 0.5 else f"{t.tm_mday:02d}"
    clock = f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
    text = f"{day} {_MONTHS[t.tm_mon - 1]} {t.tm_year} {clock} {zone}"
    if rng.random() < 0.9:
        text = f"{_DAYS[t.tm_wday]}, {text}"
    if zone in _ZONE_NAMES and rng.random() < 0.3:
        text += f" ({_ZONE_NAMES[zone]})"
    return text


def _message_id(rng: random.Random, n: int, sender: Person) -> str:
    domain = sender.email.rpartition("@")[2]
    roll = rng.random()
    if roll < 0.3:
        token = base64.urlsafe_b64encode(rng.randbytes(27)).decode().rstrip("=")
        return f"<CA+{token}@mail.gmail.com>"
    if roll < 0.55:
        host = rng.choice(["PH0PR11MB", "DM6PR04MB", "AM9PR07MB", "SN6PR12MB"])
        token = f"{host}{rng.randint(1000, 9999)}{rng.getrandbits(48):012X}"
        return f"<{token}@{host}.namprd.prod.outlook.com>"
    if roll < 0.8:
        return f"<{rng.getrandbits(64):x}.{n}.{rng.getrandbits(20)}@{domain}>"
    return f"<{rng.getrandbits(128):032x}@{domain}>"


def _others(rng: random.Random) -> list[str]:
    """The fields of a real header block that the rules never read."""
    hops = [
        f"Received: from mx{rng.randint(1, 9)}.{rng.choice(_WORDS)}.net"
        f" (mx{rng.randint(1, 9)}.{rng.choice(_WORDS)}.net"
        f" [{rng.randint(1, 223)}.{rng.randint(0, 255)}"
        f".{rng.randint(0, 255)}.{rng.randint(1, 254)}])\r\n\tby mail.globex.example (Postfix)"
        f" with ESMTPS id {rng.getrandbits(40):X}\r\n\tfor <{OWNER[1]}>;"
        f" {_DAYS[rng.randrange(7)]}, {rng.randint(1, 28)} {rng.choice(_MONTHS)} 2025"
        f" {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} +0000 (UTC)"
        for _ in range(rng.randint(1, 3))
    ]
    signature = base64.b64encode(rng.randbytes(rng.choice([96, 192]))).decode()
    folded = "\r\n\t ".join(signature[i : i + 70] for i in range(0, len(signature), 70))
    fields = [
        f"Return-Path: <bounce-{rng.getrandbits(32):x}@{rng.choice(_WORDS)}.example>",
        *hops,
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={rng.choice(_WORDS)}.com;"
        f" s=selector{rng.randint(1, 2)};\r\n\th=from:to:subject:date:message-id;"
        f" bh={base64.b64encode(rng.randbytes(32)).decode()};\r\n\tb={folded}",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
    ]
    if rng.random() < 0.6:
        fields.append(f"X-Mailer: {rng.choice(_MAILERS)}")
    return fields


def _body(rng: random.Random) -> str:
    size = min(int(rng.lognormvariate(6.2, 1.1)), 60_000)  # median ~80 words, long tail
    words = [rng.choice(_LOREM) for _ in range(max(5, size // 6))]
    lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    return "Hello,\r\n\r\n" + "\r\n".join(lines) + "\r\n\r\n-- \r\nSent from my desk\r\n"


def _flags(rng: random.Random, n: int, count: int) -> tuple[str, ...]:
    flags = []
    if n < count - 40 or rng.random() < 0.3:  # the newest are mostly unread
        flags.append("\\Seen")
    if rng.random() < 0.2:
        flags.append("\\Answered")
    if rng.random() < 0.03:
        flags.append("\\Flagged")
    return tuple(flags)


def _setup(seed: int, correspondents: int) -> _State:
    rng = random.Random(seed)
    domains = _domains(rng, max(200, correspondents // 6))
    crowd = people(rng, correspondents, domains)
    # A long tail: the k-th correspondent is met about 1/(k+10) as often as the first ones.
    weights = list(itertools.accumulate(1 / (k + 10) ** 0.85 for k in range(len(crowd))))
    senders = people(rng, 300, domains)
    lists = []
    for n, sender in enumerate(senders):
        base = sender.email.rpartition("@")[2]
        label = rng.choice(["Newsletter", "Updates", "Announce", "Digest", "Offers", "News"])
        lists.append(
            (f"{rng.choice(_WORDS).title()} {label}", f"{label.lower()}{n}.{base}", sender)
        )
    companies = [d.partition(".")[0].replace("-", " ").title() for d in domains[:2000]]
    products = [f"{rng.choice(_WORDS).title()}{rng.choice(['', ' Pro', ' Cloud', ' 360', 'X'])}"
                for _ in range(400)]  # fmt: skip
    return _State(rng, crowd, weights, lists, [], companies, products)


def messages(count: int, seed: int = 10, correspondents: int | None = None) -> Iterator[Generated]:
    """``count`` messages, dated in order from 2024-01-01, about one every five minutes."""
    state = _setup(seed, correspondents or max(2000, min(40_000, count // 2)))
    rng = state.rng
    me = Person(*OWNER, "en")
    for n in range(count):
        when = START + n * 300 + rng.random() * 240
        yield _one(state, n, when, me, count)


def _one(state: _State, n: int, when: float, me: Person, count: int) -> Generated:
    rng = state.rng
    listed = rng.random() < 0.2
    picked: list[int] = []
    reply = not listed and state.recent and rng.random() < 0.5  # ~40% of all messages
    if listed:
        name, list_id, sender = rng.choice(state.lists)
        to_people = [me]
        cc_people: list[Person] = []
        subject = _subject(state, n)
        thread: _Thread | None = None
    else:
        thread = rng.choice(state.recent[-2000:]) if reply else None
        picked = [_person(state) for _ in range(rng.randint(1, 3) + rng.randint(0, 5))]
        if thread is not None and rng.random() < 0.7:
            picked[0] = rng.choice(thread.people)
        crowd = [state.people[i] for i in picked]
        outbound = rng.random() < 0.3
        sender = me if outbound else crowd[0]
        rest = crowd if outbound else [me, *crowd[1:]]
        split = rng.randint(1, min(3, len(rest)))
        to_people, cc_people = rest[:split], rest[split : split + 5]
        if thread is not None:
            prefix = rng.choice(_FORWARD) if rng.random() < 0.08 else rng.choice(_REPLY)
            subject = (
                thread.subject
                if thread.subject.startswith(tuple(_REPLY))
                else prefix + thread.subject
            )
        else:
            subject = _subject(state, n)
    mid = _message_id(rng, n, sender)
    legacy = _PEOPLE[sender.lang][2]
    lines = [f"From: {mailbox_text(rng, sender)}"]
    lines.append("To: " + ",\r\n ".join(mailbox_text(rng, p) for p in to_people))
    if cc_people:
        lines.append("Cc: " + ", ".join(mailbox_text(rng, p) for p in cc_people))
    lines.append(f"Subject: {encode_text(rng, subject, legacy)}")
    lines += [f"Date: {_date_text(rng, when)}", f"Message-ID: {mid}"]
    refs: tuple[str, ...] = ()
    if thread is not None:
        refs = (*thread.references, thread.message_id)[-12:]
        roll = rng.random()
        if roll < 0.85:
            lines.append(f"In-Reply-To: {thread.message_id}")
        if roll > 0.1:
            lines.append("References: " + "\r\n ".join(refs))
    if listed:
        lines += [
            f"List-Id: {name} <{list_id}>",
            f"List-Unsubscribe: <mailto:unsubscribe-{rng.getrandbits(32):x}@{list_id}>,"
            f"\r\n <https://{list_id}/u?id={rng.getrandbits(64):x}>",
        ]
        if rng.random() < 0.5:
            lines.append(f"Precedence: {rng.choice(['bulk', 'list'])}")
        if rng.random() < 0.15:
            lines.append("Auto-Submitted: auto-generated")
    if rng.random() < 0.5:
        rng.shuffle(lines)  # mailers order fields their own way
    fields = _others(rng) + lines
    raw = "\r\n".join(fields) + "\r\n\r\n" + _body(rng)
    if not listed:
        who = thread.people if thread is not None else tuple(picked)
        state.recent.append(_Thread(subject, mid, refs, who))
        if len(state.recent) > 4000:
            del state.recent[:2000]
    return Generated(raw.encode("utf-8"), when, _flags(rng, n, count))


_INFO = {"\\Seen": "S", "\\Answered": "R", "\\Flagged": "F", "\\Draft": "D"}


def maildir_info(flags: Iterable[str]) -> str:
    return "2," + "".join(sorted(_INFO[f] for f in flags if f in _INFO))


def write_maildir(root: Path, generated: Iterable[Generated], start: int = 1) -> int:
    """Write messages into ``root/cur`` (``root/new`` and ``tmp`` made too); returns the count."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    count = 0
    for count, g in enumerate(generated, start=start):
        path = (
            root
            / "cur"
            / f"{int(g.date)}.M{count}P{os.getpid()}.bench,S={len(g.raw)}:{maildir_info(g.flags)}"
        )
        path.write_bytes(g.raw)
        os.utime(path, (g.date, g.date))
    return count - start + 1 if count else 0


def mbox_entry(g: Generated) -> bytes:
    """One message as an mbox entry: its From_ line, a Status line, ``>From`` quoting."""
    stamp = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(g.date))
    status = ("R" if "\\Seen" in g.flags else "") + "O"
    head, _, body = g.raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    body = body.replace(b"\nFrom ", b"\n>From ")
    return b"From MAILER-DAEMON %s\n%s\nStatus: %s\n\n%s\n" % (
        stamp.encode(),
        head,
        status.encode(),
        body if body.endswith(b"\n") else body + b"\n",
    )


def write_mbox(path: Path, generated: Iterable[Generated]) -> int:
    count = 0
    with path.open("wb") as out:
        for g in generated:
            out.write(mbox_entry(g))
            count += 1
    return count


if __name__ == "__main__":  # a quick look: python bench/mailgen.py [count]
    import sys

    for g in messages(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        head = g.raw.split(b"\r\n\r\n", 1)[0]
        print(head.decode("utf-8", "replace"), end="\n\n")
