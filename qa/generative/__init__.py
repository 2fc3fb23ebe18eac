"""Optional generative answers: a language model behind any OpenAI-compatible endpoint writes the
answer from numbered evidence, and our own deterministic check decides what of it is shown as
supported.

    client.py   the HTTP client (POST /chat/completions, streamed SSE or whole), one deadline,
                one-line errors; the key only from $QA_LLM_API_KEY
    prompt.py   the retrieved lines as numbered evidence ``[n] source:start-end``, article text
                delimited as data
    verify.py   sentence by sentence: markers mapped to evidence, facts and words checked in
                the cited lines (no second model call)
    compose.py  the flow: extractive answer first (the fallback), then the model, then the
                check; `ModelAssistant` wraps an opened `Assistant`

Nothing here is imported by `qa` itself, and nothing connects anywhere unless a URL is given
(`Config.llm_url`, ``--llm-url``). The extractive composer stays the default and the fallback.
"""

from __future__ import annotations
