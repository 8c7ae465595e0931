"""The embedded Stripe-compatible server: localstripe (PyPI), run by ``config/embedded.py``.

localstripe keeps its state in ``/tmp/localstripe.pickle`` and listens on every interface; as
an embedded server of ours it keeps its state under ``var/`` (so two checkouts never share
customers) and listens on 127.0.0.1 only. This module is its entry point:

    python -m config.stripe_server --port 8420 --state var/stripe/localstripe.pickle

It imports no Django. The real ``stripe`` client talks to it (``billing/gateway.py``).
"""

from __future__ import annotations

import argparse
import logging
import pickle
from pathlib import Path


def _keep_state_in(path: Path) -> None:
    """Point localstripe's store at ``path`` (written atomically: a kill mid-write must not
    leave a torn file that the next start cannot read)."""
    from localstripe.resources import Store

    def try_load_from_disk(self: Store) -> None:
        try:
            with path.open("rb") as f:
                old = pickle.load(f)
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            return
        self.clear()
        self.update(old)

    def dump_to_disk(self: Store) -> None:
        partial = path.with_suffix(".partial")
        with partial.open("wb") as f:
            pickle.dump(dict(self), f, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)

    Store.try_load_from_disk = try_load_from_disk
    Store.dump_to_disk = dump_to_disk


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m config.stripe_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state", type=Path, required=True)
    args = parser.parse_args()
    args.state.parent.mkdir(parents=True, exist_ok=True)
    _keep_state_in(args.state.resolve())

    from aiohttp import web
    from localstripe.resources import store
    from localstripe.server import app

    store.try_load_from_disk()
    logging.basicConfig(level=logging.WARNING)
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
