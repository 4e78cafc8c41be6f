"""Our one Piccolo app: it only points the migration runner at the top-level migrations/."""

from piccolo.conf.apps import AppConfig

from resourcepool.paths import migrations_dir

APP_CONFIG = AppConfig(
    app_name="resourcepool",
    migrations_folder_path=str(migrations_dir()),
    table_classes=[],
    migration_dependencies=[],
    commands=[],
)
