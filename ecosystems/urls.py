from django.urls import path

from ecosystems import views

urlpatterns = [
    path("", views.home, name="home"),
]
