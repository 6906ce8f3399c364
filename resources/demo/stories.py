"""The hand-written stories of the demo: one or more messages for every rule and attribution.

Each story letter has a ``key``; README.md names them and the tests check their verdicts.
``stories`` returns what the sales extension logged earlier (the directory's ``logged`` list).
"""

from __future__ import annotations

from typing import Any

from resources.demo import cast
from resources.demo.cast import ACCOUNT_BCC, ACCOUNT_FORWARD, CLAIRE, HANNAH, MIA, RAJ, TOM
from resources.demo.letters import Desk, Letter, local_time
from resources.demo.routine import SIGNATURE

C = cast.CONTACTS

# A minimal one-page PDF for the attachments.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def sig(person: Any) -> str:
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
        "Hi Mia,\n\nthanks, this is interesting. Can we talk next week?" + sig(noah),
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
        "Bremen depot, 35 trucks, from October." + sig(noah),
        subject="Pilot scope and timeline – Quantum Freight",
        key="subject-changed",
    )
    olivia = C["olivia"]
    store_list = desk.post(
        local_time(40, 16.3, olivia),
        olivia,
        [MIA],
        "Brightwater pilot – store list",
        "Hi Mia,\n\nhere are the 12 stores for the pilot." + sig(olivia),
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
        "Thanks Mia, I'll read it this weekend." + sig(zoe),
        key="bcc-thread-reply",
    )
    wei = cast.WEI
    inquiry = desk.post(
        local_time(70, 8.7, wei),
        wei,
        [MIA],
        "Inquiry from Lotus Parcel",
        "Hello,\n\nwe are a parcel start-up with 40 vans in Berlin and would "
        "like a quote." + sig(wei),
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
        "Dear Ms Rossi,\n\ncould you show us Globex in a 30-minute demo?" + sig(cast.CARLOS),
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
        "Mia,\n\nthe final numbers are attached in the deck." + sig(paul),
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
        "Mia, Claire,\n\nthe budget is approved for 2027." + sig(marcus),
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
        "Hello Globex team,\n\nwe will add three depots in January." + sig(laura),
        key="team-address",
    )
    desk.post(
        local_time(94, 17.0, ahmed),
        ahmed,
        [laura],
        "Helios – thanks to the Globex team",
        "Laura,\n\nthe first month went really well." + sig(ahmed),
        key="bcc-to-me",
    )  # Mia was in Bcc: her address is nowhere in the headers
    amelie = C["amelie"]._replace(email="a.laurent@initrode-group.example")
    desk.post(
        local_time(98, 10.4, amelie),
        amelie,
        [MIA],
        "Purchase order for phase 1",
        "Bonjour Mia,\n\nthe purchase order is attached." + sig(amelie),
        attachment=("PO-INI-2026-118.pdf", "application/pdf", PDF),
        key="additional-email",
    )
