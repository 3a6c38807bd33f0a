from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "apps.actors"
    label = "actors"
