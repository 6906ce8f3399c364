"""The hand-written stories of the demo: one or more messages for every rule and attribution.

Each story letter has a ``key``; README.md names them and the tests check their verdicts.
``stories`` returns what the sales extension logged earlier (the directory's ``logged`` list).
"""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from typing import Any

from resources.demo import cast
from resources.demo.cast import ACCOUNT_BCC, ACCOUNT_FORWARD, CLAIRE, HANNAH, MIA, RAJ, TOM
from resources.demo.letters import Desk, Letter, local_time
from resources.demo.routine import SIGNATURE

C = cast.CONTACTS


def _png(size: int = 16) -> bytes:
    """A small deterministic PNG (Globex blue square with a lighter stripe)."""
    rows = b"".join(
        b"\x00" + b"".join(b"\x1f\x5f\xbf" if y % 8 < 5 else b"\x8f\xbf\xef" for _ in range(size))
        for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    head = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

REMOTE_HTML = """<html><head>
<link rel="stylesheet" href="https://cdn.pipelineweekly.example/css/issue.css">
<style>@import url("http://fonts.pipelineweekly.example/inter.css");
body { background: url(https://cdn.pipelineweekly.example/paper.png); }</style>
</head><body>
<img src="https://track.pipelineweekly.example/open.gif?u=mia-7731" width="1" height="1" alt="">
<h1>Pipeline Weekly – Special: the 2027 planning issue</h1>
<img src="//cdn.pipelineweekly.example/img/forecast-chart.jpg" alt="Forecast chart">
<img src="file:///etc/passwd" alt="">
<p>Territory plans, quota maths and a template for your account plans.</p>
<p><a href="https://pipelineweekly.example/issues/special-2027?utm_source=email">Read online</a>
 · <a href="https://pipelineweekly.example/unsubscribe?u=mia-7731">Unsubscribe</a></p>
</body></html>"""

INLINE_HTML = """<html><body>
<p><img src="cid:LOGO" alt="Atelier Lumière" width="16" height="16"></p>
<p>Bonjour Mia,</p>
<p>Nous avons le plaisir de vous inviter à l'inauguration de notre boutique du Marais,
jeudi 19 novembre à 18 h 30, 14 rue des Francs-Bourgeois.</p>
<p>Bien à vous,<br>Élodie Moreau</p>
</body></html>"""


def _sig(person: Any) -> str:
    return f"\n\nBest regards,\n{person.name}\n{person.title}, {person.company}"


def prospects(desk: Desk, logged: list[dict[str, Any]]) -> None:
    """Logged by the extension, BCC and forwarding, and prospects who are not contacts yet."""
    noah = cast.NOAH
    intro = desk.post(
        local_time(24, 9.2, MIA),
        MIA,
        [noah],
        "Route optimisation for Quantum Freight",
        "Hi Noah,\n\ngreat meeting you at the Hamburg logistics forum. As discussed, "
        "here is a two-page overview of how Globex plans routes for fleets like "
        "yours.\n\nBest regards,\nMia" + SIGNATURE,
        key="extension-sent",
    )
    logged.append({"message_id": intro.message_id, "subject": intro.subject})
    reply = desk.reply(
        intro,
        local_time(25, 15.1, noah),
        noah,
        [MIA],
        "Hi Mia,\n\nthanks, this is interesting. Can we talk next week?" + _sig(noah),
        key="prospect-reply",
    )
    answer = desk.reply(
        reply,
        local_time(25, 17.4, MIA),
        MIA,
        [noah],
        "Hi Noah,\n\nsure: Tuesday 10:00 works for me.\n\nMia" + SIGNATURE,
    )
    desk.reply(
        answer,
        local_time(33, 11.0, noah),
        noah,
        [MIA],
        "Hi Mia,\n\nstarting a separate thread for the pilot: we would start with the "
        "Bremen depot, 35 trucks, from October." + _sig(noah),
        subject="Pilot scope and timeline – Quantum Freight",
        key="subject-changed",
    )
    olivia = C["olivia"]
    store_list = desk.post(
        local_time(40, 16.3, olivia),
        olivia,
        [MIA],
        "Brightwater pilot – store list",
        "Hi Mia,\n\nhere are the 12 stores for the pilot." + _sig(olivia),
        key="extension-inbound",
    )
    logged.append(
        {
            "message_id": store_list.message_id,
            "subject": store_list.subject,
            "contacts": ["c-olivia"],
        }
    )
    # Sent from Mia's phone (no copy in Sent), logged by the extension; Katrin answers it.
    phone_id = "<9F3A1C2E-77B1-4C2B-9E0D-5A4E1B7C3D20@globex.example>"
    logged.append(
        {
            "message_id": phone_id,
            "subject": "Nordwind evaluation – next steps",
            "contacts": ["c-katrin"],
        }
    )
    katrin = C["katrin"]
    desk.write(
        Letter(
            "inbox",
            local_time(52, 10.5, katrin),
            katrin,
            [MIA],
            "AW: Nordwind evaluation – next steps",
            "Hallo Frau Rossi,\n\ndanke, die Unterlagen sind angekommen. Wir melden "
            "uns bis Ende der Woche.\n\nViele Grüße\nKatrin Müller",
            in_reply_to=phone_id,
            references=[phone_id],
            key="reply-to-logged",
        )
    )
    zoe = cast.ZOE
    overview = desk.post(
        local_time(61, 9.8, MIA),
        MIA,
        [zoe],
        "Globex for Bluepeak Outdoor – overview",
        "Hi Zoë,\n\nas promised, a short overview of Globex for your "
        "e-commerce fulfilment.\n\nBest,\nMia" + SIGNATURE,
        bcc=[ACCOUNT_BCC],
        key="bcc-sent",
    )
    desk.reply(
        overview,
        local_time(62, 13.0, zoe),
        zoe,
        [MIA],
        "Thanks Mia, I'll read it this weekend." + _sig(zoe),
        key="bcc-thread-reply",
    )
    wei = cast.WEI
    inquiry = desk.post(
        local_time(70, 8.7, wei),
        wei,
        [MIA],
        "Inquiry from Lotus Parcel",
        "Hello,\n\nwe are a parcel start-up with 40 vans in Berlin and would "
        "like a quote." + _sig(wei),
        key="prospect-inquiry",
    )
    desk.post(
        local_time(70, 9.5, MIA),
        MIA,
        [ACCOUNT_FORWARD],
        "Fwd: Inquiry from Lotus Parcel",
        "Logging this inquiry.\n\n-------- Forwarded Message --------\n" + inquiry.body,
        references=[inquiry.message_id],
        key="forward-to-crm",
    )
    desk.post(
        local_time(80, 10.0, cast.CARLOS),
        cast.CARLOS,
        [MIA],
        "Request for a demo – Atlas Cargo",
        "Dear Ms Rossi,\n\ncould you show us Globex in a 30-minute demo?" + _sig(cast.CARLOS),
        key="not-a-contact-in",
    )
    desk.post(
        local_time(83, 14.0, cast.INES),
        cast.INES,
        [MIA],
        "Demande de démonstration – Verdure Bio",
        "Bonjour Madame Rossi,\n\nnous aimerions voir une démonstration de votre outil "
        "pour nos livraisons en Île-de-France.\n\nCordialement,\nInès Bouchard",
        key="french-inquiry",
    )
    desk.post(
        local_time(88, 8.3, MIA),
        MIA,
        [cast.EMMA],
        "Fjord Retail x Globex – 20 minutes next week?",
        "Hi Emma,\n\nI saw Fjord Retail is opening two new warehouses. Worth a chat?"
        "\n\nMia" + SIGNATURE,
        key="not-a-contact-out",
    )


def never_log(desk: Desk) -> None:
    """The account's and Mia's own Never-log lists."""
    derek = C["derek"]
    desk.post(
        local_time(45, 12.0, derek),
        derek,
        [MIA],
        "Congrats on Initrode – coffee?",
        "Hi Mia,\n\nheard you won Initrode. Coffee at LogiMAT?\n\nDerek",
        key="competitor",
    )
    desk.post(
        local_time(58, 7.0, cast.DEREK_NEWS),
        cast.DEREK_NEWS,
        [MIA],
        "Initech Summit 2026: register now",
        "Join us in Frankfurt.",
        headers=[("List-Id", "Initech Events <events.news.initech.example>")],
        key="competitor-subdomain",
    )
    desk.post(
        local_time(66, 16.0, cast.COUNSEL),
        cast.COUNSEL,
        [MIA],
        "Privileged & confidential: Initrode MSA liability cap",
        "Mia,\n\nour comments on clause 11 are below. Please do not forward.\n\nHarbor Legal",
        key="counsel",
    )
    sofia = C["sofia"]
    dinner = desk.post(
        local_time(75, 19.5, sofia),
        sofia,
        [MIA],
        "Dinner on Saturday? 🍝",
        "Ciao Mia! Dinner at ours on Saturday? Bring Luca.\n\nSofia",
        key="friend",
    )
    desk.reply(
        dinner,
        local_time(75, 21.0, MIA),
        MIA,
        [sofia],
        "Yes!! We'll bring dessert.",
        key="friend-reply",
    )
    desk.post(
        local_time(90, 20.0, cast.LUCA),
        cast.LUCA,
        [MIA],
        "Mamma's birthday",
        "Shall we go halves on the present?\n\nLuca",
        key="family",
    )
    karen = C["karen"]
    desk.post(
        local_time(96, 10.0, MIA),
        MIA,
        [karen],
        "Umbrella Health – upsell proposal",
        "Hi Karen,\n\nplease find the upsell proposal for the two new hospitals.\n\nMia"
        + SIGNATURE,
        cc=[sofia],
        key="partial-never-log",
    )


def access_and_internal(desk: Desk) -> None:
    """Tom has no personal email access; mail only between users is internal."""
    grace, ben = C["grace"], C["ben"]
    desk.post(
        local_time(55, 14.0, TOM),
        TOM,
        [ACCOUNT_FORWARD],
        "Fwd: Cobalt implementation SOW",
        "Logging Grace's SOW.\n\n-------- Forwarded Message --------\nFrom: Grace Park",
        cc=[MIA],
        key="no-access-forward",
    )
    desk.post(
        local_time(57, 9.0, TOM),
        TOM,
        [ben],
        "Helios onboarding – week 3 checklist",
        f"Hi Ben,\n\nhere is the checklist for week 3.\n\nTom\n\nCc: Mia ({grace.company} "
        "joins on Thursday)",
        cc=[MIA],
        key="no-access",
    )
    paul, amelie = C["paul"], C["amelie"]
    numbers = desk.post(
        local_time(68, 8.9, paul),
        paul,
        [MIA],
        "Initrode – final numbers before the steering committee",
        "Mia,\n\nthe final numbers are attached in the deck." + _sig(paul),
        cc=[amelie],
        key="only-user-recipient",
    )
    desk.post(
        local_time(68, 9.6, MIA),
        MIA,
        [HANNAH],
        "Fwd: Initrode – final numbers before the steering committee",
        "Hannah, FYI before Tuesday.\n\n-------- Forwarded Message --------\n" + numbers.body,
        key="internal-forward",
    )
    desk.post(
        local_time(100, 12.0, MIA),
        MIA,
        [RAJ, CLAIRE],
        "Q4 forecast – my commit",
        "Commit: Initrode, Umbrella upsell. Best case: Nordwind." + SIGNATURE,
        key="internal",
    )


def attributions(desk: Desk) -> None:
    """Inbound mail that counts for different users (rules section 6)."""
    marcus, stefan = C["marcus"], C["stefan"]
    desk.post(
        local_time(85, 15.0, marcus),
        marcus,
        [MIA],
        "Budget approval for the Umbrella upsell",
        "Mia, Claire,\n\nthe budget is approved for 2027." + _sig(marcus),
        cc=[CLAIRE],
        key="contact-owner",
    )
    desk.post(
        local_time(87, 11.0, stefan),
        stefan,
        [MIA],
        "API-Zugang für den Testbetrieb",
        "Hallo Frau Rossi, hallo Frau Schmidt,\n\nkönnen Sie uns einen API-Schlüssel für "
        "die Testumgebung schicken?\n\nGruß\nStefan Groß",
        cc=[HANNAH],
        key="no-contact-owner",
    )
    laura, ahmed = C["laura"], C["ahmed"]
    desk.post(
        local_time(92, 9.0, laura),
        laura,
        [cast.SALES_TEAM_LIST],
        "Helios: additional depots from January",
        "Hello Globex team,\n\nwe will add three depots in January." + _sig(laura),
        key="team-address",
    )
    desk.post(
        local_time(94, 17.0, ahmed),
        ahmed,
        [laura],
        "Helios – thanks to the Globex team",
        "Laura,\n\nthe first month went really well." + _sig(ahmed),
        key="bcc-to-me",
    )  # Mia was in Bcc: her address is nowhere in the headers
    amelie = C["amelie"]._replace(email="a.laurent@initrode-group.example")
    desk.post(
        local_time(98, 10.4, amelie),
        amelie,
        [MIA],
        "Purchase order for phase 1",
        "Bonjour Mia,\n\nthe purchase order is attached." + _sig(amelie),
        attachment=("PO-INI-2026-118.pdf", "application/pdf", _PDF),
        key="additional-email",
    )


def rich_and_malformed(desk: Desk) -> None:
    """HTML, inline and remote images, encodings, a missing Message-ID, a bad Date, bad From."""
    desk.write(
        Letter(
            "inbox",
            local_time(35, 9.0, MIA),
            "Trade Show Leads <leads at expo>",
            [MIA],
            "Your LogiMAT lead list (47 scans)",
            "47 leads attached.",
            key="unparseable",
        )
    )
    desk.write(
        Letter(
            "inbox",
            local_time(47, 8.0, MIA),
            cast.SCANNER,
            [MIA],
            "Scanned document from MFP-3F",
            "Scanned 2 pages.",
            headers=[("X-Mailer", "MFP-3F Scan-to-Mail 2.1")],
            attachment=("scan_0047.pdf", "application/pdf", _PDF),
            key="no-message-id",
        ),
        with_id=False,
    )
    katrin = C["katrin"]
    desk.write(
        Letter(
            "inbox",
            local_time(81, 10.5, katrin),
            katrin,
            [MIA],
            "Lieferantenstammdaten für Globex",
            "Hallo Frau Rossi,\n\nbitte füllen Sie unser Lieferantenformular aus."
            "\n\nViele Grüße\nKatrin Müller",
            date_text="Mittwoch, 14. Oktober 2026 10:30",
            key="bad-date",
        )
    )
    pw = cast.PIPELINE_WEEKLY
    desk.post(
        local_time(114, 6.5, pw),
        pw,
        [MIA],
        "Pipeline Weekly special: planning for 2027",
        "Territory plans, quota maths and a template for your account plans.\n"
        "Read online: https://pipelineweekly.example/issues/special-2027",
        html=REMOTE_HTML,
        key="remote-html",
        headers=[
            ("List-Id", "Pipeline Weekly <weekly.pipelineweekly.example>"),
            ("List-Unsubscribe", "<https://pipelineweekly.example/unsubscribe?u=m>"),
        ],
    )
    elodie = C["elodie"]
    desk.post(
        local_time(102, 11.0, elodie),
        elodie,
        [MIA],
        "Invitation : inauguration de la boutique Lumière Marais",
        "Bonjour Mia,\n\nnous avons le plaisir de vous inviter à l'inauguration de notre "
        "boutique du Marais, jeudi 19 novembre à 18 h 30.\n\nBien à vous,\nÉlodie Moreau",
        html=INLINE_HTML,
        inline_png=_png(),
        key="inline-image",
    )
    mette = C["mette"]
    desk.post(
        local_time(104, 7.4, mette),
        mette,
        [MIA],
        "Quick question from the road",
        "Hi Mia, can your app handle ferry legs? Sent from my iPhone",
        raw_utf8_from=True,
        key="raw-utf8",
    )
    juergen = C["juergen"]
    offer = desk.post(
        local_time(30, 9.0, juergen),
        juergen,
        [MIA],
        "Angebot für Nordwind: Rückfragen zur Schulung",
        "Sehr geehrte Frau Rossi,\n\nzu Ihrem Angebot haben wir noch Fragen zur "
        "Schulung der Disponenten.\n\nMit freundlichen Grüßen\nJürgen Weiß",
        subject_charset="iso-8859-1",
        key="german",
    )
    answer = desk.reply(
        offer,
        local_time(30, 14.0, MIA),
        MIA,
        [juergen],
        "Sehr geehrter Herr Weiß,\n\ndie Schulung dauert zwei Tage vor Ort." + SIGNATURE,
    )
    desk.reply(
        answer,
        local_time(31, 8.5, juergen),
        juergen,
        [MIA],
        "Danke, das passt so.\n\nJürgen Weiß",
        prefix="AW: ",
        key="german-reply",
    )


def archive(desk: Desk) -> None:
    """August's closed-won Helios thread, filed; one message also kept in the Inbox."""
    ahmed, ben = C["ahmed"], C["ben"]
    first = desk.post(
        local_time(3, 10.0, ahmed),
        ahmed,
        [MIA],
        "Helios Energy – order form",
        "Mia,\n\nwe are ready to sign. Please send the order form." + _sig(ahmed),
        folder="archive",
    )
    sent = desk.reply(
        first,
        local_time(3, 12.0, MIA),
        MIA,
        [ahmed],
        "Wonderful news, Ahmed! Order form attached." + SIGNATURE,
    )
    signed = desk.reply(
        sent,
        local_time(6, 9.0, ahmed),
        ahmed,
        [MIA],
        "Signed copy attached.",
        cc=[ben],
        folder="archive",
        subject="Signed order form – Helios Energy",
    )
    copy = Letter(**{**signed.__dict__, "folder": "inbox", "key": "duplicate-copy"})
    desk.write(copy)
    for i, text in enumerate(["Kickoff date?", "Depot list attached.", "Invoice address."]):
        mail = desk.post(
            local_time(8 + 3 * i, 9.5 + i, ben),
            ben,
            [MIA],
            f"Helios onboarding: {text.rstrip('?.').lower()}",
            f"Hi Mia,\n\n{text}" + _sig(ben),
            folder="archive",
        )
        desk.reply(mail, local_time(8 + 3 * i, 15.0, MIA), MIA, [ben], "Thanks Ben!" + SIGNATURE)


def drafts(desk: Desk) -> None:
    """Unsent drafts: decided last, as if sent now."""
    karen, yuki, elodie = C["karen"], C["yuki"], C["elodie"]
    start = local_time(121, 16.0, MIA)
    base = {"folder": "drafts", "flags": "D"}
    budget = next(letter for letter in desk.letters if letter.key == "contact-owner")
    desk.reply(
        budget,
        start,
        MIA,
        [budget.sender, CLAIRE],  # type: ignore[list-item]
        "Hi Marcus,\n\nthank you! The order form follows tomorrow." + SIGNATURE,
        **base,
        key="draft-thread-reply",
    )
    desk.post(
        start + timedelta(minutes=10),
        MIA,
        [karen],
        "Umbrella Health – renewal timeline",
        "Hi Karen,\n\n(draft) timeline for the renewal:" + SIGNATURE,
        **base,
        key="draft-to-contact",
    )
    desk.post(
        start + timedelta(minutes=20),
        MIA,
        [cast.CARLOS],
        "Re: Request for a demo – Atlas Cargo",
        "Dear Carlos,\n\nhow about Tuesday?",
        **base,
        key="draft-not-a-contact",
    )
    desk.post(
        start + timedelta(minutes=40),
        MIA,
        [cast.INES],
        "Démonstration Globex – proposition de créneaux",
        "Bonjour Inès,\n\nvoici trois créneaux possibles.",
        bcc=[ACCOUNT_BCC],
        **base,
        key="draft-bcc",
    )
    desk.write(
        Letter(
            "drafts",
            start + timedelta(hours=1),
            None,
            [yuki],
            "Tanaka Foods – cold storage add-on",
            "Hi Yuki,\n\n(unfinished)",
            flags="D",
            key="draft-no-from",
        )
    )
    desk.post(
        start + timedelta(hours=2),
        MIA,
        [RAJ],
        "Handover: Vandelay while I'm at LogiMAT",
        "Raj, here is what is open.",
        **base,
        key="draft-internal",
    )
    desk.post(
        start + timedelta(hours=3),
        MIA,
        [elodie],
        "Proposition tarifaire – Atelier Lumière",
        "Bonjour Élodie,\n\nvoici notre proposition.",
        **base,
        key="draft-french",
    )
