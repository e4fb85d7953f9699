"""The LlamaCloud extraction client that downstream code imports (filled by the overlay issue)."""

__version__ = "0.1.0"
