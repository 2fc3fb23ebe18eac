"""Reliability harnesses: ingest killed at random moments and finished (`crash_ingest`, over the
corpus of `crash_corpus`, driving `ingest_process`), and many chat sessions against one app
(`load_chat`) or against several apps on one Chroma server (`load_servers`), started by
`app_process`. Each checks that what is left is consistent and answers as a quiet run would."""
