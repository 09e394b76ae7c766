from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.services import create_token
from partners.models import Organisation, User


class Command(BaseCommand):
    help = "Create an API token for an organisation and print its key (shown this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's short name")
        parser.add_argument("--name", required=True, help="which system will use it")
        parser.add_argument("--scope", choices=["read", "write"], default="read")
        parser.add_argument("--can-approve", action="store_true", help="let it approve updates")
        parser.add_argument(
            "--by", default="admin", help="username of an administrator of the organisation"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = Organisation.objects.get(short_name=options["organisation"])
            creator = User.objects.get(username=options["by"])
        except (Organisation.DoesNotExist, User.DoesNotExist) as missing:
            raise CommandError(str(missing)) from None
        try:
            _token, key = create_token(
                organisation=organisation,
                name=options["name"],
                scope=options["scope"],
                can_approve=options["can_approve"],
                by=creator,
            )
        except (PermissionDenied, ValidationError) as refused:
            raise CommandError("; ".join(getattr(refused, "messages", [str(refused)]))) from None
        self.stdout.write(key)
