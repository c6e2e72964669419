"""Ingestion: how files come from the publishers — the polite HTTP client, safe archives, and each
source's collector (which files a source has, fetched into the raw store and cut into parts)."""
