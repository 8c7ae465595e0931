"""Signing up, logging in and out."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def _signup(client, **overrides):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }
    return client.post(reverse("signup"), data)


def test_signing_up_creates_a_user_on_the_free_plan_and_signs_them_in(client):
    response = _signup(client)

    assert response.status_code == 302 and response.url == reverse("dashboard")
    user = User.objects.get(username="newcomer")
    assert user.email == "newcomer@example.com"
    assert user.subscription.plan.code == "free"
    assert client.get(reverse("dashboard")).wsgi_request.user == user


def test_sign_up_asks_for_an_email(client):
    response = _signup(client, email="")

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["This field is required."]
    assert not User.objects.filter(username="newcomer").exists()


def test_sign_up_explains_mismatched_passwords(client):
    response = _signup(client, password2="something-else-entirely")

    errors = response.context["form"].errors["password2"]
    assert "The two password fields didn\u2019t match." in errors


def test_sign_up_refuses_a_taken_username(client, owner):
    response = _signup(client, username="owner")

    assert response.context["form"].errors["username"]
    assert User.objects.filter(username="owner").count() == 1


def test_every_sign_up_field_has_a_label(client):
    response = client.get(reverse("signup"))

    for field in ("id_username", "id_email", "id_password1", "id_password2"):
        assert f'<label for="{field}">' in response.text


def test_a_signed_in_user_visiting_sign_up_goes_to_the_dashboard(client, owner):
    client.force_login(owner)

    response = client.get(reverse("signup"))

    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_logging_in_leads_to_the_dashboard(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})

    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_a_wrong_password_is_refused_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.text


def test_logging_out_takes_a_post_and_ends_the_session(client, owner):
    client.force_login(owner)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("dashboard")).status_code == 302
