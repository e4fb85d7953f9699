"""`python -m llamacloud_conformance` — the same as the `llamacloud-conformance` command."""

from .cli import main

raise SystemExit(main())
