"""Crawl bookkeeping: seeds and arguments, the BFS frontier, resume and incremental state."""
