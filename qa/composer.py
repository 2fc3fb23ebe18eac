"""The extractive answer composer: choose the sentences, decide whether they answer, quote them.

Given the scored candidate sentences (`qa.scoring`), the answer is the best sentence plus up
to two more within `keep_ratio` of its score that are not near-duplicates, each followed by
a marker. When the question asks for a kind of thing (a person, a date, a number...), the
best few sentences are parsed (`qa.nlp`) and searched for a span of that kind tied to the
question's words (`qa.spans`); the sentence holding the best such span is quoted first and
the span becomes the short answer (for a fill-in question, "... ballooned to:", `qa.cloze`).

It declines (cites nothing) when:
- the best sentence covers too little of the question, or the article it comes from lacks
  too much of it (`min_coverage`, `max_missing`);
- a "how many / how much / when" question finds no number, amount or date of the thing
  asked about (`require_type`);
- the question asks for a kind of thing and no span of that kind is tied closely enough to
  the question's own words (`min_near`...): the sentence is about the topic but answers
  something else ("When will the stadium open?" is not answered by a hub's opening date);
- or the quoted sentence does not name what the question names, word by word in the model's
  own states (`max_unaligned`, `qa.alignment`): "How many homes were evacuated in Poddington?"
  is not answered by 340 homes in Larch Valley;
- or a "why" question's quoted sentences give no reason (`qa.span_roles.states_reason`), or
  its quoted sentence does not name what it names (the alignment check, as above).
Thresholds are calibrated on gold data (`eval/gold/calibrate.py`), not tuned per question.
Every quote is checked verbatim against the stored article lines before it is returned; a
mismatch raises `CitationError`, because it would be a bug.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from index.embed import WordVectors
from index.errors import CitationError
from index.query_encoder import TokenStates
from index.read_model import ReadModel
from qa.acts import PLAIN_VERBS, asks_size, content_act
from qa.act_states import akin_in_context
from qa.alignment import NameAlignment
from qa.around import earlier_text, text_before
from qa.cloze import cloze_span, cloze_tail
from qa.nlp import SentenceParser
from qa.lexical import answer_type
from qa.question import QuestionAnalysis, analyse, core_question
from qa.scoring import Candidate, ComposerSettings, Scored, SentenceScorer, sentence_candidates
from qa.instances import (other_day, other_figure, other_instance, other_last_year, other_numbered, other_ordinal,
                          other_year)
from qa.doers import lead_roles
from qa.span_roles import WHY, states_reason
from qa.span_slot import chain, question_word
from qa.span_text import given, surnames
from qa.span_sorts import COUNTED_KINDS
from qa.spans import ROLE_NOUNS, Span, SpanFinder
from qa.types import Citation, ShortAnswer

DECLINE_TEXT = "The articles don't say. I found nothing in them that answers this question."

__all__ = ["DECLINE_TEXT", "Candidate", "CitationError", "ComposerSettings", "Composition", "ExtractiveComposer",
           "sentence_candidates", "verify_quote"]


@dataclass(frozen=True)
class Composition:
    answered: bool
    text: str
    citations: tuple[Citation, ...] = ()
    short: ShortAnswer | None = None
    signals: dict[str, float] = field(default_factory=dict)


def verify_quote(lines: tuple[str, ...] | list[str], citation: Citation) -> None:
    """Raise `CitationError` unless the quote stands verbatim in the cited lines."""
    if not 1 <= citation.start_line <= citation.end_line <= len(lines):
        raise CitationError(f"{citation.citation}: lines out of range (article has {len(lines)})")
    span = "\n".join(lines[citation.start_line - 1:citation.end_line])
    if not citation.quote or citation.quote not in span:
        raise CitationError(f"{citation.citation}: quote not found verbatim in the article")


class ExtractiveComposer:
    def __init__(self, model: ReadModel, settings: ComposerSettings = ComposerSettings(),
                 words: WordVectors | None = None, parser: SentenceParser | None = None,
                 states: Callable[[str], TokenStates] | None = None,
                 prefetch: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self._model = model
        self._words = words
        self._scorer = SentenceScorer(model, settings, words)
        self._parser = parser
        self._spans = SpanFinder(self._stem, self._similar, settings.focus_similarity, settings.anchor_similarity,
                                 settings.slot_weight)
        self._states = states
        self._act_akin = akin_in_context(states, self._stem, settings.min_act_similarity, settings.min_act_noun_similarity,
                                         PLAIN_VERBS) if states is not None else None
        self._prefetch = prefetch
        self._alignment = NameAlignment(self._stem, settings.min_name_alignment, settings.min_proper_alignment)

    def answer(self, question: str, context: str, candidates: list[Candidate], similarity: float,
               lines_of: Callable[[str], tuple[str, ...]], ours: bool = False) -> Composition:
        """`ours`: the question is one part of a question, in our wording ("X took how long?"), so
        the model's cosine of it and the sentence does not judge it (the part's label must be in
        the cited line instead: `Assistant._about`)."""
        s = self.settings
        scored = self._scorer.score(question, context, candidates)
        chosen = self.select(scored, question)
        best = chosen[0] if chosen else None
        signals = {"coverage": best.coverage if best else 0.0, "typed": 1.0 if best and best.typed else 0.0,
                   "missing": self._scorer.missing(question, scored), "similarity": similarity}
        analysis = analyse(question, self._core_doc(question)) if self._parser else None
        # With a parse, a question asking for a kind of thing is checked span by span below; the
        # word-level type test (`typed`) is then only the fallback for parsers' absence.
        spans_decide = analysis is not None and (analysis.kind in s.tie_kinds or analysis.named and analysis.kind == "thing")
        signals["span_rule"] = 1.0 if spans_decide and not context else 0.0
        confident = (best is not None and best.coverage >= s.min_coverage and signals["missing"] <= s.max_missing
                     and similarity >= s.min_similarity and (best.typed or not s.require_type or spans_decide))
        if not confident or best is None:
            return Composition(False, DECLINE_TEXT, signals=signals)
        short: tuple[Scored, Span] | None = None
        if analysis is not None and analysis.kind:
            if self._prefetch is not None and not context:
                self._prefetch(best.candidate.text)       # its states, for the checks below, while spaCy parses
            short = self._short(analysis, scored, best, lines_of, question, ours)
            signals["cover"] = short[1].cover if short else 0.0
            signals["near"] = short[1].near if short else 0.0
            signals["slot"] = short[1].placed if short else 0.0
            # A follow-up names its subject in the conversation ("Who did she beat?"): its own few
            # words say little about the sentence, so only a span of the right kind is asked of it.
            if short is not None and s.min_answer_similarity > -1 and not context and not short[1].titled and not ours:
                # the model's own cosine of question and sentence (all-MiniLM-L6-v2 was trained on
                # question-answer pairs among others): a low one means the span's sentence is about something else
                signals["answer_similarity"] = self._similarity(question, short[0].candidate.text)
            untied = short is not None and not context and (
                short[1].cover < s.min_cover or short[1].near < s.min_near
                or signals.get("answer_similarity", 1.0) < s.min_answer_similarity)
            if spans_decide and (short is None or untied):
                return Composition(False, DECLINE_TEXT, signals=signals)
            if short is not None and (short[1].near < s.min_short_near or (not context and short[1].cover < s.min_cover)):
                short = None
        shown = short is not None and not short[1].bare        # "city" of "in the city" is quoted, not shown as the answer
        if short is not None and short[0] is not chosen[0]:
            chosen = self.select([short[0]] + [r for r in scored if r is not short[0]], "")
        # a "why" names the event whose reason it asks: its naming words must be in the quoted sentence too
        why = analysis is not None and WHY.search(analysis.core) is not None
        if (spans_decide or why) and self._states is not None and not context:
            assert analysis is not None
            c = chosen[0].candidate
            core = self._core_doc(question)                      # its tokens' offsets are in `parsed`
            parsed = getattr(core, "doc", core).text
            keys = self._spans.key_words(analysis, core, self._model.idf)
            signals["unaligned"] = self._alignment.unaligned(
                core, self._states(parsed), keys, self._states(c.text), self._title_terms(c), self._context(c, lines_of),
                lambda: self._earlier(c, lines_of), set(self._model.analyzer.terms(c.text)))
            if signals["unaligned"] > s.max_unaligned:
                return Composition(False, DECLINE_TEXT, signals=signals)
        if analysis is not None and not context:
            c = chosen[0].candidate
            around = f"{c.title} {c.text} {text_before(c, lines_of)}"
            seen = set(re.findall(r"[a-z]+", around.lower()))
            if other_instance(self._core_doc(question), seen) or other_ordinal(question, c.text) or other_day(
                    question, seen) or other_numbered(question, around):
                # "the previous election", "second-quarter revenue", "on the Saturday": not the one reported
                return Composition(False, DECLINE_TEXT, signals=signals)
        if why and not context and self._parser is not None and not any(
                states_reason(d) for d in self._parser.parse([r.candidate.text for r in chosen])):
            return Composition(False, DECLINE_TEXT, signals=signals)      # a "why" with no reason given
        text, citations = self.compose(chosen, lines_of)
        short_answer = None
        tail = cloze_tail(question) if analysis is not None and not analysis.kind and self._parser else None
        if tail and short is None:                # "... the largest hike since:": what the sentence puts after "since"
            found = cloze_span(self._parser.parse([chosen[0].candidate.text])[0], tail)
            if found is not None:
                short, shown = (chosen[0], Span(found.text, found.start_char, found.end_char, "", 0.0, 1.0, 1.0)), True
        if short is not None and shown:
            c = short[0].candidate
            short_answer = ShortAnswer(short[1].text, 1, c.line, c.start + short[1].start, c.start + short[1].end)
            line = lines_of(c.article_id)[c.line - 1]
            if line[short_answer.start:short_answer.end] != short_answer.text:
                raise CitationError(f"{c.source}:{c.line}: short answer not found verbatim in the article")
            text = f"{short_answer.text} [1]\n\n{text}"
        return Composition(True, text, citations, short_answer, signals)

    def _short(self, analysis: QuestionAnalysis, scored: list[Scored], best: Scored,
               lines_of: Callable[[str], tuple[str, ...]], question: str = "", ours: bool = False) -> tuple[Scored, Span] | None:
        """The best (sentence, span) among the top sentences: sentence score plus span score (a
        number's verb judged in context, `qa.act_states`, unless `ours`, "A drew how many?", or sized)."""
        s = self.settings
        top = [r for r in scored[:s.span_sentences] if r.score >= s.span_ratio * best.score]
        leads = lead_roles(analysis.core)
        if leads:                             # "Who runs X?": a sentence naming a leading role is read too
            top += [r for r in scored[s.span_sentences:2 * s.span_sentences] if r.score >= s.span_ratio * best.score
                    and leads & set(re.findall(r"[a-z]+", r.candidate.text.lower()))]
        if not top:
            return None
        assert self._parser is not None
        question_doc = self._core_doc(analysis.core)
        keys = self._spans.key_words(analysis, question_doc, self._model.idf)
        asked = chain(question_word(question_doc))
        root = question_doc.root if hasattr(question_doc, "root") else next(iter(question_doc.sents)).root
        act = next((h for _, h in asked if h.pos_ == "VERB"), root)     # "When did it open?": "open" (ADJ)
        act = content_act(question_doc, act) if analysis.kind in COUNTED_KINDS else act   # "buy" of "did it buy?"
        sized = asks_size(analysis.core)
        docs = self._parser.parse([r.candidate.text for r in top])
        found: list[tuple[float, int, Scored, Span]] = []
        for order, (item, doc) in enumerate(zip(top, docs)):
            if other_year(analysis.core, item.candidate.text, item.candidate.published) or other_figure(
                    question, item.candidate.text) or other_last_year(
                    analysis.core, f"{text_before(item.candidate, lines_of)} {item.candidate.text}", item.candidate.published):
                continue                  # "won the Cup in 2019" is not "the 2022 Cup", nor magnitude 7.8 "7.0"
            known = (surnames(earlier_text(item.candidate, lines_of), ROLE_NOUNS) if analysis.kind in ("person", "who")
                     else frozenset())
            spans = [sp for sp in self._spans.spans(analysis, keys, doc, self._context(item.candidate, lines_of), asked,
                                                    known, act, None if ours or sized else self._act_akin)
                     if not given(sp.text, question)]   # not a name it holds
            if spans:
                span = spans[0]
                found.append((item.score / best.score + s.span_weight * span.score, -order, item, span))
        if leads:
            # "Rovers manager Y", not the Rovers' rival; else a name that does what is asked ("Y runs X")
            found = [f for f in found if f[3].titled] or [f for f in found if f[3].placed >= 0.5]
        if not found:
            return None
        _, _, item, span = max(found, key=lambda f: (f[0], f[1]))
        return item, span

    def _similarity(self, question: str, sentence: str) -> float:
        """The model's cosine of question and sentence (1.0 without the model's states)."""
        if self._states is None:
            return 1.0
        return float(self._states(question).vector @ self._states(sentence).vector)

    def _core_doc(self, question: str) -> Any:
        """The parse of the question's asking sentence, cut from the parse of the whole question
        (which `qa.parts` parses anyway: one parse, cached, instead of two)."""
        assert self._parser is not None
        doc = self._parser.parse([question])[0]
        core = core_question(question)
        start = question.rfind(core)
        span = doc.char_span(start, start + len(core), alignment_mode="expand") if start >= 0 else None
        return span if span is not None else self._parser.parse([core])[0]

    def _context(self, c: Candidate, lines_of: Callable[[str], tuple[str, ...]]) -> set[str]:
        """Stems of the article title and of the text just before the sentence."""
        return set(self._model.analyzer.terms(f"{c.title} {text_before(c, lines_of)}"))

    def _earlier(self, c: Candidate, lines_of: Callable[[str], tuple[str, ...]]) -> set[str]:
        """Stems of all the article's text before the sentence."""
        return set(self._model.analyzer.terms(earlier_text(c, lines_of)))

    def _title_terms(self, c: Candidate) -> set[str]:
        return set(self._model.analyzer.terms(c.title))

    def _stem(self, word: str) -> str:
        terms = self._model.analyzer.terms(word)
        return terms[0] if len(terms) == 1 else ""

    def _similar(self, words: list[str], others: list[str]) -> Any:
        """Static word-vector cosines, words x others (zeros without word vectors)."""
        if self._words is None:
            return [[0.0] * len(others) for _ in words]
        return self._words.vectors(words) @ self._words.vectors(others).T

    def select(self, ranked: list[Scored], question: str = "") -> list[Scored]:
        """The best sentence and up to two more close to it, no near-duplicates.

        For questions that ask for a number, amount or date, a close runner-up that holds
        one goes first when the best sentence does not.
        """
        if not ranked:
            return []
        best = ranked[0]
        if question and answer_type(question) in ("number", "money", "date") and not best.typed:
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
