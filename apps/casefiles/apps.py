from django.apps import AppConfig


class CasefilesConfig(AppConfig):
    """The case file as a whole: loading the default case file, checking its integrity."""

    name = "apps.casefiles"
    label = "casefiles"
    verbose_name = "Case file data"

    def casefile_models(self):
        """Every model that a case file holds, in loading order."""
        from django.apps import apps

        labels = [
            "sources.source",
            "sources.note",
            "places.place",
            "actors.actor",
            "actors.affiliation",
            "agreements.agreement",
            "agreements.agreementparty",
            "agreements.agreementstep",
            "deployments.deployment",
            "deployments.deploymentrole",
            "exercises.exerciseseries",
            "exercises.exercise",
            "exercises.exerciseparticipant",
            "events.event",
            "events.eventparticipant",
            "citations.citation",
        ]
        return [apps.get_model(label) for label in labels]
