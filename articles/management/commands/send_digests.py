"""``manage.py send_digests``: e-mail each researcher what is new in their saved searches.

One message per user with an e-mail address, listing each saved search with articles added since
its last digest (or since it was saved), through Django's mail settings (``EMAIL_BACKEND``: the
console by default). Prints ``digests sent N, saved searches with news M``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import saved_searches
from articles.models import Article, SavedSearch
from articles.search import SearchInputError
from articles.services.saved_searches import record_digest

TITLES_PER_SEARCH = 10


class Command(BaseCommand):
    help = "E-mail each researcher the articles new in their saved searches since the last digest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="The portal's address, for the links in the messages.",
        )

    def handle(self, *args, base_url: str, **options):
        base_url = base_url.rstrip("/")
        sent = with_news = 0
        now = timezone.now()
        users = get_user_model().objects.exclude(email="").filter(saved_searches__isnull=False)
        for user in users.distinct():
            sections, done = [], []
            for saved in SavedSearch.objects.filter(user=user):
                try:
                    ids = saved_searches.new_article_ids(
                        saved=saved, since=saved.digest_sent_at or saved.created_at
                    )
                except SearchInputError:
                    continue
                done.append(saved.pk)
                if ids:
                    sections.append(self._section(saved, ids, base_url=base_url))
            if sections:
                send_mail(
                    subject=_("Marsad: new articles in your saved searches"),
                    message="\n\n".join(sections),
                    from_email=None,
                    recipient_list=[user.email],
                )
                sent += 1
                with_news += len(sections)
            record_digest(saved_ids=done, sent_at=now)
        self.stdout.write(f"digests sent {sent}, saved searches with news {with_news}")

    def _section(self, saved: SavedSearch, ids: list[int], *, base_url: str) -> str:
        articles = Article.objects.in_bulk(ids[:TITLES_PER_SEARCH])
        lines = [
            f"{saved.name} — " + _("%(count)s new") % {"count": len(ids)},
            base_url + saved_searches.search_url(saved),
        ]
        for pk in ids[:TITLES_PER_SEARCH]:
            if pk in articles:
                lines.append(
                    f"- {articles[pk].title}\n  {base_url}{articles[pk].get_absolute_url()}"
                )
        return "\n".join(lines)
