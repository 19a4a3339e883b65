"""Admin: curate articles, outlets and the actor gazetteer."""

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles import admin_jobs  # noqa: F401 - registers JobAdmin
from articles.entities.gazetteer import validate_alias
from articles.models import (
    Alias,
    Article,
    Entity,
    Mention,
    Role,
    Source,
    UploadBatch,
    UploadedFile,
)
from articles.services.article_edits import DuplicateArticle, edit_duplicate, save_article_edit
from articles.services.gazetteer import gazetteer_changed, role_term_errors


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "homepage"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    can_delete = False
    fields = ["entity", "text", "via", "start", "end"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def duplicate_message(existing: Article, reason: str) -> str:
    return _("This would duplicate article #%(pk)s (%(reason)s): %(title)s") % {
        "pk": existing.pk,
        "reason": reason,
        "title": existing.title,
    }


class ArticleForm(forms.ModelForm):
    """Refuses an edit that gives the article another article's text (or URL)."""

    def clean(self):
        cleaned = super().clean()
        if "body" in cleaned:
            existing, reason = edit_duplicate(
                pk=self.instance.pk,
                body=cleaned["body"],
                url=cleaned.get("url") or "",
                url_changed=self.instance.pk is None or "url" in self.changed_data,
            )
            if existing:
                field = "body" if reason == "same text" else "url"
                self.add_error(field, duplicate_message(existing, reason))
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "source", "published_on", "created_at"]
    list_filter = ["source", "published_on"]
    search_fields = ["title", "body", "url", "original_name"]
    date_hierarchy = "published_on"
    list_select_related = ["source"]
    readonly_fields = [
        "content_hash",
        "original_name",
        "original_file",
        "original",
        "metadata_origin",
        "ingest_warnings",
        "uploaded_by",
        "created_at",
        "updated_at",
    ]
    inlines = [MentionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_urls(self):
        from articles.admin_upload import upload_urls

        return upload_urls(self) + super().get_urls()

    def save_model(self, request, obj, form, change):
        save_article_edit(article=obj, changed=form.changed_data, created=not change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DuplicateArticle as exc:  # lost a race the form's check had passed
            messages.error(request, duplicate_message(exc.existing, exc.reason))
            return redirect(request.get_full_path())


class AliasForm(forms.ModelForm):
    class Meta:
        model = Alias
        fields = ["text", "ambiguous", "valid_from", "valid_to"]

    def has_changed(self) -> bool:
        """A row of only spaces is an attempt at an (empty) alias: refuse it aloud, don't skip it."""
        raw = self.data.get(self.add_prefix("text"), "")
        return super().has_changed() or bool(raw and not raw.strip())

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        error = validate_alias(text)
        if error:
            raise forms.ValidationError(error)
        return text


class AliasInline(admin.TabularInline):
    model = Alias
    form = AliasForm
    extra = 1


class RoleInline(admin.TabularInline):
    model = Role
    extra = 1
    fields = ["phrase", "valid_from", "valid_to", "note"]


class RoleFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        terms = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        errors = role_term_errors(holder=self.instance, terms=terms)
        if errors:
            raise forms.ValidationError(errors)


RoleInline.formset = RoleFormSet


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name_ar", "name_en", "slug", "aliases__text"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [AliasInline, RoleInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(lambda: gazetteer_changed(entity=form.instance))


class UploadedFileInline(admin.TabularInline):
    model = UploadedFile
    extra = 0
    can_delete = False
    fields = ["name", "size", "outcome", "message", "stored", "created_articles"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("articles created"))
    def created_articles(self, obj: UploadedFile):
        """Links to the articles this file became (titles escaped by format_html_join)."""
        links = format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a literal, no user data
            '<a href="{}">#{} {}</a>',
            (
                (reverse("admin:articles_article_change", args=[a.pk]), a.pk, a.title)
                for a in obj.articles.all()
            ),
        )
        return links or "—"


@admin.register(UploadBatch)
class UploadBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "uploaded_by", "imported_count", "duplicate_count", "failed_count"]
    list_filter = ["channel", "created_at"]
    readonly_fields = [
        "uploaded_by",
        "channel",
        "created_at",
        "imported_count",
        "duplicate_count",
        "failed_count",
        "finished_at",
        "owner_host",
        "owner_pid",
        "owner_started",
    ]
    inlines = [UploadedFileInline]

    def has_add_permission(self, request) -> bool:
        return False


admin.site.site_header = _("Marsad administration")
admin.site.site_title = _("Marsad")
