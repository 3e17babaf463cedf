"""NIH iCite (the NIH Open Citation Collection): a link source called from the adapters."""
