from django.urls import path

from wiredesk.web.views import (
    articles,
    comments,
    feeds,
    front,
    health,
    jsonfeed,
    listings,
    posts,
    removal,
    search,
    stories,
)

app_name = "web"
urlpatterns = [
    path("", front.front_page, name="front"),
    path("section/<slug:slug>/", listings.section_page, name="section"),
    path("outlet/<slug:slug>/", listings.outlet_page, name="outlet"),
    path("outlets/", listings.outlet_index, name="outlets"),
    path("article/<int:pk>/", articles.article_page, name="article"),
    path("story/<int:pk>/", stories.story_page, name="story"),
    path("search/", search.search_page, name="search"),
    path("feeds/latest.rss", feeds.LatestRss(), name="feed-rss"),
    path("feeds/latest.atom", feeds.LatestAtom(), name="feed-atom"),
    path("feeds/section/<slug:slug>.rss", feeds.SectionRss(), name="section-feed-rss"),
    path("feeds/section/<slug:slug>.atom", feeds.SectionAtom(), name="section-feed-atom"),
    path("feeds/latest.json", jsonfeed.latest_json, name="feed-json"),
    path("feeds/section/<slug:slug>.json", jsonfeed.section_json, name="section-feed-json"),
    path("post/<slug:slug>/", posts.post_page, name="post"),
    path("comments/<str:kind>/<int:target_id>/", comments.leave_reply, name="comment"),
    path("removal/", removal.request_removal, name="removal"),
    path("removal/sent/", removal.removal_sent, name="removal-sent"),
    path("removal/confirm/<str:token>/", removal.confirm_removal, name="removal-confirm"),
    path("removal/status/<str:token>/", removal.removal_status, name="removal-status"),
    path("transparency/", removal.transparency, name="transparency"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", health.favicon, name="favicon"),
]
