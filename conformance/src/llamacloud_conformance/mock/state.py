"""Everything a running mock holds: the indexed data, who may see what, the token secret, faults, the log."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping

from .dataset import Dataset, project_key
from .faults import FaultPlan, FaultRule
from .requestlog import RequestLog
from .store import Store
from .tokens import TokenCodec

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 100


class MockState:
    """The mutable heart of a server. The store is replaced whole (never edited), so a request in flight
    always sees one consistent snapshot, even while a test thread swaps the data."""

    def __init__(
        self,
        dataset: Dataset,
        keys: Mapping[str, str],
        *,
        token_secret: bytes | None = None,
        faults: Iterable[FaultRule] = (),
        request_log_size: int = 10_000,
        admin_token: str | None = None,
    ) -> None:
        if not keys:
            raise ValueError("a mock needs at least one API key")
        if admin_token is not None and (not admin_token or admin_token in keys):
            raise ValueError("the admin token must be non-empty and differ from every API key")
        self.spec = dataset.spec
        self.store = Store(dataset)
        self.keys = {key: project_key(project) for key, project in keys.items()}
        self.codec = TokenCodec(token_secret if token_secret is not None else os.urandom(32))
        self.faults = FaultPlan(faults)
        self.log = RequestLog(request_log_size)
        self.admin_token = admin_token if admin_token is not None else "adm-" + secrets.token_urlsafe(24)
        # How latency faults wait; tests replace it to check delays without timing anything.
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        # How the admin API makes a dataset (in a worker thread); tests replace it to hold one half-made.
        self.generate: Callable[..., Dataset] = Dataset.generate
        self.generating = False

    def use_dataset(self, dataset: Dataset) -> None:
        """Serve `dataset` from the next request on. Keys keep their projects. The routes were made for one
        snapshot, so the dataset must be in its shape."""
        self.use_store(Store(dataset))

    def use_store(self, store: Store) -> None:
        """Serve an indexed dataset (indexing a large one takes seconds: the admin API does it in a thread)."""
        if store.dataset.spec.name != self.spec.name:
            raise ValueError(
                f"this server speaks the {self.spec.name} snapshot, the dataset is {store.dataset.spec.name}"
            )
        self.store = store

    def replace_store(self, store: Store) -> None:
        """Serve `store`, and let the keys that saw the old default project see the new one's (over HTTP, a
        test in another process can only ask for data by seed and size, so the project ids change with it)."""
        old = project_key(self.store.dataset.default_project_id)
        new = project_key(store.dataset.default_project_id)
        self.use_store(store)
        self.keys = {key: new if project == old else project for key, project in self.keys.items()}
