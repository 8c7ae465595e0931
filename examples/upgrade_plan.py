"""Buy a plan from code: the billing API (needs `make run`).

    .venv/bin/python examples/upgrade_plan.py --user admin --password ... --plan pro

1. gets an API key (POST /api/v1/auth/keys/) unless --key;
2. lists the plans with their prices (GET /api/v1/billing/plans/);
3. asks where to pay (POST /api/v1/billing/checkout/): with real Stripe that is Stripe's
   Checkout page, which the script prints for a person to open;
4. on the embedded payment server it pays there and then with a card (Stripe's success test
   card unless --card) (POST /api/v1/billing/checkout/pay/);
5. prints the subscription and the invoices with their receipt links.

Only `requests` is needed.
"""

from __future__ import annotations

import argparse
from typing import Any

import requests

SUCCESS_CARD = "4242 4242 4242 4242"


def call(base: str, key: str, method: str, path: str, body: dict | None = None) -> Any:
    response = requests.request(
        method,
        f"{base.rstrip('/')}/api/v1{path}",
        json=body,
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )
    if response.status_code >= 400:
        error = response.json()["error"]
        raise SystemExit(f"{method} {path}: {response.status_code} {error['message']}")
    return response.json()


def api_key(base: str, username: str, password: str) -> str:
    response = requests.post(
        f"{base.rstrip('/')}/api/v1/auth/keys/",
        json={"name": "upgrade_plan.py", "username": username, "password": password},
        timeout=30,
    )
    if response.status_code != 201:
        raise SystemExit(f"Could not get a key: {response.json()['error']['message']}")
    return response.json()["key"]


def money(amount: int, currency: str) -> str:
    return f"{amount // 100}.{amount % 100:02d} {currency.upper()}"


def run(base: str, key: str, *, plan: str, card: str = SUCCESS_CARD) -> dict[str, Any]:
    for p in call(base, key, "GET", "/billing/plans/"):
        print(f"  {p['name']:<12} {money(p['price_cents_per_month'], p['currency'])} a month")
    checkout = call(base, key, "POST", "/billing/checkout/", {"plan": plan})
    print(f"Checkout: {checkout['checkout_url']}")
    if "/billing/checkout/" not in checkout["checkout_url"]:
        print("Open that page in a browser to pay (Stripe's own page).")
        return {"checkout_url": checkout["checkout_url"]}
    body = {"plan": plan, "card_number": card, "expiry": "12/34", "cvc": "123"}
    subscription = call(base, key, "POST", "/billing/checkout/pay/", body)
    print(f"Subscribed: {subscription['plan']['name']} ({subscription['status']}), "
          f"renews {subscription['current_period_end']}.")  # fmt: skip
    invoices = call(base, key, "GET", "/billing/invoices/")["results"]
    for invoice in invoices:
        paid = money(invoice["amount_paid"], invoice["currency"])
        print(f"  invoice {invoice['status']:<5} {paid}  {invoice['receipt_url']}")
    return {"subscription": subscription, "invoices": invoices}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--plan", default="pro")
    parser.add_argument("--card", default=SUCCESS_CARD)
    args = parser.parse_args()
    if not args.key and not (args.user and args.password):
        parser.error("give --key, or --user and --password")
    key = args.key or api_key(args.url, args.user, args.password)
    run(args.url, key, plan=args.plan, card=args.card)


if __name__ == "__main__":
    main()
