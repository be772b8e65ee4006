"""Form pieces every app's pages share: labels above fields, the version a change was made on,
date inputs in ISO form, several files in one input."""

from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"  # what <input type="date"> sends and shows, in every language
MAX_ID = 2**63 - 1  # the largest primary key either database stores


def parse_id(value) -> int | None:
    """A primary key as sent in a form or a URL, or None if it cannot be one (not digits, 0, too large)."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit():
        return None
    n = int(text)
    return n if 0 < n <= MAX_ID else None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class Form(forms.Form):
    """Labels stand above their fields, so no "：" after them."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionForm(Form):
    """A form that changes a record carries the version the user saw (stale edits are refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class ChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices read as one plain query. Django's reads them through ``iterator()``: on
    PostgreSQL a server-side cursor, planned for its first rows (the dashboard's 100 latest
    meetings: 71 ms through the cursor, 2 ms without). A select's choices are few by design.

    Where the model names the columns its ``__str__`` shows (``label_columns``: the first of them
    that is not empty), the choices are read as plain rows of the key and those columns, not as
    model objects: 200 units took 4 ms more as objects than the query itself."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        columns = getattr(self.queryset.model, "label_columns", None)
        if columns and type(self.field).label_from_instance is forms.ModelChoiceField.label_from_instance:
            for value, *texts in self.queryset.values_list(self.field.to_field_name or "pk", *columns):
                yield value, next((text for text in texts if text), "")
            return
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """A choice of one record by its primary key; anything that cannot be a key is an invalid
    choice, never a query (a 20-digit number overflows SQLite's integers)."""

    iterator = ChoiceIterator

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.to_field_name is None and parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several records by primary key, with the same guard as `ModelChoiceField`."""

    iterator = ChoiceIterator

    def _check_values(self, value):
        for v in value:
            if self.to_field_name is None and parse_id(v) is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": str(v)[:30]})
        return super()._check_values(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. What a file may be (empty, size, type) is judged by the
    service that takes it, not here, so every door refuses the same files with the same words."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = list(data) if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [f for f in files if f]
