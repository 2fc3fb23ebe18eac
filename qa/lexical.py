"""Word-level reading of a question, for the sentence scorer (no parse, microseconds).

`answer_type` (number, money, date, name, place), the counted noun of "how many X"
(`count_focus`), the priced thing of "how much does X cost" (`price_focus`), and helpers that
compare a sentence's words with the question's. `qa.question` reads the question with a parse.
"""

from __future__ import annotations

import re

def answer_type(question: str) -> str:
    """The kind of answer a question asks for.

    >>> [answer_type(q) for q in ["How many homes?", "When did it open?", "Who won?", "Where is it?",
    ...                           "Which judge ruled?", "What is the fare cap?", "Which species?", "Why?"]]
    ['number', 'date', 'name', 'place', 'name', 'money', '', '']
    >>> answer_type("How much did the tickets cost?"), answer_type("What was the net profit?")
    ('money', 'money')
    """
    q = question.lower()
    if re.search(r"\b(?:cost|costs|price|priced|pay|paid|charge|charged|fare|fee|worth|spend|spent|spending|"
                 r"profit|revenue|salary|budget|fine|fined|earn|earned|sold for)\b", q) and re.search(
                 r"\bhow much\b|\bwhat (?:was |is |were |are )?(?:the )?(?:\w+ ){0,3}(?:cost|price|fare|fee|"
                 r"profit|revenue|salary|budget|fine|cap|worth)\b", q):
        return "money"
    if re.search(r"\bhow (?:many|much|long|far|old|big|large|high|tall|fast)\b"
                 r"|\bwhat (?:was |is |were |are )?(?:the )?(?:\w+ ){0,3}(?:percentage|percent|number|amount|share|"
                 r"price|cost|cap|fee|fine|rate|count|total|turnout|score|age|salary|budget|toll|margin)\b", q):
        return "number"
    if re.search(r"\bwhen\b|\bwhat (?:year|day|date|month|time)\b", q):
        return "date"
    if re.search(r"\bwhere\b|\b(?:which|what) (?:city|country|state|town|place|region|island|county|nation)\b", q):
        return "place"
    if re.search(r"\bwho(?:m|se)?\b|\b(?:which|what) (?:person|man|woman|judge|player|leader|official|"
                 r"president|minister|company|team|group|author|director|actor|actress|singer|artist|senator)\b", q):
        return "name"
    return ""


# Currency words written after an amount ("640 million euros"): the scorer's amount test and the
# short-answer span finder read the same list.
CURRENCY_WORDS = ("dollars", "dollar", "euros", "euro", "pounds", "pound", "cents", "cent", "yen", "yuan", "rupees",
                  "rupee", "francs", "franc", "usd", "eur", "gbp")


def question_words(question: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"\w+", question))


def strip_question_words(text: str, asked: frozenset[str]) -> str:
    """The sentence without words the question already has (a name in the question is no answer).

    >>> strip_question_words("Corvane made $412 million in profit.", question_words("How much profit did Corvane make?"))
    'made $412 million in'
    """
    kept = [tok for tok in text.split()
            if (tok if tok.isalnum() else _NON_WORD.sub("", tok)).lower() not in asked]
    return " ".join(tok.strip(".,;:!?\"“”()") if not tok[:1] in "$€£¥" else tok.rstrip(".,;:!?") for tok in kept)


_NON_WORD = re.compile(r"\W")
_NOT_IN_WORD = re.compile(r"[^\w'’-]")


def bare(token: str) -> str:
    """A token as a lower-case word: punctuation around it dropped ("ride," -> "ride")."""
    return _NOT_IN_WORD.sub("", token).lower()


_COUNT_FOCUS = re.compile(r"\bhow many ((?:[a-z'-]+ ){0,1}[a-z'-]+)")

# "How many people ..." may be answered by "386 adults", "48,000 visitors": any number will do.
GENERIC_COUNTS = {"people", "persons", "individuals", "times", "things", "members", "humans", "participants",
                  "attendees"}
# "How many people ...?" counts people: "386 adults", "12 deaths", not "two new hubs" (`person_like`)
PERSON_COUNTS = GENERIC_COUNTS - {"times", "things", "members"}
_PEOPLE = PERSON_COUNTS | {"adults", "children", "kids", "babies", "infants", "women", "men", "girls", "boys",
           "families", "households", "troops", "soldiers", "fans", "victims", "refugees", "migrants", "civilians",
           "students", "pupils", "patients", "residents", "candidates", "voters", "spectators", "passengers",
           "members", "staff", "crew", "citizens", "delegates", "guests", "tourists", "athletes", "players", "deaths",
           "dead", "casualties", "injuries", "injured", "cases", "infections", "lives", "survivors", "hostages",
           "prisoners", "detainees", "inmates", "evacuees", "teens", "teenagers", "youths", "seniors", "veterans",
           "colleagues", "friends", "customers", "clients", "users", "subscribers", "viewers", "readers", "listeners",
           "followers", "visitors", "workers", "employees", "jobs", "personnel", "officers", "police", "journalists",
           "doctors", "nurses", "scientists", "experts", "lawmakers", "senators", "representatives", "judges",
           "jurors", "protesters", "demonstrators", "americans",
           "nationals", "immigrants", "crowd", "shoppers", "diners", "runners", "climbers", "swimmers", "volunteers",
           "donors", "buyers", "owners"}


_UNITS = re.compile(r"(?:met|lit|quart)ers$|(?:kilo|centi|milli)?metres$|litres$")


def person_like(noun: str) -> bool:
    """Does a plural noun count people? A word of the list, or one shaped like a doer's ("-ers",
    "-ists", "-ians", "-ents", "-ants", "-ees"). "Heaters" passes: a loose test, for refusing only
    plain things ("hubs", "homes", "stalls")."""
    return noun in _PEOPLE or noun.endswith(("ers", "ors", "ists", "ians", "ents", "ants", "ees")) and not (
        _UNITS.search(noun))                          # "1.5 meters" counts no people


def count_focus(question: str) -> list[str]:
    """The words counted by a "how many" question.

    >>> count_focus("How many militia leaders were quoted?"), count_focus("Who won?")
    (['militia', 'leaders'], [])
    """
    m = _COUNT_FOCUS.search(question.lower())
    return m.group(1).split() if m else []


_PRICED = (
    re.compile(r"\bhow much (?:does|did|do|will|would|could|should|can|is|was|are|were) (.+?) "
               r"(?:cost|costs|sell for|sold for|go for|went for|be priced|priced)\b(?: for (.+))?"),
    re.compile(r"\b(?:price|cost|fare|fee) (?:of|for) (.+)"),
)
_PHRASE_END = re.compile(r"\b(?:to|of|in|at|on|from|with|by|during|after|before|this|last|next|that|which)\b|[,?.!]")
_PRONOUNS = {"it", "they", "this", "that", "these", "those", "one", "each"}


def price_focus(question: str) -> str:
    """The head noun of the thing whose price a "how much does X cost" question asks ("" if none).

    >>> [price_focus(q) for q in ["How much does a single bus ride cost in Harbor City?",
    ...                            "How much did the telescope cost?", "What is the price of the Jamal 69 missile?",
    ...                            "How much does it cost for a gallon of regular gas?",
    ...                            "How much did tickets to the festival cost?", "How much did the bidder pay?",
    ...                            "How much does it cost to raise a child?"]]
    ['ride', 'telescope', 'missile', 'gas', 'tickets', '', '']
    """
    q = question.lower()
    for pattern in _PRICED:
        m = pattern.search(q)
        if not m:
            continue
        for phrase in (g for g in m.groups() if g):
            unit, _, rest = phrase.partition(" of ")
            if rest and re.sub(r"^(?:a|an|the|one|per) ", "", unit.strip()) in _MEASURES:
                phrase = rest             # "a gallon of regular gas" prices gas
            phrase = _PHRASE_END.split(phrase, maxsplit=1)[0]
            words = [w for w in re.findall(r"[a-z][a-z'’-]*", phrase) if w not in ("a", "an", "the")]
            if words and words[-1] not in _PRONOUNS:
                return words[-1]
    return ""


# "the price of a gallon of gas" asks about gas: a measure names the quantity, not the thing
_MEASURES = {"gallon", "litre", "liter", "barrel", "pound", "ounce", "ton", "tonne", "kilo", "kilogram", "gram",
             "share", "unit", "piece", "cup", "bottle", "pint", "bushel", "dozen", "pack", "box", "bag", "lb", "kg"}


def named_as(term: str, found: set[str]) -> str:
    """The stem in `found` that names a part's `term` another way: a doer noun its verb ("the
    walkers'" named by "who walked", "visited" by "visitors"), a noun made from a verb the verb
    ("the conversion" by "converting": the same first six letters), a stem one letter longer or
    shorter ("queue" by "queued", stemmed "queu"); else the term itself.

    >>> named_as("walker", {"walk"}), named_as("convers", {"convert", "took"}), named_as("museum", {"took"})
    ('walk', 'convert', 'museum')
    >>> named_as("visit", {"visitor"}), named_as("visitor", {"visit"}), named_as("queue", {"queu"})
    ('visitor', 'visit', 'queu')
    """
    if term in found:
        return term
    if term.endswith(("er", "or")) and term[:-2] in found:
        return term[:-2]
    doer = next((term + end for end in ("er", "or") if term + end in found), None)
    if doer is not None:                    # "visited" named by "visitors"
        return doer
    return next((f for f in sorted(found) if len(term) >= 6 and len(f) >= 6 and f[:6] == term[:6]
                 or min(len(f), len(term)) >= 4 and abs(len(f) - len(term)) == 1 and (f.startswith(term) or term.startswith(f))),
                term)                             # "queue" named by "queued" (stemmed "queu")
