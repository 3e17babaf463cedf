"""Item pipelines, one concern each (order in settings.ITEM_PIPELINES and the README)."""
