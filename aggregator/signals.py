"""Project signals (Scrapy signals are plain sentinel objects)."""

#: sent with ``entry=ErrorEntry`` whenever a page yields no record or only part of one
error_recorded = object()
