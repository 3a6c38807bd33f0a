from django.db import models


class AgreementKind(models.TextChoices):
    TREATY = "treaty", "Treaty or intergovernmental agreement"
    MEMORANDUM = "memorandum", "Memorandum of understanding"
    ACTION_PLAN = "action_plan", "Partnership or action plan"
    COOPERATION_PLAN = "cooperation_plan", "Cooperation plan"
    LAW = "law", "Law"
    PROGRAMME = "programme", "Programme"
    DOCTRINE = "doctrine", "Doctrine or strategy"
    STATEMENT = "statement", "Joint statement or declaration"
    AGREEMENT_IN_PRINCIPLE = "in_principle", "Agreement in principle"
    OTHER = "other", "Other"


class PartyRole(models.TextChoices):
    PARTY = "party", "Party"
    SIGNATORY = "signatory", "Signatory"
    NEGOTIATOR = "negotiator", "Negotiator"
    BENEFICIARY = "beneficiary", "Beneficiary"
    TRANSIT_STATE = "transit_state", "Transit state"
    IMPLEMENTER = "implementer", "Implementing body"
    OTHER = "other", "Other"


class StepKind(models.TextChoices):
    """What happened to an agreement; the latest step gives its current status."""

    PROPOSED = "proposed", "Proposed"
    NEGOTIATED = "negotiated", "Negotiated"
    AGREED_IN_PRINCIPLE = "agreed_in_principle", "Agreed in principle"
    SIGNED = "signed", "Signed"
    ADOPTED = "adopted", "Adopted or approved"
    APPROVED_BY_CHAMBER = "approved_by_chamber", "Approved by a chamber"
    REJECTED_BY_CHAMBER = "rejected_by_chamber", "Rejected by a chamber"
    SIGNED_INTO_LAW = "signed_into_law", "Signed into law"
    ENTERED_INTO_FORCE = "entered_into_force", "Entered into force"
    RENEWED = "renewed", "Renewed"
    SUPERSEDED = "superseded", "Superseded"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


# Stages in the order they can happen. A step may not be dated before a step of an
# earlier stage (no ratification before signing); steps in the same stage are free.
STEP_STAGE = {
    StepKind.PROPOSED: 0,
    StepKind.NEGOTIATED: 1,
    StepKind.AGREED_IN_PRINCIPLE: 1,
    StepKind.SIGNED: 2,
    StepKind.ADOPTED: 2,
    StepKind.APPROVED_BY_CHAMBER: 3,
    StepKind.REJECTED_BY_CHAMBER: 3,
    StepKind.SIGNED_INTO_LAW: 4,
    StepKind.ENTERED_INTO_FORCE: 5,
    StepKind.RENEWED: 6,
    StepKind.SUPERSEDED: 7,
    StepKind.EXPIRED: 7,
    StepKind.TERMINATED: 7,
}


class TransitMode(models.TextChoices):
    AIR = "air", "Air transit"
    GROUND = "ground", "Ground transit"
    AIR_AND_GROUND = "air_and_ground", "Air and ground transit"


class CargoScope(models.TextChoices):
    NON_LETHAL = "non_lethal", "Non-lethal cargo"
    LETHAL = "lethal", "Lethal cargo"
    LETHAL_AND_NON_LETHAL = "lethal_and_non_lethal", "Lethal and non-lethal cargo"
