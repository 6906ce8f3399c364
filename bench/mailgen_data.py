"""The word lists of ``bench/mailgen.py``: names in many scripts, domains, subjects, dates."""

from __future__ import annotations

# (given names, family names, charset a legacy mailer of that language uses, romanised pairs).
# Each entry is "native|romanised"; the romanised form makes the address.
PEOPLE: dict[str, tuple[list[str], list[str], str]] = {
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
LANG_WEIGHTS = {
    "en": 30, "fr": 9, "de": 9, "es": 7, "pl": 4, "nordic": 3, "tr": 3, "vi": 3, "ru": 7,
    "el": 2, "ar": 4, "he": 2, "zh": 7, "ja": 5, "ko": 3, "hi": 3, "th": 1,
}  # fmt: skip
FAMILY_FIRST = frozenset(("zh", "ja", "ko", "vi"))
TLDS = ["com", "com", "com", "net", "org", "io", "de", "fr", "co.uk", "es", "pl", "ru", "jp",
         "cn", "kr", "in", "com.br", "it", "nl", "se", "gr", "co.il", "ae", "vn",
         "co.th"]  # fmt: skip
WORDS = (
    "acme apex atlas aurora beacon blue bright cedar cobalt core crest delta ember falcon forge"
    " granite harbor horizon iron juniper keystone lumen maple meridian nimbus north oak onyx"
    " orbit pine pioneer prairie quantum quartz raven ridge river sage sierra silver solar"
    " spruce stellar summit terra tidal titan union vector vertex willow zenith"
).split()
KINDS = "labs systems group partners solutions health logistics capital media tech".split()

# Subjects: business phrases in several languages; most get a number, a name or a date.
TOPICS = {
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
SUBJECT_LANG = {"en": 84, "fr": 4, "de": 4, "es": 3, "ru": 2, "zh": 2, "ja": 1, "ko": 1,
                 "el": 0.5, "ar": 0.5, "pl": 1, "tr": 0.5}  # fmt: skip
EMOJI = ["🚀", "✅", "📅", "🎉", "🔥", "⚠️", "💡"]
REPLY = ["Re: "] * 20 + ["RE: ", "AW: ", "Réf : ", "SV: ", "回复：", "Re: Re: ", "RE: RE: "]
FORWARD = ["Fwd: ", "FW: ", "TR: ", "WG: ", "Fw: "]
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
DAY_NAMES = "Monday Tuesday Wednesday Thursday Friday".split()
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
ZONES = ["+0000", "+0000", "-0500", "-0400", "-0800", "-0700", "+0100", "+0200", "+0530",
          "+0800", "+0900", "+1000", "-0300", "+0300", "+0545", "-0930"]  # fmt: skip
ZONE_NAMES = {"+0000": "UTC", "-0500": "EST", "-0800": "PST", "+0100": "CET", "+0200": "CEST"}
MAILERS = ["Microsoft Outlook 16.0", "Apple Mail (2.3731)", "Thunderbird 115.6.0",
            "Mozilla/5.0 (Windows NT 10.0)", "Roundcube Webmail/1.6.5"]  # fmt: skip
LOREM = (
    "thanks for getting back to me so quickly. as discussed on the call, here are the numbers"
    " for the next quarter. could you check the attached figures and let me know whether the"
    " pricing works for your team? we would like to move forward before the end of the month."
    " the legal team had a few comments on section four; nothing blocking. best regards"
).split()
