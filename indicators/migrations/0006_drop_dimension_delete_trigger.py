"""Drop the trigger that refused deleting a dimension still used by targets or values.

It fired inside cascades (deleting an indicator removes its dimensions before or after their
values, in an order the database picks) and on table flushes. The rule now lives in
`define_indicator`, the only place that removes a dimension from an indicator; the insert and
update triggers still refuse storing a category of a dimension the indicator does not use.
"""

from django.db import migrations

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
FUNCTION = "indicators_indicatordimension_dimension_check"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS indicators_indicatordimension_delete_dimension_check"
        )
    else:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON indicators_indicatordimension")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"""CREATE TRIGGER indicators_indicatordimension_delete_dimension_check
            BEFORE DELETE ON indicators_indicatordimension
            FOR EACH ROW WHEN NOT ({DIMENSION_UNUSED})
            BEGIN SELECT RAISE(ABORT, 'category_not_in_indicator_dimensions'); END;"""
        )
    else:
        schema_editor.execute(
            f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
            BEGIN
                IF NOT ({DIMENSION_UNUSED}) THEN
                    RAISE EXCEPTION 'category_not_in_indicator_dimensions'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN OLD;
            END;
            $$ LANGUAGE plpgsql;"""
        )
        schema_editor.execute(
            f"""CREATE TRIGGER {FUNCTION} BEFORE DELETE ON indicators_indicatordimension
            FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();"""
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_snapshots")]

    operations = [migrations.RunPython(drop, restore)]
