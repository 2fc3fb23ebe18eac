"""The extractive answer composer: pick the best 1-3 sentences and cite their lines.

Candidates are the sentences of the lines covered by the best chunks of the top articles
(whole sentences, taken from the stored article lines, so each keeps its line number).
Each is scored without another model call (the budget is tens of milliseconds on a CPU):

    coverage  share of the question's IDF weight that the sentence contains (context words
              from earlier turns count at `context_weight`)
    prior     where retrieval put it: article rank and chunk rank
    type      the kind of thing asked for is there: a number for "how many", a date for
              "when", a name for "who", a place for "where"
    novelty   a sentence that only repeats the question's words cannot answer it

The answer is the best sentence plus up to two more within `keep_ratio` of its score that
are not near-duplicates, each followed by a marker. It declines (cites nothing) when the
best sentence's coverage or the retrieval similarity is under the calibrated thresholds
(see `eval/calibrate.py`). Every quote is checked verbatim against the stored article lines
before it is returned; a mismatch raises `CitationError`, because it would be a bug.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from index.boilerplate import line_kind
from index.embed import WordVectors
from index.errors import QAError
from index.keyword import KeywordIndex
from index.sentences import split_sentences
from qa.types import Citation

DECLINE_TEXT = "The articles don't say. I found nothing in them that answers this question."

_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen)\b", re.I)
_DATE = re.compile(r"\b(?:\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|week|month|year)\b", re.I)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+)+")
_MONEY = re.compile(r"[$€£¥]\s?\d|\d\s?(?:dollars?|euros?|pounds?|cents?|yen|usd|eur|gbp)\b|\bfree\b", re.I)
_ENTITY = re.compile(r"(?<=\s)[A-Z][\w'’&.-]*[a-z\d]")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")


class CitationError(QAError):
    """A quote did not match the stored article lines (a bug, never shown to the user)."""


@dataclass(frozen=True)
class ComposerSettings:
    max_sentences: int = 3
    keep_ratio: float = 0.6
    typed_ratio: float = 0.6        # a typed runner-up this close to an untyped best goes first
    context_weight: float = 0.5
    topic_weight: float = 0.75      # weight of question words that are in the candidate's article title
    soft_min: float = 0.3           # static word-vector cosine from which a paraphrase earns credit
    soft_weight: float = 0.8
    count_similarity: float = 0.4   # "how many X": the number's noun must be X or this close to it
    prior_weight: float = 0.25
    type_bonus: float = 0.2
    entity_bonus: float = 0.1       # which/what/who/where: the sentence names something new
    min_coverage: float = 0.15      # calibrated thresholds: see eval/calibrate.py
    max_missing: float = 0.6
    require_type: bool = True       # a "how many"/"when"/"how much" answer must hold a number/date/amount
    priced_thing: bool = True       # "how much does X cost": the amount's sentence or title must name X
    min_similarity: float = -1.0    # calibration found dense similarity adds nothing: off
    duplicate_jaccard: float = 0.6


@dataclass(frozen=True)
class Candidate:
    article_id: str
    source: str
    title: str
    published: str
    line: int
    start: int
    end: int
    text: str
    article_rank: int
    chunk_rank: int


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    coverage: float
    terms: frozenset[str]
    typed: bool = True       # holds the kind of answer the question asks for (True when any kind will do)
    match: dict[str, float] = field(default_factory=dict)   # question term -> how well it is matched


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


def _has_type(kind: str, text: str) -> bool:
    if kind == "money":
        return bool(_MONEY.search(text))
    if kind == "number":
        return bool(_NUMBER.search(text))
    if kind == "date":
        return bool(_DATE.search(text))
    if kind == "name":
        return bool(_NAME.search(text))
    if kind == "place":
        return bool(_CAPITAL.search(text))
    return False


def sentence_candidates(lines: tuple[str, ...] | list[str], line_range: tuple[int, int]) -> list[tuple[int, int, int]]:
    """(line, start, end) of the sentences on text lines `line_range` (1-based, inclusive)."""
    out = []
    for number in range(line_range[0], line_range[1] + 1):
        line = lines[number - 1]
        if line_kind(line) != "text":
            continue
        out.extend((number, a, b) for a, b in split_sentences(line))
    return out


def verify_quote(lines: tuple[str, ...] | list[str], citation: Citation) -> None:
    """Raise `CitationError` unless the quote stands verbatim in the cited lines."""
    if not 1 <= citation.start_line <= citation.end_line <= len(lines):
        raise CitationError(f"{citation.citation}: lines out of range (article has {len(lines)})")
    span = "\n".join(lines[citation.start_line - 1:citation.end_line])
    if not citation.quote or citation.quote not in span:
        raise CitationError(f"{citation.citation}: quote not found verbatim in the article")


class ExtractiveComposer:
    def __init__(self, keyword: KeywordIndex, settings: ComposerSettings = ComposerSettings(),
                 words: WordVectors | None = None) -> None:
        self.keyword = keyword
        self.settings = settings
        self.words = words

    def score(self, question: str, context: str, candidates: list[Candidate]) -> list[Scored]:
        s = self.settings
        analyzer, idf = self.keyword.analyzer, self.keyword.idf
        surface: dict[str, str] = {}
        for stem, word in analyzer.pairs(question):
            surface.setdefault(stem, word)
        q_terms = set(surface)
        weights = {t: idf(t) for t in q_terms}
        for stem, word in analyzer.pairs(context) if context else []:
            if stem not in weights:
                surface[stem] = word
                weights[stem] = s.context_weight * idf(stem)
        total = sum(weights.values()) or 1.0
        pairs = [analyzer.pairs(c.text) for c in candidates]
        matches = self._matches(surface, pairs)
        # Local weights: a question word that every candidate sentence shares (the article's
        # topic) does not help pick the answer sentence; a rarer one does.
        n = len(candidates)
        local = {t: w * math.log(1 + n / (1 + sum(m.get(t, 0.0) for m in matches))) for t, w in weights.items()}
        local_total = sum(local.values()) or 1.0
        kind = answer_type(question)
        focus = [w for w in count_focus(question) if not analyzer.is_stopword(w)]
        priced = price_focus(question)
        asked_words = question_words(question)
        asked = set(weights)
        out = []
        title_terms: dict[str, set[str]] = {}
        for cand, pair, match in zip(candidates, pairs, matches):
            terms = frozenset(stem for stem, _ in pair)
            coverage = sum(w * match.get(t, 0.0) for t, w in weights.items()) / total
            # Question words in the article's title name the topic, not the answer sentence.
            topic = title_terms.setdefault(cand.article_id, set(analyzer.terms(cand.title)))
            score = sum(w * match.get(t, 0.0) * (s.topic_weight if t in topic else 1.0)
                        for t, w in local.items()) / local_total
            score += s.prior_weight * (1.0 / (1 + cand.article_rank) + 0.5 / (1 + cand.chunk_rank)) / 1.5
            novel = _strip_question_words(cand.text, asked_words)
            typed = not kind or _has_type(kind, novel)
            if kind in ("", "name", "place") and _ENTITY.search(novel):
                score += s.entity_bonus       # names something the question does not
            if typed and kind == "number" and focus and not set(focus) & _GENERIC_COUNTS:
                typed = self._counts(focus, cand.text)
            if typed and kind == "money" and priced and s.priced_thing:
                typed = self._names(priced, f"{cand.text} {cand.title}")
            if kind and typed:
                score += s.type_bonus
            if not terms - asked:
                score *= 0.3          # only repeats the question
            if len(cand.text.split()) < 6 or not _ENDS_SENTENCE.search(cand.text):
                score *= 0.6          # a headline, caption or byline rather than a sentence
            out.append(Scored(cand, score, coverage, terms, typed, match))
        out.sort(key=lambda x: (-x.score, x.candidate.article_rank, x.candidate.line, x.candidate.start))
        return out

    def _counts(self, focus: list[str], text: str) -> bool:
        """Is there a number whose noun is what the question counts?

        The noun may follow the number after at most two other words ("214 rusted bolts"),
        and must end the noun phrase (next comes a function word or punctuation), so
        "two missile types" counts types, not missiles, and "Quds 351 cruise missiles" none.
        """
        analyzer = self.keyword.analyzer
        head = focus[-1]
        head_stem = analyzer.terms(head)
        for m in _COUNTED.finditer(text):
            before = text[:m.start()].split()
            if len(before) >= 2 and before[-1][:1].isupper() and before[-1].isalpha():
                continue                # a name with a number ("Quds 351", "Boeing 737") counts nothing
            tokens = m.group(1).split()
            for i, token in enumerate(tokens[:3]):
                word = _bare(token)
                if not word or not self._same_noun(head, head_stem, word):
                    continue
                ends = token[-1:] in ",.;:!?)" or i + 1 >= len(tokens) or analyzer.is_stopword(tokens[i + 1])
                if ends:
                    return True
        return False

    def _names(self, head: str, text: str) -> bool:
        """Does the text name the priced thing (its head noun, or a word this close to it)?

        An amount answers "how much does a single bus ride cost?" only if it is the price
        of a ride: a weekly fare cap is not, however many of the other words it shares.
        """
        words = [w for w in dict.fromkeys(_bare(tok) for tok in text.split()) if w]
        head_stem = self.keyword.analyzer.terms(head)
        if head_stem and any(self.keyword.analyzer.terms(w) == head_stem for w in words):
            return True
        if self.words is None or not words:
            return False
        return float((self.words.vectors([head]) @ self.words.vectors(words).T).max()) >= self.settings.count_similarity

    def _same_noun(self, head: str, head_stem: list[str], word: str) -> bool:
        if head_stem and self.keyword.analyzer.terms(word) == head_stem:
            return True
        if self.words is None:
            return False
        sim = float((self.words.vectors([head]) @ self.words.vectors([word]).T)[0, 0])
        return sim >= self.settings.count_similarity

    def _matches(self, surface: dict[str, str], pairs: list[list[tuple[str, str]]]) -> list[dict[str, float]]:
        """Per candidate: how well each question term is matched, 1.0 exact (same stem), else
        `soft_weight` x the best static word-vector cosine when it reaches `soft_min`, else 0."""
        s = self.settings
        stems = list(surface)
        out: list[dict[str, float]] = []
        for pair in pairs:
            present = {st for st, _ in pair}
            out.append({t: 1.0 for t in stems if t in present})
        if self.words is None or not stems:
            return out
        vocab = list(dict.fromkeys(word for pair in pairs for _, word in pair))
        if not vocab:
            return out
        index = {w: i for i, w in enumerate(vocab)}
        sims = self.words.vectors([surface[t] for t in stems]) @ self.words.vectors(vocab).T
        for match, pair in zip(out, pairs):
            cols = [index[w] for _, w in pair]
            if not cols:
                continue
            best = sims[:, cols].max(axis=1)
            for row, t in enumerate(stems):
                if t not in match and best[row] >= s.soft_min:
                    match[t] = s.soft_weight * float(best[row])
        return out

    def select(self, ranked: list[Scored], question: str = "") -> list[Scored]:
        """The best sentence and up to two more close to it, no near-duplicates.

        For questions that ask for a number, amount or date, a close runner-up that holds
        one goes first when the best sentence does not.
        """
        if not ranked:
            return []
        best = ranked[0]
        if answer_type(question) in _STRICT_TYPES and not best.typed:
            typed = next((r for r in ranked if r.typed and r.score >= self.settings.typed_ratio * best.score), None)
            if typed is not None:
                ranked = [typed] + [r for r in ranked if r is not typed]
                best = typed
        chosen = [best]
        for other in ranked[1:]:
            if len(chosen) >= self.settings.max_sentences or other.score < self.settings.keep_ratio * best.score:
                break
            if any(_jaccard(other.terms, c.terms) >= self.settings.duplicate_jaccard for c in chosen):
                continue
            chosen.append(other)
        return chosen

    def missing(self, question: str, scored: list[Scored]) -> float:
        """Share of the question's IDF weight not found in the best sentence's article.

        Counted over that article's candidate sentences (paraphrases at their soft credit)
        and its title: a question whose key word is nowhere in the article we would cite is
        usually about something else.
        """
        analyzer, idf = self.keyword.analyzer, self.keyword.idf
        q_terms = set(analyzer.terms(question))
        if not q_terms or not scored:
            return 1.0
        best = scored[0].candidate
        found = {t: 1.0 for t in analyzer.terms(best.title) if t in q_terms}
        for item in scored:
            if item.candidate.article_id == best.article_id:
                for t in q_terms:
                    found[t] = max(found.get(t, 0.0), item.match.get(t, 0.0))
        total = sum(idf(t) for t in q_terms) or 1.0
        return sum(idf(t) * (1.0 - found.get(t, 0.0)) for t in q_terms) / total

    def confident(self, best: Scored | None, missing: float, similarity: float) -> bool:
        s = self.settings
        return (best is not None and best.coverage >= s.min_coverage and missing <= s.max_missing
                and similarity >= s.min_similarity and (best.typed or not s.require_type))

    def compose(self, chosen: list[Scored], lines_of: Callable[[str], tuple[str, ...]]) -> tuple[str, tuple[Citation, ...]]:
        parts, citations = [], []
        for marker, item in enumerate(chosen, start=1):
            c = item.candidate
            citation = Citation(marker, c.source, c.line, c.line, c.text, c.title, c.published)
            verify_quote(lines_of(c.article_id), citation)
            citations.append(citation)
            parts.append(f"{c.text} [{marker}]")
        return " ".join(parts), tuple(citations)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def question_words(question: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"\w+", question))


def _strip_question_words(text: str, asked: frozenset[str]) -> str:
    """The sentence without words the question already has (a name in the question is no answer).

    >>> _strip_question_words("Corvane made $412 million in profit.", question_words("How much profit did Corvane make?"))
    'made $412 million in'
    """
    kept = [tok for tok in text.split()
            if (tok if tok.isalnum() else _NON_WORD.sub("", tok)).lower() not in asked]
    return " ".join(tok.strip(".,;:!?\"“”()") if not tok[:1] in "$€£¥" else tok.rstrip(".,;:!?") for tok in kept)


_NON_WORD = re.compile(r"\W")
_NOT_IN_WORD = re.compile(r"[^\w'’-]")


def _bare(token: str) -> str:
    """A token as a lower-case word: punctuation around it dropped ("ride," -> "ride")."""
    return _NOT_IN_WORD.sub("", token).lower()


_COUNT_FOCUS = re.compile(r"\bhow many ((?:[a-z'-]+ ){0,1}[a-z'-]+)")
_COUNTED = re.compile(r"(?:\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                      r"dozens?|hundreds?|thousands?|millions?|billions?)\b)((?:\s+[\w'’-]+){1,4})", re.I)


_STRICT_TYPES = {"number", "money", "date"}

# "How many people ..." may be answered by "386 adults", "48,000 visitors": any number will do.
_GENERIC_COUNTS = {"people", "persons", "individuals", "times", "things", "members", "humans"}


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
