"""Scoring against gold answers: gold files -> runs -> metrics -> summaries -> reports.

`questions` reads the gold files (re-exported here), `runner` answers them with an assistant,
`metrics` are pure scoring functions, `summary` and `report` aggregate and write results,
`datasets` names the gold sets and caches their indexes, `calibrate` picks the composer's
thresholds, `realtimeqa` adapts the RealTime QA dev set. Gold files (``*.jsonl``) sit in this
folder beside the code.
"""

from eval.gold.questions import Evidence, GoldQuestion, load_gold

__all__ = ["Evidence", "GoldQuestion", "load_gold"]
