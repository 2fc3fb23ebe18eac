"""Country and US-state names, for "which country" / "which state" questions.

News quizzes ask "Which country elected ...?" and the sentence that answers names the
capital too ("voters in Bogota ... Colombia's first leftist president"); spaCy tags both GPE.
A span that is a country (or a US state, for "which state") is preferred over another place
when the question asks for one. Written for this project from common knowledge; short forms
("U.S.", "UK") included.

    >>> is_country("Colombia"), is_country("Bogota"), is_country("the U.K."), is_us_state("West Virginia")
    (True, False, True, True)
"""

from __future__ import annotations

import re

COUNTRY_NOUNS = frozenset({"country", "countries", "nation", "nations"})
STATE_NOUNS = frozenset({"state", "states"})

_COUNTRIES = """afghanistan albania algeria andorra angola antigua and barbuda argentina armenia australia austria
azerbaijan bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia and herzegovina
bosnia botswana brazil brunei bulgaria burkina faso burundi cambodia cameroon canada cape verde central african
republic chad chile china colombia comoros congo costa rica croatia cuba cyprus czech republic czechia denmark
djibouti dominica dominican republic east timor timor-leste ecuador egypt el salvador equatorial guinea eritrea
estonia eswatini swaziland ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala
guinea guinea-bissau guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy ivory coast
jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya
liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta marshall islands mauritania
mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar burma namibia nauru nepal
netherlands holland new zealand nicaragua niger nigeria north korea north macedonia macedonia norway oman pakistan
palau palestine panama papua new guinea paraguay peru philippines poland portugal qatar romania russia rwanda
saint kitts and nevis saint lucia saint vincent and the grenadines samoa san marino sao tome and principe
saudi arabia senegal serbia seychelles sierra leone singapore slovakia slovenia solomon islands somalia south africa
south korea korea south sudan spain sri lanka sudan suriname sweden switzerland syria taiwan tajikistan tanzania
thailand togo tonga trinidad and tobago tunisia turkey turkiye turkmenistan tuvalu uganda ukraine
united arab emirates uae united kingdom uk britain great britain england scotland wales northern ireland
united states us usa america united states of america uruguay uzbekistan vanuatu vatican venezuela vietnam yemen
zambia zimbabwe greenland puerto rico hong kong"""

_STATES = """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri
montana nebraska nevada new hampshire new jersey new mexico new york north carolina north dakota ohio oklahoma oregon
pennsylvania rhode island south carolina south dakota tennessee texas utah vermont virginia washington west virginia
wisconsin wyoming"""


def _phrases(block: str) -> frozenset[str]:
    """Split the word run into names: every listed multi-word name, then the single words left."""
    text = " ".join(block.split())
    multi = [m for m in _MULTI if m in text]
    for m in multi:
        text = text.replace(m, " ")
    return frozenset(multi) | frozenset(text.split())


_MULTI = sorted({
    "antigua and barbuda", "bosnia and herzegovina", "burkina faso", "cape verde", "central african republic",
    "costa rica", "czech republic", "dominican republic", "east timor", "el salvador", "equatorial guinea",
    "ivory coast", "marshall islands", "new zealand", "north korea", "north macedonia", "papua new guinea",
    "saint kitts and nevis", "saint lucia", "saint vincent and the grenadines", "san marino",
    "sao tome and principe", "saudi arabia", "sierra leone", "solomon islands", "south africa", "south korea",
    "south sudan", "sri lanka", "trinidad and tobago", "united arab emirates", "united kingdom", "great britain",
    "northern ireland", "united states of america", "united states", "puerto rico", "hong kong", "new hampshire",
    "new jersey", "new mexico", "new york", "north carolina", "north dakota", "rhode island", "south carolina",
    "south dakota", "west virginia"}, key=len, reverse=True)

COUNTRIES = _phrases(_COUNTRIES)
US_STATES = _phrases(_STATES)


def _key(text: str) -> str:
    """'the U.K.' -> 'uk'; "Colombia's" -> 'colombia'."""
    text = re.sub(r"[’']s$", "", text.strip().lower())
    text = re.sub(r"^the\s+", "", text)
    return " ".join(text.replace(".", "").split())


def is_country(text: str) -> bool:
    return _key(text) in COUNTRIES


def is_us_state(text: str) -> bool:
    return _key(text) in US_STATES
