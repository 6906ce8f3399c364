"""The words of the routine mail: deal topics with their natural first answer, reply lines.

A topic is (who starts, subject, opening paragraph, the other side's first answer); later
replies draw from neutral lines that fit any thread.
"""

from __future__ import annotations

Topic = tuple[str, str, str, str]

# fmt: off
EN_TOPICS: list[Topic] = [
    ("rep", "Follow-up on our call: route planning for {company}",
     "thanks again for your time today. As promised, here is a short summary: we looked at "
     "your current planning process, the {n} depots in scope and the driver app. I will send "
     "a proposal by the end of next week.",
     "Thanks for the summary, that matches my notes. Looking forward to the proposal."),
    ("rep", "{company} – proposal for 2027",
     "please find below the main points of our proposal for 2027: licences for {n} vehicles, "
     "the optimisation add-on and a fixed onboarding fee. Happy to walk you through it.",
     "Quick question before we go further: is the price per vehicle or per driver?"),
    ("customer", "Question about the driver app",
     "one of our drivers asked whether the app works offline when the network drops in the "
     "tunnels on the A7. Could you confirm how that works?",
     "Yes: the app keeps the day's route offline and syncs the proofs of delivery as soon as "
     "the network is back. Nothing is lost."),
    ("customer", "Invoice GX-2026-{n} – PO number missing",
     "our accounts payable team cannot process invoice GX-2026-{n} because the PO number is "
     "missing. Could you have it reissued with PO 45{n}?",
     "Sorry about that. Our billing team will reissue the invoice with the PO number today."),
    ("rep", "Quarterly business review – Q{q}",
     "it is time for our quarterly review. I would suggest 60 minutes covering usage, the "
     "savings so far and the roadmap. Would one of the following slots work for you?",
     "Tuesday afternoon works best for us. I will bring our fleet planner."),
    ("customer", "Integration with our WMS",
     "our IT team is asking how the integration with our warehouse management system would "
     "work. Do you have documentation on the API and the webhooks?",
     "Of course. I asked Hannah, our solutions engineer, to send the API documentation and to "
     "join the next call for the technical part."),
    ("rep", "Onboarding plan and kickoff dates",
     "here is our onboarding plan: kickoff, data import, a pilot region for four weeks, then "
     "the roll-out. Which week suits you for the kickoff?",
     "The week of the 14th would be ideal. Can we include our two regional managers?"),
    ("customer", "Can we move Thursday's meeting?",
     "something came up on Thursday afternoon. Could we move our meeting to Friday morning, "
     "same time?",
     "No problem at all. I have sent a new invitation for Friday 10:00."),
    ("rep", "Case study draft for your review",
     "our marketing team drafted a short case study on the results so far. Could you check "
     "that the numbers and your quote are fine to publish?",
     "Looks good. One correction: it is 14% fewer kilometres, not 16%."),
    ("customer", "Data export for our board meeting",
     "for our board meeting we need the on-time delivery figures for the last three months. "
     "Is there an export I can run myself?",
     "Yes: Reports > Deliveries > Export. I attached a short how-to with screenshots."),
]
FR_TOPICS: list[Topic] = [
    ("rep", "Proposition pour {company}",
     "suite à notre échange, voici les grandes lignes de notre proposition : {n} véhicules, "
     "le module d'optimisation et un accompagnement au démarrage.",
     "Merci, c'est très clair. Je la présente à notre direction jeudi."),
    ("customer", "Question sur la facturation",
     "notre service comptable a une question sur la dernière facture. Pouvez-vous nous "
     "envoyer le détail par boutique ?",
     "Bien sûr, vous trouverez le détail par boutique ci-dessous."),
]
DE_TOPICS: list[Topic] = [
    ("rep", "Angebot Routenplanung für {company}",
     "vielen Dank für das freundliche Gespräch. Anbei die wichtigsten Punkte unseres Angebots "
     "für {n} Fahrzeuge, inklusive Schulung der Disponenten.",
     "Vielen Dank für das Angebot. Wir besprechen es nächste Woche intern."),
    ("customer", "Rückfrage zur Schnittstelle",
     "unsere IT möchte wissen, wie die Anbindung an unser ERP-System aussieht. Gibt es eine "
     "Dokumentation der Schnittstelle?",
     "Gerne, die Dokumentation der REST-Schnittstelle schicke ich Ihnen heute noch."),
]
CUSTOMER_REPLIES = [
    "Thanks, that helps. I will share it with the team and come back to you.",
    "Sorry for the slow reply, it has been a busy week with the peak season starting.",
    "Perfect, thank you. I forwarded it to our IT team.",
    "Thanks Mia, all clear for now.",
    "Let's go through the details in our next call.",
    "Could you also include the training costs? Our finance team will ask.",
]
REP_REPLIES = [
    "Thanks for the quick feedback. I have updated the document accordingly.",
    "Thanks, noted. I will come back to you by Friday.",
    "Happy to help. Let me know if anything else comes up.",
    "Good point, I have added the training costs to the document.",
]
FR_REPLIES = ["Merci, c'est noté. Je reviens vers vous d'ici vendredi.",
              "Très bien, je transmets à l'équipe logistique."]
DE_REPLIES = ["Vielen Dank, das hilft uns weiter. Ich melde mich nächste Woche.",
              "Passt, ich habe den Termin eingetragen."]
# fmt: on
