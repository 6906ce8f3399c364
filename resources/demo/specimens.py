"""The demo's specimens: rich and malformed mail, the archive, and the unsent drafts.

HTML with inline and remote images, an attachment, encodings, a missing Message-ID, a bad
Date and an unparseable From: what a mail client meets in a real mailbox, each once.
"""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta

from resources.demo import cast
from resources.demo.cast import ACCOUNT_BCC, CLAIRE, MIA, RAJ
from resources.demo.letters import Desk, Letter, local_time
from resources.demo.routine import SIGNATURE
from resources.demo.stories import PDF, sig

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
            attachment=("scan_0047.pdf", "application/pdf", PDF),
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
        "Mia,\n\nwe are ready to sign. Please send the order form." + sig(ahmed),
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
            f"Hi Mia,\n\n{text}" + sig(ben),
            folder="archive",
        )
        desk.reply(mail, local_time(8 + 3 * i, 15.0, MIA), MIA, [ben], "Thanks Ben!" + SIGNATURE)


def drafts(desk: Desk) -> None:
    """Unsent drafts: decided last, as if sent now."""
    karen, yuki, elodie = C["karen"], C["yuki"], C["elodie"]
    start = local_time(121, 16.0, MIA)
    budget = next(letter for letter in desk.letters if letter.key == "contact-owner")
    desk.reply(
        budget,
        start,
        MIA,
        [budget.sender, CLAIRE],  # type: ignore[list-item]
        "Hi Marcus,\n\nthank you! The order form follows tomorrow." + SIGNATURE,
        folder="drafts",
        flags="D",
        key="draft-thread-reply",
    )
    desk.post(
        start + timedelta(minutes=10),
        MIA,
        [karen],
        "Umbrella Health – renewal timeline",
        "Hi Karen,\n\n(draft) timeline for the renewal:" + SIGNATURE,
        folder="drafts",
        flags="D",
        key="draft-to-contact",
    )
    desk.post(
        start + timedelta(minutes=20),
        MIA,
        [cast.CARLOS],
        "Re: Request for a demo – Atlas Cargo",
        "Dear Carlos,\n\nhow about Tuesday?",
        folder="drafts",
        flags="D",
        key="draft-not-a-contact",
    )
    desk.post(
        start + timedelta(minutes=40),
        MIA,
        [cast.INES],
        "Démonstration Globex – proposition de créneaux",
        "Bonjour Inès,\n\nvoici trois créneaux possibles.",
        bcc=[ACCOUNT_BCC],
        folder="drafts",
        flags="D",
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
        folder="drafts",
        flags="D",
        key="draft-internal",
    )
    desk.post(
        start + timedelta(hours=3),
        MIA,
        [elodie],
        "Proposition tarifaire – Atelier Lumière",
        "Bonjour Élodie,\n\nvoici notre proposition.",
        folder="drafts",
        flags="D",
        key="draft-french",
    )
