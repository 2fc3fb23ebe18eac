"""Is an index whole? What `qa ingest` promises after any run that finished, even one that
followed a crash (kill -9, power loss) of an earlier run.

`expected_articles(root, settings, model_name)` reads a folder the way ingest does and gives
each article's id and content hash; `index_problems(store, read_model_dir, expected)` lists every
way the index differs from that (an empty list: consistent):

- manifest vs files: each article of the folder once, with its current content hash, and no
  other article; no source twice;
- chunks: each belongs to a manifest article and carries its hash (no orphans), its id is
  ``<article>:<hash12>:<index>``, an article's indexes are 0..n-1 once each (no duplicates, no
  gaps, n as the manifest says), and its text is the article's span verbatim;
- read model: it loads, carries the manifest's fingerprint, and holds exactly Chroma's chunks
  (same ids, texts and vectors) and the manifest's articles (same vectors).

`leftovers(read_model_dir)` names read-model folders an interrupted swap left beside it (harmless:
the next rebuild removes them). Left out: whether answers are right (`eval/`), Chroma's own
files (Chroma checks those when it opens them).

    >>> summarize("orphan chunks", ["a:1", "b:2", "c:3", "d:4"])
    'orphan chunks: 4 (a:1, b:2, c:3, ...)'
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from index.chunking import ChunkSettings, span_text
from index.errors import BadArticle, StoreError
from index.read_model import fingerprint, load
from index.loaders import find_files, load_file, source_name
from index.store import ChromaStore
from index.sync import chunk_id


def expected_articles(root: Path, settings: ChunkSettings, model_name: str) -> dict[str, str]:
    """article_id -> content hash of the articles under `root`, as an ingest of it would store them."""
    salt = f"{settings.salt}:{model_name}"
    out: dict[str, str] = {}
    seen: set[str] = set()
    for path in find_files(root):
        for item in load_file(path, source_name(path, root)):
            if isinstance(item, BadArticle) or item.source in seen:
                continue                  # ingest skips these too (and reports them)
            seen.add(item.source)
            out[item.article_id] = item.content_hash(salt)
    return out


def summarize(what: str, items: list[str], shown: int = 3) -> str:
    more = ", ..." if len(items) > shown else ""
    return f"{what}: {len(items)} ({', '.join(items[:shown])}{more})"


def index_problems(store: ChromaStore, read_model_dir: Path, expected: dict[str, str] | None = None) -> list[str]:
    """Every inconsistency found (see the module docstring); `expected=None` skips manifest vs files."""
    problems: list[str] = []
    manifest = store.manifest()
    if expected is not None:
        checks = (("articles missing from the manifest", sorted(expected.keys() - manifest.keys())),
                  ("articles in the manifest but not in the folder", sorted(manifest.keys() - expected.keys())),
                  ("articles with a stale content hash",
                   sorted(a for a in expected.keys() & manifest.keys() if manifest[a].content_hash != expected[a])))
        problems += [summarize(what, ids) for what, ids in checks if ids]
    twice = sorted(s for s, n in Counter(e.source for e in manifest.values()).items() if n > 1)
    if twice:
        problems.append(summarize("sources listed more than once", twice))

    chunks = {cid: (text, meta, np.asarray(vec, dtype=np.float32))
              for cid, text, meta, vec in store.all_chunks(with_vectors=True)}
    orphans, bad_ids, bad_text = [], [], []
    indexes: dict[str, list[int]] = {}
    lines: dict[str, list[str]] = {}
    for cid, (text, meta, _vec) in chunks.items():
        aid, content_hash, index = str(meta["article_id"]), str(meta["content_hash"]), int(meta["chunk_index"])
        entry = manifest.get(aid)
        if entry is None or entry.content_hash != content_hash:
            orphans.append(cid)
            continue
        if cid != chunk_id(aid, content_hash, index):
            bad_ids.append(cid)
        indexes.setdefault(aid, []).append(index)
        if aid not in lines:
            lines[aid] = (store.article_text(aid) or "").split("\n")
        start, end = int(meta["start_line"]), int(meta["end_line"])
        if end > len(lines[aid]) or span_text(lines[aid], start, int(meta["start_char"]), end,
                                               int(meta["end_char"])) != text:
            bad_text.append(cid)
    gaps = sorted(aid for aid, entry in manifest.items()
                  if sorted(indexes.get(aid, [])) != list(range(entry.n_chunks)))
    for what, items in (("orphan chunks", orphans), ("chunk ids not derived from their article", bad_ids),
                        ("chunks whose text is not their article's span", bad_text),
                        ("articles whose chunks are not 0..n-1 once each", gaps)):
        if items:
            problems.append(summarize(what, sorted(items)))

    orphan_set = set(orphans)
    visible = {cid: v for cid, v in chunks.items() if cid not in orphan_set}
    problems += _keyword_problems(store, read_model_dir, manifest, visible)
    return problems


def _keyword_problems(store: ChromaStore, read_model_dir: Path, manifest: dict, visible: dict) -> list[str]:
    try:
        kw = load(read_model_dir)
    except StoreError as err:
        return [f"read model: {err}"]
    problems = []
    if kw.fingerprint != fingerprint(manifest):
        problems.append("read model: built from another manifest (stale)")
    ids = kw.table.ids
    if len(ids) != len(set(ids)):
        problems.append(summarize("chunks listed twice in the read model",
                                  sorted(c for c, n in Counter(ids).items() if n > 1)))
    only_kw, only_chroma = sorted(set(ids) - visible.keys()), sorted(visible.keys() - set(ids))
    if only_kw:
        problems.append(summarize("read-model chunks not in Chroma", only_kw))
    if only_chroma:
        problems.append(summarize("Chroma chunks not in the read model", only_chroma))
    differ = [cid for row, cid in enumerate(ids) if cid in visible and (
        kw.table.texts[row] != visible[cid][0] or not np.allclose(kw.vectors[row], visible[cid][2], atol=1e-6))]
    if differ:
        problems.append(summarize("read-model chunks whose text or vector differs from Chroma's", differ))
    article_ids, article_vectors = store.article_vectors(set(manifest))
    if kw.article_ids != sorted(manifest):
        problems.append("read model: its articles are not the manifest's")
    elif kw.article_ids != article_ids or not np.allclose(kw.article_vectors, article_vectors, atol=1e-6):
        problems.append("read model: article vectors differ from Chroma's")
    return problems


def leftovers(read_model_dir: Path) -> list[Path]:
    """Keyword folders a swap interrupted part way left beside `read_model_dir`."""
    return [p for p in (read_model_dir.with_name(read_model_dir.name + ".new"),
                        read_model_dir.with_name(read_model_dir.name + ".old")) if p.exists()]
