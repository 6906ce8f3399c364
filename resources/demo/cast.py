"""The people of the demo workspace: Globex's sales team, its customers, and everyone else.

Pure data. ``make_demo`` turns it into ``directory.json`` and writes mail between these people.
Every domain is under ``.example`` (RFC 2606), so no real company is named or mailed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

Json = dict[str, Any]

ACCOUNT_BCC = "24681357@bcc.hubspot.example"
ACCOUNT_FORWARD = "24681357@forward.hubspot.example"
COMPETITOR_DOMAIN = "initech.example"
OUTSIDE_COUNSEL = "counsel@harbor-legal.example"
SALES_TEAM_LIST = "sales@globex.example"  # a shared address: no user is associated with it


class Person(NamedTuple):
    """Someone who writes or receives demo mail; ``zone`` picks the clock of their Date headers."""

    key: str
    name: str
    email: str
    company: str
    title: str
    zone: str = "eu"  # "eu" (CET/CEST), "us" (ET), "uk" (GMT/BST)


def _p(key: str, name: str, email: str, company: str, title: str, zone: str = "eu") -> Person:
    return Person(key, name, email, company, title, zone)


# --- Globex (the CRM account's users) ---------------------------------------------------------
MIA = _p("mia", "Mia Rossi", "mia@globex.example", "Globex", "Senior Account Executive")
RAJ = _p("raj", "Raj Patel", "raj.patel@globex.example", "Globex", "Account Executive", "uk")
HANNAH = _p(
    "hannah", "Hannah Schmidt", "hannah.schmidt@globex.example", "Globex", "Solutions Engineer"
)
TOM = _p("tom", "Tom Okafor", "tom.okafor@globex.example", "Globex", "Customer Success Manager")
CLAIRE = _p("claire", "Claire Dubois", "claire.dubois@globex.example", "Globex", "VP Sales, EMEA")
COLLEAGUES = (RAJ, HANNAH, TOM, CLAIRE)

USERS: list[Json] = [
    {
        "id": "u-mia",
        "name": MIA.name,
        "email": MIA.email,
        "connected": [MIA.email],
        "aliases": ["m.rossi@globex.example", "mia.rossi@globex.example"],
        "personal_email_access": True,
        "account_access": True,
        # Personal: a close friend who happens to be a contact, and her own family address.
        "never_log": ["sofia.bianchi@umbrella-health.example", "rossi-family.example"],
    },
    {
        "id": "u-raj",
        "name": RAJ.name,
        "email": RAJ.email,
        "connected": [RAJ.email],
        "personal_email_access": True,
        "never_log": ["patel-home.example"],
    },
    {
        "id": "u-hannah",
        "name": HANNAH.name,
        "email": HANNAH.email,
        "connected": [HANNAH.email],
        "aliases": ["h.schmidt@globex.example"],
        "personal_email_access": True,
    },
    {
        "id": "u-tom",
        "name": TOM.name,
        "email": TOM.email,
        "connected": [TOM.email],
        "personal_email_access": False,  # Customer Success seat: no personal email logging
    },
    {
        "id": "u-claire",
        "name": CLAIRE.name,
        "email": CLAIRE.email,
        "connected": [CLAIRE.email],
        "personal_email_access": True,
        "account_access": True,
    },
]

# --- Contacts: (person, owner user id or None, additional emails) ------------------------------
# fmt: off
_CONTACTS: list[tuple[Person, str | None, tuple[str, ...]]] = [
    # Initrode Logistics: Mia's biggest open deal (route optimisation, 140 trucks).
    (_p("paul", "Paul Durand", "paul.durand@initrode.example",
        "Initrode Logistics", "VP Operations"), "u-mia", ()),
    (_p("amelie", "Amélie Laurent", "amelie.laurent@initrode.example",
        "Initrode Logistics", "Head of Procurement"),
     "u-mia", ("a.laurent@initrode-group.example",)),
    (_p("jeanmarc", "Jean-Marc Petit", "jm.petit@initrode.example",
        "Initrode Logistics", "IT Director"), "u-raj", ()),
    (_p("lucie", "Lucie Garnier", "lucie.garnier@initrode.example",
        "Initrode Logistics", "Fleet Planner"), None, ()),
    # Umbrella Health: hospital group, renewal plus an upsell.
    (_p("karen", "Karen Liu", "karen.liu@umbrella-health.example",
        "Umbrella Health", "Director of Supply Chain", "us"), "u-mia", ()),
    (_p("marcus", "Marcus Webb", "marcus.webb@umbrella-health.example",
        "Umbrella Health", "CFO", "us"), "u-claire", ()),
    (_p("sofia", "Sofia Bianchi", "sofia.bianchi@umbrella-health.example",
        "Umbrella Health", "Procurement Analyst"), "u-mia", ("sofia.b@umbrella-health.example",)),
    (_p("derrick", "Derrick Owens", "derrick.owens@umbrella-health.example",
        "Umbrella Health", "IT Security Lead", "us"), None, ()),
    # Nordwind Maschinenbau: German machine builder, in evaluation.
    (_p("juergen", "Jürgen Weiß", "juergen.weiss@nordwind.example",
        "Nordwind Maschinenbau", "Leiter Logistik"), "u-hannah", ()),
    (_p("katrin", "Katrin Müller", "katrin.mueller@nordwind.example",
        "Nordwind Maschinenbau", "Einkauf"), "u-raj", ()),
    (_p("stefan", "Stefan Groß", "stefan.gross@nordwind.example",
        "Nordwind Maschinenbau", "IT-Architekt"), None, ()),
    # Brightwater Retail: 60 stores, pilot running.
    (_p("olivia", "Olivia Chen", "olivia.chen@brightwater.example",
        "Brightwater Retail", "COO", "us"), "u-mia", ()),
    (_p("daniel", "Daniel Brooks", "daniel.brooks@brightwater.example",
        "Brightwater Retail", "Store Operations Manager", "us"), None, ()),
    (_p("priya", "Priya Nair", "priya.nair@brightwater.example",
        "Brightwater Retail", "Data Analyst", "us"), "u-raj", ("priya@bw-analytics.example",)),
    # Helios Energy: closed-won in August, now onboarding.
    (_p("ahmed", "Ahmed Karimi", "ahmed.karimi@helios-energy.example",
        "Helios Energy", "Logistics Manager", "uk"), "u-mia", ()),
    (_p("laura", "Laura Gómez", "laura.gomez@helios-energy.example",
        "Helios Energy", "Project Lead"), "u-mia", ()),
    (_p("ben", "Ben Whitaker", "ben.whitaker@helios-energy.example",
        "Helios Energy", "Finance Controller", "uk"), "u-tom", ()),
    # Pinecrest Bank: long cycle, security review.
    (_p("robert", "Robert Hale", "robert.hale@pinecrest.example",
        "Pinecrest Bank", "Head of Facilities", "uk"), "u-claire", ()),
    (_p("nina", "Nina Kowalski", "nina.kowalski@pinecrest.example",
        "Pinecrest Bank", "Vendor Risk Officer"), "u-mia", ()),
    (_p("george", "George Adeyemi", "george.adeyemi@pinecrest.example",
        "Pinecrest Bank", "Procurement", "uk"), None, ()),
    # Atelier Lumière: French luxury goods, deliveries to boutiques.
    (_p("elodie", "Élodie Moreau", "elodie.moreau@atelier-lumiere.example",
        "Atelier Lumière", "Directrice des opérations"), "u-mia", ()),
    (_p("francois", "François Lefèvre", "francois.lefevre@atelier-lumiere.example",
        "Atelier Lumière", "Responsable logistique"), None, ("f.lefevre@lumiere-paris.example",)),
    # Kestrel Analytics: small new customer, self-serve upgrade.
    (_p("sam", "Sam Rivera", "sam.rivera@kestrel.example",
        "Kestrel Analytics", "Founder", "us"), "u-mia", ()),
    (_p("jordan", "Jordan Blake", "jordan.blake@kestrel.example",
        "Kestrel Analytics", "Operations", "us"), None, ()),
    # Vandelay Imports: Raj's account; Mia is copied now and then.
    (_p("art", "Art Vandelay", "art@vandelay.example",
        "Vandelay Imports", "Owner", "us"), "u-raj", ()),
    (_p("elaine", "Elaine Benes", "elaine.benes@vandelay.example",
        "Vandelay Imports", "Office Manager", "us"), "u-raj", ()),
    # Sørensen Shipping: Danish, early stage.
    (_p("mette", "Mette Sørensen", "mette@sorensen-shipping.example",
        "Sørensen Shipping", "CEO"), "u-mia", ()),
    (_p("lars", "Lars Nygaard", "lars.nygaard@sorensen-shipping.example",
        "Sørensen Shipping", "Operations Lead"), None, ()),
    # Tanaka Foods Europe: cold chain, in evaluation.
    (_p("yuki", "Yuki Tanaka", "yuki.tanaka@tanaka-foods.example",
        "Tanaka Foods Europe", "Supply Chain Manager"), "u-mia", ()),
    (_p("oskar", "Oskar Lindqvist", "oskar.lindqvist@tanaka-foods.example",
        "Tanaka Foods Europe", "Warehouse Lead"), "u-hannah", ()),
    # Meridian Pharma: Claire's strategic account.
    (_p("isabel", "Isabel Ferreira", "isabel.ferreira@meridian-pharma.example",
        "Meridian Pharma", "Head of Distribution"), "u-claire", ()),
    (_p("victor", "Victor Nguyen", "victor.nguyen@meridian-pharma.example",
        "Meridian Pharma", "Cold Chain Specialist"), "u-mia", ()),
    # Cobalt Consulting: implementation partner.
    (_p("grace", "Grace Park", "grace.park@cobalt-consulting.example",
        "Cobalt Consulting", "Partner", "uk"), "u-tom", ()),
    (_p("oliver", "Oliver Grant", "oliver.grant@cobalt-consulting.example",
        "Cobalt Consulting", "Implementation Consultant", "uk"), None, ()),
    # Alpenglow Hotels: Austrian hotel group, laundry and food deliveries.
    (_p("marco", "Marco Steiner", "marco.steiner@alpenglow.example",
        "Alpenglow Hotels", "Einkaufsleiter"), "u-mia", ()),
    (_p("anna", "Anna Hofer", "anna.hofer@alpenglow.example",
        "Alpenglow Hotels", "Assistentin der Geschäftsleitung"), None, ()),
    # Redwood Construction: site deliveries, Raj's account.
    (_p("luis", "Luis Ortega", "luis.ortega@redwood-construction.example",
        "Redwood Construction", "Fleet Director", "us"), "u-raj", ()),
    (_p("hailey", "Hailey Morgan", "hailey.morgan@redwood-construction.example",
        "Redwood Construction", "Procurement Lead", "us"), "u-mia", ()),
    # Initech: a former customer contact who moved to the competitor (never-log domain).
    (_p("derek", "Derek Vance", "derek.vance@initech.example",
        "Initech", "Sales Director"), "u-mia", ("dvance@initech-mail.example",)),
    # Quill & Co: a reseller in the UK.
    (_p("harriet", "Harriet Quill", "harriet@quill-co.example",
        "Quill & Co", "Managing Director", "uk"), "u-claire", ()),
]
# fmt: on

CONTACTS: dict[str, Person] = {person.key: person for person, _, _ in _CONTACTS}

# --- People who are not contacts ---------------------------------------------------------------
NOAH = _p(
    "noah",
    "Noah Fischer",
    "noah.fischer@quantum-freight.example",
    "Quantum Freight",
    "Head of Operations",
)
ZOE = _p("zoe", "Zoë Adams", "zoe.adams@bluepeak.example", "Bluepeak Outdoor", "COO", "uk")
WEI = _p("wei", "Wei Zhang", "wei.zhang@lotus-parcel.example", "Lotus Parcel", "Founder")
CARLOS = _p(
    "carlos",
    "Carlos Mendes",
    "carlos.mendes@atlas-cargo.example",
    "Atlas Cargo",
    "Operations Director",
)
INES = _p("ines", "Inès Bouchard", "ines.bouchard@verdure.example", "Verdure Bio", "Gérante")
EMMA = _p(
    "emma",
    "Emma Lindgren",
    "emma.lindgren@fjord-retail.example",
    "Fjord Retail",
    "Head of Logistics",
)
PROSPECTS = (NOAH, ZOE, WEI, CARLOS, INES, EMMA)

LUCA = _p("luca", "Luca Rossi", "luca@rossi-family.example", "", "")  # Mia's brother
COUNSEL = _p("counsel", "Harbor Legal LLP", OUTSIDE_COUNSEL, "Harbor Legal", "")
DEREK_NEWS = _p("initech-news", "Initech Events", "events@news.initech.example", "Initech", "")
IT_DESK = _p("it", "Globex IT Service Desk", "it-servicedesk@globex.example", "Globex", "")
PEOPLE_OPS = _p("people", "Globex People Team", "people@globex.example", "Globex", "")
SCANNER = _p("scanner", "MFP 3rd floor", "scanner@globex.example", "Globex", "")
CALENDAR = _p("calendar", "Meetly", "calendar@meetly.example", "Meetly", "")
EXPENSES = _p("expenses", "Expensely", "noreply@expensely.example", "Expensely", "")
PIPELINE_WEEKLY = _p(
    "pw", "Pipeline Weekly", "newsletter@pipelineweekly.example", "Pipeline Weekly", "", "us"
)
SAAS_DIGEST = _p(
    "digest", "The SaaS Sales Digest", "digest@saas-digest.example", "SaaS Sales Digest", "", "us"
)
LINKUP = _p("linkup", "LinkUp", "notifications@linkup.example", "LinkUp", "", "us")
EXPO = _p("expo", "LogiMAT Europe", "visitors@logistics-expo.example", "Logistics Expo", "")
TRAVEL = _p("travel", "Globex Travel Desk", "travel@globex-travel.example", "Globex Travel", "")


def directory() -> Json:
    """The directory part of a scenario (rules section 1): everything but ``messages``."""
    return {
        "account": {
            "logging_rule": "all",
            "never_log": [COMPETITOR_DOMAIN, OUTSIDE_COUNSEL],
            "bcc_address": ACCOUNT_BCC,
            "forward_address": ACCOUNT_FORWARD,
        },
        "users": USERS,
        "contacts": [
            {
                "id": f"c-{person.key}",
                "name": person.name,
                "email": person.email,
                **({"additional_emails": list(extra)} if extra else {}),
                "owner": owner,
            }
            for person, owner, extra in _CONTACTS
        ],
        "mailbox_owner": "u-mia",
        "logged": [],  # filled by make_demo with what the sales extension logged earlier
    }
