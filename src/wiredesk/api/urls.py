from django.urls import path

from wiredesk.api import views

app_name = "api"
urlpatterns = [
    path("articles", views.article_list, name="articles"),
    path("articles/<int:pk>", views.article_detail, name="article"),
    path("stories", views.story_list, name="stories"),
    path("stories/<int:pk>", views.story_detail, name="story"),
    path("posts", views.post_list, name="posts"),
    path("openapi.json", views.schema, name="schema"),
]
