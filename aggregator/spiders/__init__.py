"""Spiders: they decide what to request next and attach provenance, nothing else."""
