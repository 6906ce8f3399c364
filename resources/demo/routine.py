"""The everyday bulk of the demo mailbox: customer threads, newsletters, notices, team mail.

Seeded and clock-free: the same ``random.Random`` gives the same mailbox, byte for byte.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from resources.demo import cast, texts
from resources.demo.cast import CLAIRE, HANNAH, MIA, RAJ, TOM, Person
from resources.demo.letters import END, Desk, Letter, local_time, zone_of

SIGNATURE = "\n-- \nMia Rossi\nSenior Account Executive | Globex\n+49 30 5550 1234"

# Companies in the routine threads (Initech and Mia's friend are kept for the special cases).
_SKIP = {"derek", "sofia"}
_FRENCH = {"Atelier Lumière"}
_GERMAN = {"Nordwind Maschinenbau", "Alpenglow Hotels"}


def _companies() -> dict[str, list[Person]]:
    groups: dict[str, list[Person]] = {}
    for person in cast.CONTACTS.values():
        if person.key not in _SKIP:
            groups.setdefault(person.company, []).append(person)
    return groups


def _mia_for(company: str) -> Person:
    """How a company addresses Mia: Pinecrest and Alpenglow still use her older alias."""
    if company in ("Pinecrest Bank", "Alpenglow Hotels"):
        return MIA._replace(email="m.rossi@globex.example")
    return MIA


def _greeting(person: Person, company: str) -> str:
    first = person.name.split()[0]
    if company in _FRENCH:
        return f"Bonjour {first},\n\n"
    if company in _GERMAN:
        return f"Hallo {first},\n\n"
    return f"Hi {first},\n\n"


def _closing(sender: Person, company: str) -> str:
    if sender == MIA:
        word = (
            "Bien à vous"
            if company in _FRENCH
            else "Viele Grüße"
            if company in _GERMAN
            else "Best regards"
        )
        return f"\n\n{word},\nMia" + SIGNATURE
    return f"\n\nBest,\n{sender.name}\n{sender.title}, {sender.company}"


def _topics(company: str) -> list[texts.Topic]:
    if company in _FRENCH:
        return texts.FR_TOPICS + texts.EN_TOPICS[:2]
    if company in _GERMAN:
        return texts.DE_TOPICS + texts.EN_TOPICS[:4]
    return texts.EN_TOPICS


def _reply_text(rng: random.Random, sender: Person, company: str) -> str:
    if company in _FRENCH:
        return rng.choice(texts.FR_REPLIES)
    if company in _GERMAN:
        return rng.choice(texts.DE_REPLIES)
    return rng.choice(texts.REP_REPLIES if sender == MIA else texts.CUSTOMER_REPLIES)


def _office_hours(when: datetime, person: Person) -> datetime:
    """Move ``when`` into ``person``'s working day (08:00-19:00, Monday to Friday)."""
    local = when.astimezone(zone_of(person, when))
    if local.hour < 8:
        when += timedelta(hours=8 - local.hour)
    elif local.hour >= 19:
        when += timedelta(hours=24 + 8 - local.hour)
    local = when.astimezone(zone_of(person, when))
    if local.weekday() >= 5:
        when += timedelta(days=7 - local.weekday())
    return when


def customer_thread(
    desk: Desk, rng: random.Random, day: int, people: list[Person], colleague: Person | None
) -> None:
    """One deal conversation: an opener, the natural answer, then a few short replies."""
    company = people[0].company
    starter, subject, text, answer = rng.choice(_topics(company))
    fill = {"company": company, "n": rng.randint(12, 180), "q": rng.randint(3, 4)}
    main = people[0]
    everyone = [*people, *([colleague] if colleague else [])]
    sender = MIA if starter == "rep" else main
    to = [main] if sender == MIA else [_mia_for(company)]
    when = local_time(day, rng.uniform(8.5, 17.5), sender)
    body = _greeting(main if sender == MIA else MIA, company) + text.format(**fill)
    prev = desk.post(
        when,
        sender,
        to,
        subject.format(**fill),
        body + _closing(sender, company),
        cc=[p for p in everyone if p is not main],
    )
    prefix = "AW: " if company in _GERMAN else "RE: " if company in _FRENCH else "Re: "
    for turn in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        if prev.sender == MIA:
            replier = rng.choice(people) if rng.random() < 0.3 else main
            to = [_mia_for(company)]
        else:
            replier, to = MIA, [main]
        when = _office_hours(when + timedelta(hours=rng.uniform(1.5, 30)), replier)
        if when > END:
            return
        line = answer if turn == 0 else _reply_text(rng, replier, company)
        body = _greeting(MIA if replier != MIA else main, company) + line
        cc = [p for p in everyone if p != replier and p not in to]
        prev = desk.reply(
            prev,
            when,
            replier,
            to,
            body + _closing(replier, company),
            cc=cc,
            prefix="Re: " if replier == MIA else prefix,
        )


def customer_threads(desk: Desk, rng: random.Random, count: int) -> None:
    groups = _companies()
    names = sorted(groups)
    for i in range(count):
        company = names[i % len(names)]
        people = groups[company]
        main = rng.choice(people)
        extra = [p for p in people if p != main and rng.random() < 0.35]
        colleague = rng.choice([HANNAH, RAJ]) if rng.random() < 0.2 else None
        day = rng.randint(0, 121)
        customer_thread(desk, rng, day, [main, *extra], colleague)


def _list_headers(person: Person, list_id: str) -> list[tuple[str, str]]:
    domain = person.email.split("@")[1]
    return [
        ("List-Id", f"{person.name} <{list_id}>"),
        (
            "List-Unsubscribe",
            f"<https://{domain}/unsubscribe?u=mia-7731>, "
            f"<mailto:unsubscribe@{domain}?subject=unsubscribe>",
        ),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("Precedence", "bulk"),
    ]


_PW_TITLES = [
    "5 discovery questions that shorten your sales cycle",
    "Why multi-threading beats champion-only deals",
    "The Q4 forecast call: what to bring",
    "Pricing objections in logistics software",
    "Mutual action plans, explained",
    "How top reps use their CRM activity data",
    "Procurement is not the enemy",
    "Writing follow-ups people answer",
    "The renewal starts at kickoff",
    "Selling to CFOs in a tight budget year",
    "Trade show leads: the 48-hour rule",
    "Running a great quarterly business review",
    "From pilot to roll-out without a stall",
    "Negotiation: anchor, then listen",
    "Your pipeline is lying to you",
    "Year-end: closing without discounting",
    "Cold email benchmarks 2026",
]


def newsletters(desk: Desk, rng: random.Random) -> list[Letter]:
    """Weekly and bi-weekly newsletters (List-Id, List-Unsubscribe, an HTML alternative)."""
    made: list[Letter] = []
    pw = cast.PIPELINE_WEEKLY
    for week, title in enumerate(_PW_TITLES):
        when = local_time(1 + 7 * week, 6.0 + rng.random(), pw)
        text = f"Pipeline Weekly #{212 + week}\n\n{title}\n\nRead the full issue online."
        html = (
            f"<html><body><h1>Pipeline Weekly #{212 + week}</h1><h2>{title}</h2>"
            "<p>This week's essay, three links and one chart.</p></body></html>"
        )
        made.append(
            desk.post(
                when,
                pw,
                [MIA],
                f"Pipeline Weekly #{212 + week}: {title}",
                text,
                html=html,
                headers=_list_headers(pw, "weekly.pipelineweekly.example"),
            )
        )
    digest = cast.SAAS_DIGEST
    for issue in range(9):
        when = local_time(3 + 14 * issue, 14.0 + rng.random(), digest)
        text = (
            f"The SaaS Sales Digest – issue {88 + issue}\n\nBenchmarks, hiring and deals "
            "of the fortnight.\n\nUnsubscribe: https://saas-digest.example/unsubscribe"
        )
        made.append(
            desk.post(
                when,
                digest,
                [MIA],
                f"SaaS Sales Digest #{88 + issue}",
                text,
                headers=_list_headers(digest, "digest.saas-digest.example"),
            )
        )
    return made


_NOTICES = [
    (
        cast.CALENDAR,
        "Invitation: Initrode steering committee @ Tue 6 Oct 2026 14:00 (CEST)",
        "Paul Durand has invited you to: Initrode steering committee.",
    ),
    (
        cast.CALENDAR,
        "Updated invitation: Brightwater pilot review",
        "The organiser has changed the time of this event.",
    ),
    (cast.CALENDAR, "Accepted: Umbrella Health QBR", "Karen Liu has accepted this invitation."),
    (cast.CALENDAR, "Reminder: Nordwind demo in 30 minutes", "Your event starts at 10:00."),
    (cast.CALENDAR, "Declined: Kestrel check-in", "Jordan Blake has declined this invitation."),
    (
        cast.EXPENSES,
        "Your expense report 'LogiMAT Stuttgart' was approved",
        "Claire Dubois approved your report of EUR 1,284.50.",
    ),
    (cast.EXPENSES, "Receipt missing: Taxi 12 Sep", "Please attach a receipt to this expense."),
    (
        cast.EXPENSES,
        "Your expense report 'Lyon customer visit' was approved",
        "Claire Dubois approved your report of EUR 412.80.",
    ),
    (
        cast.IT_DESK,
        "[INC-20931] VPN certificate renewal",
        "Your VPN certificate expires in 7 days. Please follow the steps below.",
    ),
    (
        cast.IT_DESK,
        "[INC-21407] Your laptop replacement is ready",
        "Your new laptop is ready for pick-up at the service desk.",
    ),
    (cast.PEOPLE_OPS, "Open enrolment: benefits 2027", "Open enrolment runs until 30 November."),
    (cast.PEOPLE_OPS, "Reminder: Q3 performance check-ins", "Please book your check-in."),
    (cast.TRAVEL, "Booking confirmed: Berlin – Lyon, 14 Oct", "Your flight is confirmed."),
    (cast.TRAVEL, "Booking confirmed: Berlin – Stuttgart, 6 Oct", "Your train is confirmed."),
    (cast.LINKUP, "Olivia Chen viewed your profile", "See who else viewed your profile."),
    (cast.LINKUP, "You appeared in 14 searches this week", "Find out who is looking."),
    (cast.LINKUP, "Carlos Mendes wants to connect", "Accept the invitation."),
    (cast.EXPO, "Your LogiMAT visitor badge", "Your personal badge is attached as a link."),
]


# What machine-sent mail carries (rules section 7's signals): services that notify by themselves
# label their mail `Auto-Submitted: auto-generated` (RFC 3834 section 5), the People team writes
# to the all-staff list. Expensely and LinkUp send from `noreply@` and `notifications@`.
_AUTOMATIC: list[tuple[str, str]] = [("Auto-Submitted", "auto-generated")]
_NOTICE_HEADERS: dict[str, list[tuple[str, str]]] = {
    cast.CALENDAR.email: _AUTOMATIC,
    cast.IT_DESK.email: [*_AUTOMATIC, ("X-Auto-Response-Suppress", "All")],
    cast.TRAVEL.email: _AUTOMATIC,
    cast.EXPO.email: _AUTOMATIC,
    cast.PEOPLE_OPS.email: [("List-Id", "Globex all staff <all-staff.globex.example>")],
}


def notices(desk: Desk, rng: random.Random) -> None:
    for i, (sender, subject, text) in enumerate(_NOTICES):
        day = (i * 37 + rng.randint(0, 6)) % 118
        when = local_time(day, 7.0 + 10 * rng.random(), sender)
        headers = _NOTICE_HEADERS.get(sender.email, [])
        desk.post(when, sender, [MIA], subject, text, headers=headers)


def team_mail(desk: Desk, rng: random.Random) -> None:
    """Claire's weekly pipeline review with the team; Mia answers some of them."""
    team = [MIA, RAJ, HANNAH, TOM]
    for week in range(17):
        when = local_time(7 * week, 8.0 + rng.random(), CLAIRE)
        subject = f"Pipeline review – CW{31 + week}"
        text = (
            "Hi team,\n\nplease update your opportunities before Monday's review: close "
            "dates, next steps and amounts.\n\nThanks,\nClaire"
        )
        first = desk.post(when, CLAIRE, team, subject, text)
        if week % 3 == 0:
            answer = "Done for my accounts. Initrode moves to commit." + SIGNATURE
            desk.reply(first, when + timedelta(hours=3), MIA, [CLAIRE], answer)
    asks = [
        (HANNAH, "Demo environment for Nordwind", "Can I reuse your Nordwind demo tenant?"),
        (RAJ, "Can you cover my Thursday call with Vandelay?", "I am at the dentist, sorry!"),
        (HANNAH, "Technical deep-dive prep: Initrode", "I drafted the agenda, have a look."),
        (RAJ, "Lunch on Friday?", "The new ramen place near the office?"),
        (TOM, "Helios onboarding status", "Week 2 done, the depots are imported."),
    ]
    for i, (who, subject, text) in enumerate(asks):
        when = local_time(12 + i * 23, 11.0 + rng.random(), who)
        ask = desk.post(when, who, [MIA], subject, f"Hi Mia,\n\n{text}\n\n{who.name.split()[0]}")
        desk.reply(ask, when + timedelta(hours=1.5), MIA, [who], "Sure, sounds good!" + SIGNATURE)
