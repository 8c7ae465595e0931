from django.contrib.auth import views as auth_views
from django.urls import path

from ecosystems import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "dashboard/worlds/<uuid:ecosystem_id>/start/",
        views.ecosystem_start_view,
        name="ecosystem-start",
    ),
    path(
        "dashboard/worlds/<uuid:ecosystem_id>/pause/",
        views.ecosystem_pause_view,
        name="ecosystem-pause",
    ),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
