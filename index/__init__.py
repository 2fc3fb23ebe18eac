"""Articles -> lines -> chunks -> vectors -> Chroma, with incremental sync.

The public entry points live in `qa` (which re-exports what other tools need);
this package is the storage half and imports nothing from `qa`.
"""
