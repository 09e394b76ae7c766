"""Triggers that refuse a category of a dimension the indicator does not use.

A CHECK constraint cannot look at other tables, so the rule lives in triggers, written for
each database the portal runs on. Both raise an integrity error, as a constraint would.
"""

from django.db import migrations

# The category's dimension must be one of the indicator's dimensions.
TARGET_ALLOWED = """
    EXISTS (
        SELECT 1 FROM indicators_indicatordimension idim
        JOIN indicators_category cat ON cat.dimension_id = idim.dimension_id
        WHERE cat.id = NEW.category_id AND idim.indicator_id = NEW.indicator_id
    )
"""
VALUE_ALLOWED = """
    EXISTS (
        SELECT 1 FROM indicators_indicatordimension idim
        JOIN indicators_category cat ON cat.dimension_id = idim.dimension_id
        JOIN indicators_progressupdate upd ON upd.indicator_id = idim.indicator_id
        WHERE cat.id = NEW.category_id AND upd.id = NEW.update_id
    )
"""
# Removing a dimension from an indicator must not strand its category targets or values.
DIMENSION_UNUSED = """
    NOT EXISTS (
        SELECT 1 FROM indicators_categorytarget ct
        JOIN indicators_category cat ON cat.id = ct.category_id
        WHERE ct.indicator_id = OLD.indicator_id AND cat.dimension_id = OLD.dimension_id
    ) AND NOT EXISTS (
        SELECT 1 FROM indicators_updatevalue uv
        JOIN indicators_category cat ON cat.id = uv.category_id
        JOIN indicators_progressupdate upd ON upd.id = uv.update_id
        WHERE upd.indicator_id = OLD.indicator_id AND cat.dimension_id = OLD.dimension_id
    )
"""
MESSAGE = "category_not_in_indicator_dimensions"
RULES = [
    ("categorytarget", TARGET_ALLOWED, "INSERT OR UPDATE", "NEW"),
    ("updatevalue", VALUE_ALLOWED, "INSERT OR UPDATE", "NEW"),
    ("indicatordimension", DIMENSION_UNUSED, "DELETE", "OLD"),
]


def sqlite_statements() -> list[str]:
    statements = []
    for table, condition, events, _row in RULES:
        for event in events.split(" OR "):
            statements.append(
                f"""CREATE TRIGGER indicators_{table}_{event.lower()}_dimension_check
                BEFORE {event} ON indicators_{table}
                FOR EACH ROW WHEN NOT ({condition})
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
            )
    return statements


def postgresql_statements() -> list[str]:
    statements = []
    for table, condition, events, row in RULES:
        function = f"indicators_{table}_dimension_check"
        statements.append(
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
                IF NOT ({condition}) THEN
                    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
                END IF;
                RETURN {row};
            END;
            $$ LANGUAGE plpgsql;"""
        )
        statements.append(
            f"""CREATE TRIGGER {function} BEFORE {events} ON indicators_{table}
            FOR EACH ROW EXECUTE FUNCTION {function}();"""
        )
    return statements


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = sqlite_statements()
    elif vendor == "postgresql":
        statements = postgresql_statements()
    else:
        raise NotImplementedError(f"No category triggers written for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, _condition, events, _row in RULES:
        if vendor == "sqlite":
            for event in events.split(" OR "):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS indicators_{table}_{event.lower()}_dimension_check"
                )
        else:
            function = f"indicators_{table}_dimension_check"
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {function} ON indicators_{table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
