"""The admin's “Import references” form: a file, its format, and the preview's carried text."""

from django import forms

from .references import FORMAT_LABELS

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ReferenceImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="A BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) file, as Zotero, EndNote, Mendeley, JabRef "
        "or Casefile export it.",
    )
    reference_format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[("", "Tell from the file"), *FORMAT_LABELS.items()],
    )
    # The previewed file's text, carried to the confirming request so that what is
    # imported is exactly what was previewed.
    text = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    filename = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_IMPORT_BYTES:
                raise forms.ValidationError("The file is larger than 5 MB: split it into smaller files.")
            try:
                cleaned["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(
                    f"The file is not UTF-8 text (byte {error.start}): export it as UTF-8."
                ) from None
            cleaned["filename"] = upload.name
        elif not cleaned.get("text"):
            raise forms.ValidationError("Choose a file to import.")
        return cleaned
