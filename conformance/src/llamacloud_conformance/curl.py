"""A `curl` command that sends a request again: what every finding of a run carries, so that whoever reads
the report can reproduce it. The key is left to the reader's environment; cookies are never copied."""

from __future__ import annotations

import shlex
from collections.abc import Iterable


def curl_line(method: str, url: str, headers: Iterable[tuple[str, str | bytes]] = ()) -> str:
    parts = ["curl", "-sS", "-X", method.upper(), shlex.quote(url)]
    for name, raw in headers:
        value = raw.decode("latin-1") if isinstance(raw, bytes) else raw
        lowered = name.lower()
        if lowered == "authorization":
            parts += ["-H", '"Authorization: Bearer $LLAMA_CLOUD_API_KEY"']
        elif lowered == "accept":
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        elif lowered == "cookie":
            parts += ["-H", shlex.quote(f"{name}: [cookie]")]
    return " ".join(parts)
