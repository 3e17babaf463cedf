"""Sources: one sub-package per source, its parsers beside its adapter."""
