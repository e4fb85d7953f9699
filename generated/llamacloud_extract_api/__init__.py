"""A client library for accessing LlamaCloud Extract API (list endpoints)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
