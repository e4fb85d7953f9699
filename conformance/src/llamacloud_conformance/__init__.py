"""Mock server and conformance suite for the LlamaCloud extraction list endpoints."""

__version__ = "0.1.0"
