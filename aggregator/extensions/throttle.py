"""AutoThrottle that never goes below a download slot's configured delay."""

from __future__ import annotations

from scrapy.core.downloader import Slot
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response


class SlotFloorAutoThrottle(AutoThrottle):
    """Scrapy's AutoThrottle clamps to DOWNLOAD_DELAY only, so a host given 1 s in
    DOWNLOAD_SLOTS (PubMed's Crawl-delay) could be sped up below it. Here the
    slot's own delay from DOWNLOAD_SLOTS is the floor."""

    _floors: dict[str, float] | None = None

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        if self._floors is None:
            slots = self.crawler.settings.getdict("DOWNLOAD_SLOTS")
            self._floors = {k: float(v.get("delay", 0)) for k, v in slots.items()}
        request = response.request
        key = request.meta.get("download_slot") if request is not None else None
        super()._adjust_delay(slot, latency, response)
        floor = self._floors.get(key or "")
        if floor is not None and slot.delay < floor:
            slot.delay = floor
