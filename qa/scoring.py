"""Scoring the candidate sentences of an answer against the question (no model call).

Candidates are the sentences of the lines covered by the best chunks of the top articles
(whole sentences, taken from the stored article lines, so each keeps its line number).
Each is scored in tens of microseconds:

    coverage  share of the question's IDF weight that the sentence contains (context words
              from earlier turns count at `context_weight`; paraphrases earn partial credit
              through the model's static word-piece vectors)
    prior     where retrieval put it: article rank and chunk rank
    type      the kind of thing asked for is there: a number for "how many X" followed by X,
              an amount that names the priced thing, a date for "when", a name for "who"
    novelty   a sentence that only repeats the question's words cannot answer it

Leaves out: choosing and quoting (`qa.composer`) and short-answer spans (`qa.spans`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from index.boilerplate import line_kind
from index.embed import WordVectors
from index.read_model import ReadModel
from index.sentences import split_sentences
from qa.lexical import (CURRENCY_WORDS, GENERIC_COUNTS, answer_type, bare, count_focus, price_focus,
                        question_words, strip_question_words)

_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen)\b", re.I)
_DATE = re.compile(r"\b(?:\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|week|month|year)\b", re.I)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+)+")
_MONEY = re.compile(r"[$€£¥]\s?\d|\d\s?(?:(?:thousand|million|billion|trillion)\s)?(?:" + "|".join(CURRENCY_WORDS)
                    + r")\b|\bfree\b", re.I)
_ENTITY = re.compile(r"(?<=\s)[A-Z][\w'’&.-]*[a-z\d]")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
_COUNTED = re.compile(r"(?:\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                      r"dozens?|hundreds?|thousands?|millions?|billions?)\b)((?:\s+[\w'’-]+){1,4})", re.I)


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
    min_coverage: float = 0.1      # calibrated thresholds: see eval/calibrate.py
    max_missing: float = 0.6
    require_type: bool = True       # a "how many"/"when"/"how much" answer must hold a number/date/amount
    priced_thing: bool = True       # "how much does X cost": the amount's sentence or title must name X
    # The best retrieved chunks' cosine to the question: off. Calibration picks 0.4 (4 more near-topic
    # declines), but a chunk's cosine falls with what else the chunk holds: a one-chunk article
    # answering 'How many bolts did engineers replace?' scores 0.19 and would be declined.
    min_similarity: float = -1.0
    duplicate_jaccard: float = 0.6
    # Short answers and the tie test (qa.spans): see eval/gold/calibrate.py
    span_sentences: int = 3         # how many of the best sentences are parsed for a span
    span_ratio: float = 0.5         # ... among those scoring at least this share of the best
    span_weight: float = 0.25       # weight of the span's own score against the sentence's
    slot_weight: float = 0.5        # a span in the question's slot ("which X tested positive": the subject of "tested")
    focus_similarity: float = 0.45  # "which airline": a span headed by a word this close to "airline" fits
    anchor_similarity: float = 0.5  # a sentence word this close to a question word stands for it in `near`/`cover`
    # A question asking for a kind of thing (tie_kinds) is declined unless its best span's sentence, with
    # the text before it and the title, holds `min_cover` of its naming words, the span sits at least
    # `min_near` close to them, and the model's cosine of question and sentence is `min_answer_similarity`.
    min_cover: float = 0.0
    min_near: float = 0.1
    min_answer_similarity: float = 0.3
    min_short_near: float = 0.0     # show no short answer for a span less near than this
    # Decline when more than `max_unaligned` of the question's naming weight finds no word piece of
    # the quoted sentence (with its title) at least `min_name_alignment` close in the model (qa.alignment).
    min_name_alignment: float = 0.3
    min_proper_alignment: float = 0.4   # for a proper name (measured: 0.5 loses a seed answer)
    max_unaligned: float = 0.25
    min_act_similarity: float = 0.3     # a number's verb and the question's, in context (`qa.act_states`)
    min_act_noun_similarity: float = 0.45   # another word of the sentence and the question's verb
    tie_kinds: frozenset[str] = frozenset({"person", "org", "place", "who", "date", "count", "measure", "number",
                                           "money", "percent"})


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


class SentenceScorer:
    """Scores candidate sentences; `missing` measures how much of the question an article lacks."""

    def __init__(self, model: ReadModel, settings: ComposerSettings = ComposerSettings(),
                 words: WordVectors | None = None) -> None:
        self.model = model
        self.settings = settings
        self.words = words

    def score(self, question: str, context: str, candidates: list[Candidate]) -> list[Scored]:
        s = self.settings
        analyzer, idf = self.model.analyzer, self.model.idf
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
            novel = strip_question_words(cand.text, asked_words)
            typed = not kind or _has_type(kind, novel)
            if kind in ("", "name", "place") and _ENTITY.search(novel):
                score += s.entity_bonus       # names something the question does not
            if typed and kind == "number" and focus and not set(focus) & GENERIC_COUNTS:
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
        analyzer = self.model.analyzer
        head = focus[-1]
        head_stem = analyzer.terms(head)
        for m in _COUNTED.finditer(text):
            before = text[:m.start()].split()
            if len(before) >= 2 and before[-1][:1].isupper() and before[-1].isalpha():
                continue                # a name with a number ("Quds 351", "Boeing 737") counts nothing
            tokens = m.group(1).split()
            for i, token in enumerate(tokens[:3]):
                word = bare(token)
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
        words = [w for w in dict.fromkeys(bare(tok) for tok in text.split()) if w]
        head_stem = self.model.analyzer.terms(head)
        if head_stem and any(self.model.analyzer.terms(w) == head_stem for w in words):
            return True
        if self.words is None or not words:
            return False
        return float((self.words.vectors([head]) @ self.words.vectors(words).T).max()) >= self.settings.count_similarity

    def _same_noun(self, head: str, head_stem: list[str], word: str) -> bool:
        if head_stem and self.model.analyzer.terms(word) == head_stem:
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

    def missing(self, question: str, scored: list[Scored]) -> float:
        """Share of the question's IDF weight not found in the best sentence's article.

        Counted over that article's candidate sentences (paraphrases at their soft credit)
        and its title: a question whose key word is nowhere in the article we would cite is
        usually about something else.
        """
        analyzer, idf = self.model.analyzer, self.model.idf
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
