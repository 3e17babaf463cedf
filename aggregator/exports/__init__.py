"""What the crawl writes: feed exporters, side outputs (errors, edges, CSV, manifest)."""
