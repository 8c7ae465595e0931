from django.urls import path

from marketplace import views, views_publish

urlpatterns = [
    path("", views.marketplace_index, name="marketplace"),
    path("mine/", views.my_listings, name="marketplace-mine"),
    path("publish/", views_publish.listing_publish, name="marketplace-publish"),
    path("<uuid:listing_id>/", views.listing_page, name="marketplace-listing"),
    path("<uuid:listing_id>/cover/", views.listing_cover, name="marketplace-cover"),
    path(
        "<uuid:listing_id>/cover/change/",
        views_publish.listing_cover_change,
        name="marketplace-cover-set",
    ),
    path(
        "<uuid:listing_id>/versions/new/",
        views_publish.listing_version_new,
        name="marketplace-version-new",
    ),
    path("<uuid:listing_id>/install/", views.listing_install_view, name="marketplace-install"),
    path("<uuid:listing_id>/review/", views.listing_review_view, name="marketplace-review"),
    path(
        "<uuid:listing_id>/reviews/<uuid:review_id>/reply/",
        views.review_reply_view,
        name="marketplace-review-reply",
    ),
    path("<uuid:listing_id>/report/", views.listing_report_view, name="marketplace-report"),
]
